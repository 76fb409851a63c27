import type { AcdControl } from '../acd/service/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { BanStore, RegistrationStore, SecurityEventStore, SipAccountStore } from '../sip/ports.ts';
import type { ApiTokenStore } from '../store/api-token-store.ts';
import type { UserStore } from '../store/user-store.ts';
import type { CustomRole } from './routes/role-admin.ts';
import type { AuditRecorder } from './routes/audit-recorder.ts';
import type { CallRecordStore } from '../switch/records/ports.ts';

export type ComponentStatus = 'up' | 'down' | 'not-started';

export interface ComponentHealth {
  status: ComponentStatus;
  detail?: string;
}

/** What the HTTP API needs, given to it by the composition root. */
export interface ApiDeps {
  version: string;
  clock: Clock;
  /** Digest realm new SIP accounts are created for. */
  realm: string;
  /** When the server started (epoch ms), for /health uptime. */
  startedAt: number;
  stores: {
    sipAccounts: SipAccountStore;
    registrations: RegistrationStore;
    securityEvents: SecurityEventStore;
    bans: BanStore;
    users: UserStore;
    apiTokens: ApiTokenStore;
  };
  /** Status of each component (store, sip, ...), for /health. */
  components(): Promise<Record<string, ComponentHealth>>;
  /**
   * Lifts a ban everywhere it is held (the SIP guard's memory and the store)
   * and logs the `unban` event; false when the address was not banned.
   * Without it (no SIP layer running) the API removes the stored ban itself.
   */
  liftBan?(address: string): Promise<boolean>;
  /** The running ACD (agents, queues, routing rules, blacklist); its routes answer 503 without it. */
  acd?: AcdControl;
  /** Call records (CDRs) for /api/v1/call-records; those routes answer 503 without it. */
  callRecords?: CallRecordStore;
  /** The operation log (ADM-3): every mutating request is written to it; GET /api/v1/audit answers 503 without it. */
  audit?: AuditRecorder;
  /** ADM-1: custom roles; a user who has one may use only the areas (route tags) it lists. Without it every user has their built-in role alone. */
  roles?: { roleOf(username: string): CustomRole | undefined };
}

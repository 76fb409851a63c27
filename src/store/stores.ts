/**
 * Every repository over one open database. The composition root opens the
 * database (database.ts) and hands these to the layers that need them.
 */
import type { BanStore, RegistrationStore, SecurityEventStore, SipAccountStore } from '../sip/ports.ts';
import { KyselyApiTokenStore, type ApiTokenStore } from './api-token-store.ts';
import { KyselyAuditStore, type AuditStore } from './audit-store.ts';
import { KyselyNoticeStore, KyselyTaskStore } from './task-notice-store.ts';
import type { NoticeStore, TaskStore } from '../messaging/ports.ts';
import type { CallRecordStore, EventLog } from '../switch/records/ports.ts';
import { KyselyBanStore } from './ban-store.ts';
import { KyselyCallRecordStore } from './call-record-store.ts';
import { openDatabase, type DatabaseTarget, type OpenDatabase } from './database.ts';
import { KyselyEventLog } from './kysely-event-log.ts';
import { KyselyMetaStore } from './meta-store.ts';
import { KyselyRegistrationStore } from './registration-store.ts';
import { KyselySecurityEventStore } from './security-event-store.ts';
import { KyselySipAccountStore } from './sip-account-store.ts';
import { KyselyUserStore, type UserStore } from './user-store.ts';

export interface Stores {
  database: OpenDatabase;
  sipAccounts: SipAccountStore;
  registrations: RegistrationStore;
  securityEvents: SecurityEventStore;
  bans: BanStore;
  users: UserStore;
  apiTokens: ApiTokenStore;
  meta: KyselyMetaStore;
  /** The event log (table `events`); the one writer is the active control node. */
  events: EventLog;
  callRecords: CallRecordStore;
  /** The operation log (ADM-3). */
  audit: AuditStore;
  /** Supervisors' tasks and notices to agents (SUP-4). */
  tasks: TaskStore;
  notices: NoticeStore;
  close(): Promise<void>;
}

export function storesOver(database: OpenDatabase): Stores {
  const { db } = database;
  return {
    database,
    sipAccounts: new KyselySipAccountStore(db),
    registrations: new KyselyRegistrationStore(db),
    securityEvents: new KyselySecurityEventStore(db),
    bans: new KyselyBanStore(db),
    users: new KyselyUserStore(db),
    apiTokens: new KyselyApiTokenStore(db),
    meta: new KyselyMetaStore(db),
    events: new KyselyEventLog(db),
    callRecords: new KyselyCallRecordStore(db),
    audit: new KyselyAuditStore(db),
    tasks: new KyselyTaskStore(db),
    notices: new KyselyNoticeStore(db),
    close: () => database.close(),
  };
}

/** Opens (and migrates) the database, then builds every repository over it. */
export async function openStores(target: DatabaseTarget): Promise<Stores> {
  return storesOver(await openDatabase(target));
}

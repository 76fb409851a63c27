/**
 * ===================== SIP WIRING POINT =====================
 * startSignalling(ctx) is the ONE place where the SIP stack (transports,
 * transactions, registrar, authentication, scanner defence) is assembled
 * from src/sip and given the stores and configuration.
 *
 * Status: the modules it needs are still being written (src/sip/stack has
 * no sip-stack.ts yet, src/sip/registrar has no registrar). Until they land
 * this function starts nothing, and /health says so honestly: component
 * `sip` is `not-started`. See the lead's integration notes in the report of
 * issue 2 (storage/config/CLI) for exactly what is left to wire.
 * ============================================================
 */
import type { ComponentHealth } from '../api/api-deps.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { BanStore, RegistrationStore, SecurityEventStore, SipAccountStore } from '../sip/ports.ts';
import type { HotlineConfig } from './config.ts';

export interface SignallingContext {
  config: HotlineConfig;
  clock: Clock;
  logger: Logger;
  stores: {
    sipAccounts: SipAccountStore;
    registrations: RegistrationStore;
    /** Writes to the database and to DIR/logs/security.jsonl. */
    securityEvents: SecurityEventStore;
    bans: BanStore;
  };
}

export interface Signalling {
  health(): ComponentHealth;
  /** Called when an operator lifts a ban through the API or CLI. */
  onUnban(address: string): void;
  stop(): Promise<void>;
}

export async function startSignalling(ctx: SignallingContext): Promise<Signalling> {
  ctx.logger.warn('SIP stack not wired yet: no SIP transports are listening (src/app/signalling.ts)');
  return {
    health: () => ({ status: 'not-started', detail: 'SIP stack not wired into the composition root yet' }),
    onUnban: () => undefined,
    stop: async () => undefined,
  };
}

/**
 * In-memory implementations of the storage ports in ports.ts, for unit tests
 * of the signalling layer. Production uses src/store (SQLite/PostgreSQL).
 * They copy records in and out so a test cannot change stored state by
 * mutating an object it passed or got back, as a real database would not.
 * (Four small classes in one file on purpose: they are one test fixture.)
 */
import type {
  Ban,
  BanStore,
  Registration,
  RegistrationStore,
  SecurityEvent,
  SecurityEventKind,
  SecurityEventStore,
  SipAccount,
  SipAccountStore,
} from './ports.ts';

function copyDates<T extends object>(o: T): T {
  const out = { ...o } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (v instanceof Date) out[k] = new Date(v.getTime());
  return out as T;
}

export class MemorySipAccountStore implements SipAccountStore {
  private readonly accounts = new Map<string, SipAccount>();

  constructor(initial: SipAccount[] = []) {
    for (const a of initial) this.accounts.set(a.username, copyDates(a));
  }

  async get(username: string): Promise<SipAccount | undefined> {
    const a = this.accounts.get(username);
    return a && copyDates(a);
  }

  async list(): Promise<SipAccount[]> {
    return [...this.accounts.values()].sort((a, b) => a.username.localeCompare(b.username)).map(copyDates);
  }

  async put(account: SipAccount): Promise<void> {
    this.accounts.set(account.username, copyDates(account));
  }

  async remove(username: string): Promise<boolean> {
    return this.accounts.delete(username);
  }
}

export class MemoryRegistrationStore implements RegistrationStore {
  /** aor -> contact -> binding */
  private readonly byAor = new Map<string, Map<string, Registration>>();

  async list(aor: string): Promise<Registration[]> {
    return [...(this.byAor.get(aor)?.values() ?? [])].map(copyDates);
  }

  async listAll(): Promise<Registration[]> {
    const out: Registration[] = [];
    for (const m of this.byAor.values()) for (const r of m.values()) out.push(copyDates(r));
    return out;
  }

  async put(reg: Registration): Promise<void> {
    let m = this.byAor.get(reg.aor);
    if (!m) this.byAor.set(reg.aor, (m = new Map()));
    m.set(reg.contact, copyDates(reg));
  }

  async remove(aor: string, contact: string): Promise<void> {
    const m = this.byAor.get(aor);
    if (!m) return;
    m.delete(contact);
    if (m.size === 0) this.byAor.delete(aor);
  }

  async removeAll(aor: string): Promise<void> {
    this.byAor.delete(aor);
  }

  async purgeExpired(now: Date): Promise<number> {
    let n = 0;
    for (const [aor, m] of this.byAor) {
      for (const [c, r] of m) {
        if (r.expiresAt.getTime() <= now.getTime()) {
          m.delete(c);
          n++;
        }
      }
      if (m.size === 0) this.byAor.delete(aor);
    }
    return n;
  }
}

export class MemorySecurityEventStore implements SecurityEventStore {
  private readonly events: SecurityEvent[] = [];

  async append(event: SecurityEvent): Promise<void> {
    this.events.push(copyDates(event));
  }

  async list(opts: { since?: Date; kind?: SecurityEventKind; limit?: number } = {}): Promise<SecurityEvent[]> {
    const out: SecurityEvent[] = [];
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (opts.since && e.at.getTime() < opts.since.getTime()) continue;
      if (opts.kind && e.kind !== opts.kind) continue;
      out.push(copyDates(e));
      if (opts.limit !== undefined && out.length >= opts.limit) break;
    }
    return out;
  }
}

export class MemoryBanStore implements BanStore {
  private readonly bans = new Map<string, Ban>();

  async list(): Promise<Ban[]> {
    return [...this.bans.values()].map(copyDates);
  }

  async put(ban: Ban): Promise<void> {
    this.bans.set(ban.address, copyDates(ban));
  }

  async remove(address: string): Promise<boolean> {
    return this.bans.delete(address);
  }
}

/**
 * Read caches in front of the SIP repositories, for the registrar's hot path
 * (bench:sip: without them every REGISTER cost three queries).
 *
 * - Registrations: the control node is the one writer of the location
 *   service (DESIGN.md: one active control node), so bindings are held in
 *   memory, loaded once, and every change is written through before it
 *   counts. A restart reloads them from the database.
 * - SIP accounts: read-through with a short time-to-live. Changes made
 *   through this process (API, CLI) take effect at once; changes written by
 *   another node are seen within the TTL.
 */
import type { Clock } from '../shared/clock.ts';
import type { Registration, RegistrationStore, SipAccount, SipAccountStore } from '../sip/ports.ts';

export class CachedRegistrationStore implements RegistrationStore {
  private byAor?: Map<string, Map<string, Registration>>;
  private loading?: Promise<Map<string, Map<string, Registration>>>;
  /** Group commit: puts arriving in the same turn of the event loop share one transaction. */
  private pending: Registration[] = [];
  private flushing?: Promise<void>;

  constructor(
    private readonly inner: RegistrationStore,
    private readonly defer: (fn: () => void) => void = setImmediate,
  ) {}

  private commit(reg: Registration): Promise<void> {
    const putMany = this.inner.putMany?.bind(this.inner);
    if (!putMany) return this.inner.put(reg);
    this.pending.push(reg);
    this.flushing ??= new Promise<void>((resolve, reject) => {
      this.defer(() => {
        const batch = this.pending;
        this.pending = [];
        this.flushing = undefined;
        putMany(batch).then(resolve, reject);
      });
    });
    return this.flushing;
  }

  /** Waits for queued puts, so a later remove cannot be overtaken by an earlier put. */
  private async settled(): Promise<void> {
    await this.flushing?.catch(() => undefined);
  }

  private async all(): Promise<Map<string, Map<string, Registration>>> {
    if (this.byAor) return this.byAor;
    this.loading ??= this.inner.listAll().then((regs) => {
      const m = new Map<string, Map<string, Registration>>();
      for (const r of regs) this.index(m, r);
      this.byAor = m;
      return m;
    });
    return this.loading;
  }

  private index(m: Map<string, Map<string, Registration>>, r: Registration): void {
    let per = m.get(r.aor);
    if (!per) m.set(r.aor, (per = new Map()));
    per.set(r.contact, r);
  }

  async list(aor: string): Promise<Registration[]> {
    return [...((await this.all()).get(aor)?.values() ?? [])];
  }

  async listAll(): Promise<Registration[]> {
    const out: Registration[] = [];
    for (const per of (await this.all()).values()) out.push(...per.values());
    return out;
  }

  async put(reg: Registration): Promise<void> {
    const m = await this.all();
    await this.commit(reg);
    this.index(m, reg);
  }

  async remove(aor: string, contact: string): Promise<void> {
    const m = await this.all();
    await this.settled();
    await this.inner.remove(aor, contact);
    const per = m.get(aor);
    per?.delete(contact);
    if (per?.size === 0) m.delete(aor);
  }

  async removeAll(aor: string): Promise<void> {
    const m = await this.all();
    await this.settled();
    await this.inner.removeAll(aor);
    m.delete(aor);
  }

  async purgeExpired(now: Date): Promise<number> {
    const m = await this.all();
    await this.settled();
    const n = await this.inner.purgeExpired(now);
    for (const [aor, per] of m) {
      for (const [contact, r] of per) if (r.expiresAt.getTime() <= now.getTime()) per.delete(contact);
      if (per.size === 0) m.delete(aor);
    }
    return n;
  }
}

export class CachedSipAccountStore implements SipAccountStore {
  private readonly cache = new Map<string, { account: SipAccount | undefined; at: number }>();

  constructor(
    private readonly inner: SipAccountStore,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 100_000,
  ) {}

  async get(username: string): Promise<SipAccount | undefined> {
    const hit = this.cache.get(username);
    if (hit && this.clock.now() - hit.at < this.ttlMs) return hit.account;
    const account = await this.inner.get(username);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(username, { account, at: this.clock.now() });
    return account;
  }

  list(): Promise<SipAccount[]> {
    return this.inner.list();
  }

  async put(account: SipAccount): Promise<void> {
    await this.inner.put(account);
    this.cache.delete(account.username);
  }

  async remove(username: string): Promise<boolean> {
    const removed = await this.inner.remove(username);
    this.cache.delete(username);
    return removed;
  }
}

/**
 * Location service (RFC 3261 section 10, TEL-2): where each address-of-record
 * can be reached. Bindings live in the RegistrationStore port, so they
 * survive a restart; this class adds time (expired bindings are never
 * returned, and a periodic purge driven by the injected Clock deletes them),
 * ordering for the switch (highest q first, then the most recently
 * registered), a per-AOR lock so concurrent REGISTERs for one AOR are applied
 * one after the other, and typed notifications to listeners.
 */
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Registration, RegistrationStore } from '../ports.ts';

/** Told about binding changes; every method optional (SIP.js delegate style). */
export interface LocationListener {
  /** A new binding (`refreshed` false) or a refresh of an existing one (true). */
  onRegistered?(registration: Registration, refreshed: boolean): void;
  /** Removed by the phone (expires=0 or `Contact: *`) or replaced. */
  onUnregistered?(registration: Registration): void;
  /** Ran out without being refreshed. */
  onExpired?(registration: Registration): void;
}

/** One REGISTER's changes to an AOR, applied together. */
export interface BindingChanges {
  put: Array<{ registration: Registration; refreshed: boolean; replaces?: string }>;
  remove: Registration[];
}

export interface LocationServiceOptions {
  store: RegistrationStore;
  clock: Clock;
  logger: Logger;
  /** How often expired bindings are purged, ms (default 30 000). */
  purgeIntervalMs?: number;
}

export function compareBindings(a: Registration, b: Registration): number {
  return b.q - a.q || b.registeredAt.getTime() - a.registeredAt.getTime();
}

export class LocationService {
  private readonly listeners = new Set<LocationListener>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private timer: TimerHandle | undefined;
  private readonly purgeIntervalMs: number;

  constructor(private readonly opts: LocationServiceOptions) {
    this.purgeIntervalMs = opts.purgeIntervalMs ?? 30_000;
    if (!(this.purgeIntervalMs > 0)) throw new Error('purgeIntervalMs must be positive');
  }

  /** Add a listener; returns the function that removes it. */
  subscribe(listener: LocationListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Start the periodic purge. */
  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.timer = this.opts.clock.setTimeout(() => {
        this.purge().then(
          () => undefined,
          (err: unknown) => this.opts.logger.error({ err }, 'registration purge failed'),
        );
        tick();
      }, this.purgeIntervalMs);
    };
    tick();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Live bindings of an AOR, highest q first, then most recent. */
  async lookup(aor: string): Promise<Registration[]> {
    const now = this.opts.clock.now();
    return (await this.opts.store.list(aor)).filter((r) => r.expiresAt.getTime() > now).sort(compareBindings);
  }

  /** Every live binding (for the CLI and API), by AOR then q and recency. */
  async listAll(): Promise<Registration[]> {
    const now = this.opts.clock.now();
    return (await this.opts.store.listAll())
      .filter((r) => r.expiresAt.getTime() > now)
      .sort((a, b) => (a.aor < b.aor ? -1 : a.aor > b.aor ? 1 : compareBindings(a, b)));
  }

  /** Run `fn` while holding the AOR's lock (one REGISTER per AOR at a time). */
  async exclusive<T>(aor: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(aor) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(aor, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(aor) === tail) this.locks.delete(aor);
    }
  }

  /** Store one REGISTER's changes, then tell listeners. Call inside exclusive(). */
  async apply(changes: BindingChanges): Promise<void> {
    const { store } = this.opts;
    for (const r of changes.remove) await store.remove(r.aor, r.contact);
    for (const p of changes.put) {
      if (p.replaces !== undefined && p.replaces !== p.registration.contact) await store.remove(p.registration.aor, p.replaces);
      await store.put(p.registration);
    }
    for (const r of changes.remove) this.emit((l) => l.onUnregistered?.(r));
    for (const p of changes.put) this.emit((l) => l.onRegistered?.(p.registration, p.refreshed));
  }

  /**
   * Delete expired bindings now and report each as expired; returns how many.
   * Each one is re-checked under its AOR's lock, so a binding refreshed
   * meanwhile is neither deleted nor reported.
   */
  async purge(): Promise<number> {
    const { store, clock } = this.opts;
    const candidates = (await store.listAll()).filter((r) => r.expiresAt.getTime() <= clock.now());
    let n = 0;
    for (const c of candidates) {
      const gone = await this.exclusive(c.aor, async () => {
        const cur = (await store.list(c.aor)).find((r) => r.contact === c.contact);
        if (!cur || cur.expiresAt.getTime() > clock.now()) return undefined;
        await store.remove(cur.aor, cur.contact);
        return cur;
      });
      if (gone) {
        n++;
        this.emit((l) => l.onExpired?.(gone));
      }
    }
    if (n > 0) this.opts.logger.debug({ purged: n }, 'expired registrations purged');
    return n;
  }

  private emit(call: (l: LocationListener) => void): void {
    for (const l of this.listeners) {
      try {
        call(l);
      } catch (err) {
        this.opts.logger.error({ err }, 'location listener failed');
      }
    }
  }
}

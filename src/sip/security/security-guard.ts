/**
 * OPS-2 defence in front of the SIP stack: per-source rate limits, bans
 * after repeated authentication failures, silent drops of known scanners,
 * and trusted networks exempt from all of it. A pure engine: time from the
 * injected Clock, records through the SecurityEventStore and BanStore ports.
 *
 * How the stack uses it:
 *   admitBytes(source, raw)    before parsing: ban check, rate limit;
 *   admitMessage(source, msg)  after parsing: ban check, scanner User-Agent;
 *   (admit(source, msg | undefined, raw) dispatches to one of the two).
 * 'drop' means: discard without any answer. A banned source is dropped
 * whatever it sends, even with a good password, until the ban ends.
 * The DigestAuthenticator reports to it as its AuthObserver.
 *
 * Every defensive decision becomes a SecurityEvent. So that a flood cannot
 * flood the event log too, rate-limited, scanner and malformed events are
 * throttled per source and kind (`eventThrottleMs`; the next event says how
 * many were left out), and drops of an already banned source are not
 * logged one by one (the `ban` event covers them).
 */
import type { SipMessage } from '../../protocol/sip/message.ts';
import type { TimerHandle } from '../../shared/clock.ts';
import type { AuthObserver } from '../auth/auth-types.ts';
import type { Ban, SecurityEvent, SecurityEventKind } from '../ports.ts';
import { BanList } from './ban-list.ts';
import type { CidrList } from './cidr-list.ts';
import { canonicalAddress } from './ip-address.ts';
import type { MessageSource } from './message-source.ts';
import { RateLimiter } from './rate-limiter.ts';
import { resolveSecurityOptions, type SecurityGuardOptions, type SecurityGuardSettings } from './security-options.ts';

export type Admission = 'accept' | 'drop';

const MAINTENANCE_MS = 30_000;

export class SecurityGuard implements AuthObserver {
  private readonly o: SecurityGuardOptions & { trusted: CidrList };
  private readonly limiter: RateLimiter;
  private readonly banList: BanList;
  private readonly failures = new Map<string, Array<{ at: number; username: string }>>();
  private readonly rateDrops = new Map<string, { start: number; count: number }>();
  private readonly throttle = new Map<string, { last: number; suppressed: number; kind: SecurityEventKind; source: MessageSource }>();
  private writes: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;

  constructor(options: Partial<SecurityGuardSettings> & Pick<SecurityGuardOptions, 'clock' | 'logger' | 'events' | 'bans'>) {
    this.o = resolveSecurityOptions(options);
    this.limiter = new RateLimiter(this.o.clock, { ratePerSecond: this.o.ratePerSecond, burst: this.o.rateBurst, maxKeys: this.o.maxTrackedSources });
    this.banList = new BanList(this.o);
  }

  /** Load persisted bans (lifting those that ran out meanwhile) and start periodic upkeep. */
  async start(): Promise<void> {
    const now = this.o.clock.now();
    for (const ban of await this.o.bans.list()) {
      const b = { ...ban, address: canonicalAddress(ban.address) };
      if (b.until.getTime() > now) this.banList.restore(b);
      else this.write(() => this.o.bans.remove(ban.address));
    }
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Resolves when every event and ban written so far is stored. */
  flush(): Promise<void> {
    return this.writes;
  }

  admit(source: MessageSource, msg: SipMessage | undefined, raw?: Uint8Array): Admission {
    return msg === undefined ? this.admitBytes(source, raw) : this.admitMessage(source, msg);
  }

  /** Before parsing: banned sources and sources over their rate are dropped. */
  admitBytes(source: MessageSource, raw?: Uint8Array): Admission {
    const addr = canonicalAddress(source.address);
    if (this.o.trusted.contains(addr)) return 'accept';
    if (this.isBanned(addr)) return 'drop';
    if (this.limiter.take(addr)) return 'accept';
    this.throttled('rate-limited', source, raw ? `${raw.length} bytes` : undefined);
    this.countRateDrop(addr);
    return 'drop';
  }

  /** After parsing: banned sources and requests from known scanners are dropped. */
  admitMessage(source: MessageSource, msg: SipMessage): Admission {
    const addr = canonicalAddress(source.address);
    if (this.o.trusted.contains(addr)) return 'accept';
    if (this.isBanned(addr)) return 'drop';
    if (msg.kind !== 'request') return 'accept';
    const ua = msg.headers.get('User-Agent');
    if (ua === undefined) return 'accept';
    const low = ua.toLowerCase();
    const hit = this.o.scannerUserAgents.find((s) => low.includes(s));
    if (hit === undefined) return 'accept';
    this.throttled('scanner-dropped', source, `${msg.method} matched ${hit}`, ua);
    if (this.o.banScanners) this.ban(addr, `scanner User-Agent: ${ua.slice(0, 100)}`);
    return 'drop';
  }

  recordAuthFailure(source: MessageSource, username: string, detail = 'authentication failed'): void {
    const addr = canonicalAddress(source.address);
    const now = this.o.clock.now();
    this.event({ at: new Date(now), kind: 'auth-failure', ...where(source), username: username.slice(0, 100), detail });
    if (this.o.trusted.contains(addr) || this.o.maxAuthFailures === 0 || this.banList.get(addr, now)) return;
    const list = (this.failures.get(addr) ?? []).filter((f) => now - f.at < this.o.authFailureWindowMs);
    list.push({ at: now, username });
    this.bounded(this.failures, addr, list);
    if (list.length >= this.o.maxAuthFailures) {
      this.failures.delete(addr);
      this.ban(addr, `${list.length} authentication failures within ${Math.round(this.o.authFailureWindowMs / 1000)} s`);
    }
  }

  /** A success forgets that source's earlier failures for the same username only (guessing other names gains nothing). */
  recordAuthSuccess(source: MessageSource, username: string): void {
    const addr = canonicalAddress(source.address);
    const list = this.failures.get(addr);
    if (!list) return;
    const rest = list.filter((f) => f.username !== username);
    if (rest.length === 0) this.failures.delete(addr);
    else this.failures.set(addr, rest);
  }

  recordNonceReplay(source: MessageSource, username: string): void {
    this.event({ at: new Date(this.o.clock.now()), kind: 'nonce-replay', ...where(source), username: username.slice(0, 100) });
  }

  /** The stack could not parse what this source sent. */
  recordMalformed(source: MessageSource, detail: string): void {
    if (this.o.trusted.contains(canonicalAddress(source.address))) return;
    this.throttled('malformed', source, detail.slice(0, 200));
  }

  isTrusted(address: string): boolean {
    return this.o.trusted.contains(address);
  }

  /** Bans in force, soonest to end first (for the CLI and API). */
  listBans(): Ban[] {
    return this.banList.active(this.o.clock.now()).map((b) => ({ ...b }));
  }

  /** Ban an address by hand (blacklist), for `ms` or the policy's length. */
  banAddress(address: string, reason: string, ms?: number): Ban {
    const addr = canonicalAddress(address);
    if (ms === undefined) return this.ban(addr, reason);
    const now = this.o.clock.now();
    return this.applyBan(this.banList.put({ address: addr, reason, bannedAt: new Date(now), until: new Date(now + ms) }));
  }

  /** Lift a ban by hand; false when the address was not banned. */
  async liftBan(address: string): Promise<boolean> {
    const addr = canonicalAddress(address);
    const had = this.banList.remove(addr);
    const stored = await this.o.bans.remove(addr);
    if (had || stored) this.event({ at: new Date(this.o.clock.now()), kind: 'unban', sourceAddress: addr, detail: 'lifted by operator' });
    return had || stored;
  }

  private isBanned(addr: string): boolean {
    const now = this.o.clock.now();
    if (this.banList.get(addr, now)) return true;
    if (this.banList.expired(addr, now)) this.liftExpired(addr);
    return false;
  }

  private liftExpired(addr: string): void {
    this.banList.remove(addr);
    this.write(async () => void (await this.o.bans.remove(addr)));
    this.event({ at: new Date(this.o.clock.now()), kind: 'unban', sourceAddress: addr, detail: 'expired' });
  }

  private ban(addr: string, reason: string): Ban {
    return this.applyBan(this.banList.banFor(addr, reason, this.o.clock.now()));
  }

  private applyBan(ban: Ban): Ban {
    this.write(() => this.o.bans.put(ban));
    this.event({ at: ban.bannedAt, kind: 'ban', sourceAddress: ban.address, detail: `${ban.reason}; until ${ban.until.toISOString()}` });
    this.o.logger.warn({ address: ban.address, until: ban.until.toISOString(), reason: ban.reason }, 'SIP source banned');
    return ban;
  }

  private countRateDrop(addr: string): void {
    if (this.o.rateBanThreshold === 0) return;
    const now = this.o.clock.now();
    let w = this.rateDrops.get(addr);
    if (!w || now - w.start >= this.o.rateBanWindowMs) w = { start: now, count: 0 };
    w.count++;
    this.bounded(this.rateDrops, addr, w);
    if (w.count >= this.o.rateBanThreshold) {
      this.rateDrops.delete(addr);
      this.ban(addr, `${w.count} messages over the rate limit within ${Math.round(this.o.rateBanWindowMs / 1000)} s`);
    }
  }

  private throttled(kind: SecurityEventKind, source: MessageSource, detail?: string, userAgent?: string): void {
    const key = `${kind}|${canonicalAddress(source.address)}`;
    const now = this.o.clock.now();
    const t = this.throttle.get(key);
    if (t && now - t.last < this.o.eventThrottleMs) {
      t.suppressed++;
      return;
    }
    const more = t && t.suppressed > 0 ? `${t.suppressed} more since last event` : undefined;
    this.bounded(this.throttle, key, { last: now, suppressed: 0, kind, source });
    const e: SecurityEvent = { at: new Date(now), kind, ...where(source) };
    const d = [detail, more].filter((x) => x !== undefined).join('; ');
    if (d.length > 0) e.detail = d;
    if (userAgent !== undefined) e.userAgent = userAgent.slice(0, 200);
    this.event(e);
  }

  private event(e: SecurityEvent): void {
    this.write(() => this.o.events.append(e));
  }

  private write(op: () => Promise<unknown>): void {
    this.writes = this.writes.then(op).then(
      () => undefined,
      (err: unknown) => this.o.logger.error({ err }, 'security store write failed'),
    );
  }

  private bounded<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    while (map.size > this.o.maxTrackedSources) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }

  private schedule(): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.maintain();
      this.schedule();
    }, MAINTENANCE_MS);
  }

  /** Lift bans that ran out, forget stale counters. */
  private maintain(): void {
    const now = this.o.clock.now();
    for (const b of this.banList.allExpired(now)) this.liftExpired(b.address);
    this.banList.forgetOld(now);
    for (const [a, l] of this.failures) if (l.every((f) => now - f.at >= this.o.authFailureWindowMs)) this.failures.delete(a);
    for (const [a, w] of this.rateDrops) if (now - w.start >= this.o.rateBanWindowMs) this.rateDrops.delete(a);
    for (const [k, t] of this.throttle) {
      if (now - t.last < this.o.eventThrottleMs) continue;
      this.throttle.delete(k);
      if (t.suppressed > 0) this.event({ at: new Date(now), kind: t.kind, ...where(t.source), detail: `${t.suppressed} more since last event` });
    }
  }
}

function where(source: MessageSource): Pick<SecurityEvent, 'sourceAddress' | 'sourcePort' | 'transport'> {
  return { sourceAddress: canonicalAddress(source.address), sourcePort: source.port, transport: source.transport };
}

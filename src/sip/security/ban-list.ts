/**
 * Active bans by canonical address, and how often each address was banned
 * recently, so repeat offenders get longer bans (OPS-2). In memory only; the
 * security guard persists changes through the BanStore port.
 */
import type { Ban } from '../ports.ts';

export interface BanPolicy {
  banMs: number;
  banGrowth: number;
  maxBanMs: number;
  offenceMemoryMs: number;
}

export class BanList {
  private readonly bans = new Map<string, Ban>();
  private readonly offences = new Map<string, { count: number; last: number }>();

  constructor(private readonly policy: BanPolicy) {}

  /** The ban on `address` at `now`, if one is in force (expired ones are left for `expired`). */
  get(address: string, now: number): Ban | undefined {
    const b = this.bans.get(address);
    return b && b.until.getTime() > now ? b : undefined;
  }

  /** The ban on `address` if it has run out at `now` (the caller lifts it). */
  expired(address: string, now: number): Ban | undefined {
    const b = this.bans.get(address);
    return b && b.until.getTime() <= now ? b : undefined;
  }

  /** Every ban that has run out at `now`. */
  allExpired(now: number): Ban[] {
    return [...this.bans.values()].filter((b) => b.until.getTime() <= now);
  }

  /** Bans in force at `now`, soonest to end first. */
  active(now: number): Ban[] {
    return [...this.bans.values()].filter((b) => b.until.getTime() > now).sort((a, b) => a.until.getTime() - b.until.getTime());
  }

  /** Ban `address` for the policy's length, grown for a repeat offender. */
  banFor(address: string, reason: string, now: number): Ban {
    const prev = this.offences.get(address);
    const count = prev && now - prev.last <= this.policy.offenceMemoryMs ? prev.count + 1 : 1;
    this.offences.set(address, { count, last: now });
    const ms = Math.min(this.policy.maxBanMs, this.policy.banMs * this.policy.banGrowth ** (count - 1));
    return this.put({ address, reason, bannedAt: new Date(now), until: new Date(now + ms) });
  }

  /** Take back a ban persisted earlier (at start), counting it as an offence. */
  restore(ban: Ban): void {
    this.bans.set(ban.address, ban);
    const at = ban.bannedAt.getTime();
    const prev = this.offences.get(ban.address);
    if (!prev || prev.last < at) this.offences.set(ban.address, { count: (prev?.count ?? 0) + 1, last: at });
  }

  put(ban: Ban): Ban {
    this.bans.set(ban.address, ban);
    return ban;
  }

  remove(address: string): boolean {
    return this.bans.delete(address);
  }

  /** Forget offence counts older than the memory (called now and then). */
  forgetOld(now: number): void {
    for (const [a, o] of this.offences) if (now - o.last > this.policy.offenceMemoryMs) this.offences.delete(a);
  }
}

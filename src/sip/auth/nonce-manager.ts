/**
 * Self-validating digest nonces and nonce-count replay protection (RFC 7616
 * sections 3.3 and 5.4, OPS-1, OPS-2).
 *
 * A nonce is base64url of 32 bytes:
 *
 *    0               8               16                              32
 *   +---------------+---------------+-------------------------------+
 *   | issued (ms BE)|  random (8)   | HMAC-SHA256(secret, ts|rnd|realm)[0..16] |
 *   +---------------+---------------+-------------------------------+
 *
 * so the server keeps no state per challenge: any node holding the secret
 * can check a nonce, and its age tells whether it is stale. What must be
 * remembered is the highest nonce-count seen per nonce; that table is
 * bounded, and when entries have to be dropped under pressure (or after a
 * restart) every nonce issued before the drop is treated as stale, so a
 * forgotten nonce can never be replayed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from '../../shared/random.ts';
import type { Clock } from '../../shared/clock.ts';

export type NonceState = 'valid' | 'stale' | 'invalid';

export interface NonceManagerOptions {
  clock: Clock;
  /** HMAC key (at least 16 bytes). Share it between nodes that must accept each other's nonces. */
  secret: Uint8Array;
  realm: string;
  /** How long a nonce stays valid, ms (default 300 000). */
  lifetimeMs: number;
  /** Most nonces whose count is tracked at once (default 100 000). */
  maxTracked: number;
  /** Random source, injectable for tests (default: the pooled CSPRNG of src/shared/random.ts). */
  random: (n: number) => Uint8Array;
}

const TS_LEN = 8;
const RND_LEN = 8;
const MAC_LEN = 16;
const NONCE_LEN = TS_LEN + RND_LEN + MAC_LEN;

interface Tracked {
  nc: number;
  issuedAt: number;
}

export class NonceManager {
  private readonly opts: NonceManagerOptions;
  private readonly tracked = new Map<string, Tracked>();
  /** Nonces issued at or before this instant and not tracked are stale (restart or eviction). */
  private forgottenUpTo: number;
  private lastSweep: number;

  constructor(options: Partial<NonceManagerOptions> & Pick<NonceManagerOptions, 'clock' | 'secret' | 'realm'>) {
    this.opts = { lifetimeMs: 300_000, maxTracked: 100_000, random: (n) => randomBytesPooled(n), ...options };
    if (this.opts.secret.length < 16) throw new Error('nonce secret must be at least 16 bytes');
    if (!(this.opts.lifetimeMs > 0)) throw new Error('nonce lifetime must be positive');
    // Counts of nonces issued before this instance existed are unknown.
    this.forgottenUpTo = this.opts.clock.now() - 1;
    this.lastSweep = this.opts.clock.now();
  }

  get lifetimeMs(): number {
    return this.opts.lifetimeMs;
  }

  issue(): string {
    const buf = Buffer.alloc(NONCE_LEN);
    buf.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.opts.clock.now()))), 0);
    Buffer.from(this.opts.random(RND_LEN)).copy(buf, TS_LEN, 0, RND_LEN);
    this.mac(buf.subarray(0, TS_LEN + RND_LEN)).copy(buf, TS_LEN + RND_LEN);
    return buf.toString('base64url');
  }

  /** Whether the nonce is ours and how old it is. */
  check(nonce: string): NonceState {
    const issuedAt = this.issuedAt(nonce);
    if (issuedAt === undefined) return 'invalid';
    const now = this.opts.clock.now();
    if (issuedAt > now + 5_000) return 'invalid';
    if (now - issuedAt > this.opts.lifetimeMs) return 'stale';
    if (issuedAt <= this.forgottenUpTo && !this.tracked.has(nonce)) return 'stale';
    return 'valid';
  }

  /**
   * Record a use of a valid nonce with nonce-count `nc` (hex as sent).
   * False when the count does not increase: a replay.
   */
  use(nonce: string, nc: string): boolean {
    const count = parseInt(nc, 16);
    const issuedAt = this.issuedAt(nonce);
    if (issuedAt === undefined || !Number.isFinite(count) || count < 1) return false;
    const prev = this.tracked.get(nonce);
    if (prev && count <= prev.nc) return false;
    this.tracked.set(nonce, { nc: count, issuedAt });
    this.sweep();
    return true;
  }

  /** Nonces whose count is being tracked (for tests and diagnostics). */
  trackedCount(): number {
    return this.tracked.size;
  }

  private issuedAt(nonce: string): number | undefined {
    if (nonce.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
    const buf = Buffer.from(nonce, 'base64url');
    if (buf.length !== NONCE_LEN) return undefined;
    const expected = this.mac(buf.subarray(0, TS_LEN + RND_LEN));
    if (!timingSafeEqual(expected, buf.subarray(TS_LEN + RND_LEN))) return undefined;
    return Number(buf.readBigUInt64BE(0));
  }

  private mac(data: Uint8Array): Buffer {
    return createHmac('sha256', this.opts.secret).update(data).update(this.opts.realm, 'utf8').digest().subarray(0, MAC_LEN);
  }

  private sweep(): void {
    const now = this.opts.clock.now();
    const { lifetimeMs, maxTracked } = this.opts;
    if (now - this.lastSweep >= lifetimeMs || this.tracked.size > maxTracked) {
      this.lastSweep = now;
      for (const [n, t] of this.tracked) if (now - t.issuedAt > lifetimeMs) this.tracked.delete(n);
    }
    // Still too many live ones: forget the oldest, and make everything up to them stale.
    while (this.tracked.size > maxTracked) {
      const first = this.tracked.entries().next().value;
      if (!first) break;
      this.tracked.delete(first[0]);
      this.forgottenUpTo = Math.max(this.forgottenUpTo, first[1].issuedAt);
    }
  }
}

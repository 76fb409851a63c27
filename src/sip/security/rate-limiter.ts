/**
 * Per-key token buckets (OPS-2): each key may send `ratePerSecond` messages
 * a second on average, with bursts up to `burst`. Time comes from the
 * injected Clock. Idle buckets (full again) are forgotten, so memory follows
 * the number of recently active sources, bounded by `maxKeys`.
 */
import type { Clock } from '../../shared/clock.ts';

export interface RateLimiterOptions {
  ratePerSecond: number;
  burst: number;
  /** Most buckets kept; when exceeded, full buckets are swept, then the oldest dropped. */
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly opts: RateLimiterOptions,
  ) {
    if (!(opts.ratePerSecond > 0) || !(opts.burst >= 1)) throw new Error('rate limit needs ratePerSecond > 0 and burst >= 1');
  }

  /** Take one token for `key`; false when the bucket is empty (the message should be dropped). */
  take(key: string): boolean {
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.opts.maxKeys) this.sweep(now);
      b = { tokens: this.opts.burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.ratePerSecond);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Buckets currently kept (diagnostics, tests). */
  size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    const refillMs = (this.opts.burst / this.opts.ratePerSecond) * 1000;
    for (const [k, b] of this.buckets) if (now - b.at >= refillMs) this.buckets.delete(k);
    while (this.buckets.size >= this.opts.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

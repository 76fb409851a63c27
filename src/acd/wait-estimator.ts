/**
 * Recent handle time as an exponentially weighted moving average:
 *   aht ← α·h + (1 − α)·aht      (α = 0.1 by default, seeded by a configured AHT)
 * and the estimated wait of the contact at 1-based position p with N
 * staffed agents (ready, ringing, talking or in wrap-up) able to serve it:
 *   EWT = p · aht / N
 * i.e. the p contacts up to and including this one are spread over N agents,
 * each freeing up once per aht on average. With N = 0 there is no estimate.
 */
export class HandleTimeEwma {
  private value: number;
  private samples = 0;

  constructor(
    initialMs = 180_000,
    private readonly alpha = 0.1,
  ) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError('EWMA alpha must be in (0, 1]');
    this.value = initialMs;
  }

  observe(handleMs: number): void {
    if (!Number.isFinite(handleMs) || handleMs < 0) return;
    this.value = this.alpha * handleMs + (1 - this.alpha) * this.value;
    this.samples++;
  }

  get ahtMs(): number {
    return this.value;
  }

  get count(): number {
    return this.samples;
  }
}

export function estimateWaitMs(position: number, ahtMs: number, staffedAgents: number): number | undefined {
  if (staffedAgents <= 0 || position <= 0) return undefined;
  return (position * ahtMs) / staffedAgents;
}

/**
 * Closes a connection after a quiet spell: fires `onIdle` once no traffic
 * was seen for `idleMs` and no hold is in force. Activity only records a
 * time (no timer churn per packet); the single timer re-arms itself for the
 * remaining time when it fires early. A hold (a registration bound to the
 * connection) keeps it open until the hold ends.
 */
import type { Clock, TimerHandle } from '../../shared/clock.ts';

export class IdleTimer {
  private last: number;
  private holdUntil = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;

  /** idleMs <= 0 disables idle closing. */
  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.last = clock.now();
    this.arm(idleMs);
  }

  /** Record traffic now. */
  touch(): void {
    this.last = this.clock.now();
  }

  /** Keep alive for at least `ms` from now (0 releases any hold). */
  holdFor(ms: number): void {
    this.holdUntil = ms > 0 ? this.clock.now() + ms : 0;
    this.touch();
  }

  /** Milliseconds since the last traffic. */
  quietFor(): number {
    return this.clock.now() - this.last;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(ms: number): void {
    if (this.stopped || this.idleMs <= 0) return;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(1, ms));
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.clock.now();
    const due = Math.max(this.last + this.idleMs, this.holdUntil);
    if (now >= due) {
      this.stopped = true;
      this.onIdle();
    } else this.arm(due - now);
  }
}

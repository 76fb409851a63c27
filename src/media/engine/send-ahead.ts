/**
 * How far ahead a media worker's paced sender sends (issue 3, TEL-3): the
 * number of 20 ms frames between a tick's deadline and the send of what
 * that tick mixed. More frames let a tick run later (a collection, a slow
 * host) before a frame goes out late; each frame costs 20 ms of delay
 * through the engine on every call of the worker.
 *
 * 'auto' (the default, MediaEngineOptions.sendAhead) adapts it, as an adaptive
 * jitter buffer adapts its depth: fast up, slow down.
 *
 * - Up one frame, at once, on a near miss: a tick that committed its frames
 *   less than `marginMs` before the sender was to send them.
 * - Up to `max` while the worker is loaded: the tick's mean length (an
 *   exponential average over about a second of ticks) at or over
 *   `raiseTickMs`. On the busy host of BENCHMARKS.md a tick sometimes ran
 *   two to seven times its mean, so a 5 ms mean can become the 40 ms that
 *   two frames ahead allow.
 * - Down one frame, not below `min`, once the mean has stayed under
 *   `lowerTickMs` with no near miss for `lowerAfterMs`.
 *
 * A step keeps every stream on its grid, as an adaptive jitter buffer's
 * playout does (WorkerRuntime.tick): on a step up the runtime sends the tick's
 * frame once more, into the slot the step opens (a 20 ms stretch: the
 * listener hears that frame twice), and on a step down it sends nothing
 * for that tick (20 ms of audio dropped). So no packet leaves off its
 * stream's 20 ms grid. Before this (until the session of 2026-12-07 22:00)
 * a step up left a 40 ms gap and shifted the stream by 20 ms, which a
 * receiver that judges each packet against its stream's best timing of the
 * last second (as bench:media does) counted as a second of late packets: a
 * full run that stepped inside its 500-call window had 2.45% late frames.
 * Pure: the runtime reports each tick with its own clock.
 */
export interface SendAheadOptions {
  min: number;
  max: number;
  marginMs: number;
  raiseTickMs: number;
  lowerTickMs: number;
  lowerAfterMs: number;
}

export const AUTO_SEND_AHEAD: SendAheadOptions = { min: 2, max: 3, marginMs: 10, raiseTickMs: 5, lowerTickMs: 3, lowerAfterMs: 60_000 };

const FRAME_MS = 20;
/** The mean's weight per tick: about a second of ticks. */
const ALPHA = 1 / 50;

export class SendAheadPolicy {
  private current: number;
  private meanTickMs = 0;
  /** When the worker was last found loaded or close to a miss (the policy's clock). */
  private lastPressureMs = Number.NEGATIVE_INFINITY;
  private counts = { raised: 0, lowered: 0, nearMisses: 0 };

  constructor(private readonly o: SendAheadOptions = AUTO_SEND_AHEAD) {
    if (!(Number.isInteger(o.min) && Number.isInteger(o.max) && o.min >= 1 && o.max >= o.min)) throw new RangeError(`send-ahead: min ${o.min} and max ${o.max} must be whole frames, 1 <= min <= max`);
    this.current = o.min;
  }

  /** Frames ahead for the tick being committed now. */
  get frames(): number {
    return this.current;
  }

  /**
   * Before a commit: `commitMs - dueMs` is how late into its frame the tick
   * commits. A near miss raises the frames of this very commit.
   */
  beforeCommit(dueMs: number, commitMs: number): number {
    if (commitMs - dueMs > this.current * FRAME_MS - this.o.marginMs) {
      this.counts.nearMisses++;
      this.lastPressureMs = commitMs;
      this.raise(this.current + 1);
    }
    return this.current;
  }

  /** After a tick: how long the whole tick ran (ms), and the clock then. */
  afterTick(tickMs: number, nowMs: number): void {
    this.meanTickMs += (tickMs - this.meanTickMs) * ALPHA;
    if (this.meanTickMs >= this.o.raiseTickMs) {
      this.lastPressureMs = nowMs;
      this.raise(this.o.max);
    } else if (this.meanTickMs >= this.o.lowerTickMs) {
      this.lastPressureMs = nowMs;
    } else if (this.current > this.o.min && nowMs - this.lastPressureMs >= this.o.lowerAfterMs) {
      this.current--;
      this.counts.lowered++;
      this.lastPressureMs = nowMs; // another frame down only after another quiet stretch
    }
  }

  private raise(to: number): void {
    const next = Math.min(this.o.max, to);
    if (next <= this.current) return;
    this.current = next;
    this.counts.raised++;
  }

  toJSON(): { frames: number; meanTickMs: number; raised: number; lowered: number; nearMisses: number } {
    return { frames: this.current, meanTickMs: Math.round(this.meanTickMs * 100) / 100, ...this.counts };
  }
}

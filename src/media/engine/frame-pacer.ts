/**
 * The 20 ms media clock's schedule, pure: deadlines are absolute
 * (start + k x frame on a monotonic clock), so timer jitter never accumulates
 * into drift. Each wake-up runs every frame that is due (catching up after a
 * stall, so RTP timestamps and wall time stay aligned) and returns the delay
 * to the next deadline. A frame run more than `lateMs` past its deadline is
 * counted late; if more than `maxCatchUp` frames are due at once (a stall of
 * the whole thread), the oldest are skipped and counted, and the clock
 * re-anchors rather than bursting.
 */
export interface FramePacerOptions {
  frameMs: number;
  lateMs: number;
  maxCatchUp: number;
}

export interface PacerWake {
  /** Frames to run now. */
  frames: number;
  /** Milliseconds until the next deadline (>= 0). */
  delayMs: number;
}

const DEFAULTS: FramePacerOptions = { frameMs: 20, lateMs: 10, maxCatchUp: 5 };

export class FramePacer {
  private readonly o: FramePacerOptions;
  private next = 0;
  private counts = { frames: 0, lateFrames: 0, skippedFrames: 0, maxLateMs: 0 };

  constructor(options: Partial<FramePacerOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** Anchors the schedule: the first frame is due at `nowMs`. */
  start(nowMs: number): void {
    this.next = nowMs;
  }

  /** Deadline of the next frame on the caller's clock. */
  get nextDueMs(): number {
    return this.next;
  }

  wake(nowMs: number): PacerWake {
    const { frameMs } = this.o;
    let due = nowMs >= this.next ? Math.floor((nowMs - this.next) / frameMs) + 1 : 0;
    if (due > this.o.maxCatchUp) {
      const skip = due - this.o.maxCatchUp;
      this.counts.skippedFrames += skip;
      this.next += skip * frameMs;
      due = this.o.maxCatchUp;
    }
    for (let i = 0; i < due; i++) {
      const late = nowMs - (this.next + i * frameMs);
      if (late > this.o.lateMs) this.counts.lateFrames++;
      if (late > this.counts.maxLateMs) this.counts.maxLateMs = late;
    }
    this.next += due * frameMs;
    this.counts.frames += due;
    return { frames: due, delayMs: Math.max(0, this.next - nowMs) };
  }

  toJSON() {
    return { ...this.counts, maxLateMs: Math.round(this.counts.maxLateMs * 10) / 10 };
  }
}

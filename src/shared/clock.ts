/**
 * Time as a port: cores never call Date.now() or setTimeout themselves, so
 * tests drive them with FakeClock and timers fire exactly when asked.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

/**
 * The real clock. Node's timers run on libuv's loop time, which is read once
 * per loop turn, so a timer set late in a turn can fire up to a millisecond
 * before `ms` have passed by Date.now() (seen: a 6 s service-time limit
 * reported at 5,999 ms). A timer that wakes before its due time on this
 * clock sleeps for the rest, as FakeClock's timers never fire early; if the
 * wall clock stepped back by more than `ms` meanwhile, it fires rather than
 * wait for the step.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const wait = Math.max(0, ms);
    const due = Date.now() + wait;
    let t: ReturnType<typeof setTimeout>;
    const arm = (delay: number) => {
      t = setTimeout(check, delay);
      t.unref?.();
    };
    const check = () => {
      const left = due - Date.now();
      if (left > 0 && left <= wait) arm(left);
      else fn();
    };
    arm(wait);
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that only moves when told; timers fire in due order during advance(). */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return { cancel: () => void this.timers.delete(id) };
  }

  /** Number of timers still pending. */
  pending(): number {
    return this.timers.size;
  }

  /** Move time forward by ms, firing every timer due on the way, earliest first. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, tm] of this.timers) {
        if (tm.at <= end && (tm.at < nextAt || (tm.at === nextAt && id < nextId))) {
          nextAt = tm.at;
          nextId = id;
        }
      }
      if (nextId < 0) break;
      const tm = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.t = Math.max(this.t, tm.at);
      tm.fn();
    }
    this.t = end;
  }
}

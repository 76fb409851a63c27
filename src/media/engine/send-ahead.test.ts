// Issue 3 (TEL-3): paced sending with --media-send-ahead auto. The frames
// between a tick and the send of what it mixed start at 2, go to 3 at once
// while the worker is loaded or after a near miss, and back to 2 only after
// a quiet minute.
import { describe, expect, it } from 'vitest';
import type { WorkerEvent, WorkerStats } from './engine-protocol.ts';
import { AUTO_SEND_AHEAD, SendAheadPolicy } from './send-ahead.ts';
import { WorkerRuntime } from './worker-runtime.ts';

/** Ticks every 20 ms of the policy's clock from `fromMs`, each `tickMs` long and committing at its end; the frames of each commit. */
function run(p: SendAheadPolicy, fromMs: number, ticks: number, tickMs: number): number[] {
  const frames: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const due = fromMs + i * 20;
    frames.push(p.beforeCommit(due, due + tickMs));
    p.afterTick(tickMs, due + tickMs);
  }
  return frames;
}

describe('SendAheadPolicy (sendAhead auto) - TEL-3', () => {
  it('keeps 2 frames on a lightly loaded worker', () => {
    const p = new SendAheadPolicy();
    expect(new Set(run(p, 0, 6000, 1.5))).toEqual(new Set([2])); // two minutes of 1.5 ms ticks
    expect(p.toJSON()).toMatchObject({ frames: 2, raised: 0, lowered: 0, nearMisses: 0 });
  });

  it('goes to 3 within about a second of a loaded worker, stays while it is loaded, and back to 2 a quiet minute later', () => {
    const p = new SendAheadPolicy();
    const loaded = run(p, 0, 500, 8); // ten seconds of 8 ms ticks (800 recorded calls on two workers)
    const up = loaded.indexOf(3);
    expect(up).toBeGreaterThan(0);
    expect(up).toBeLessThanOrEqual(50);
    expect(loaded.slice(up).every((f) => f === 3)).toBe(true);
    // load falls: the mean decays below 3 ms within a second or two, then a minute must pass
    const quiet = run(p, 10_000, 4000, 1);
    const down = quiet.indexOf(2);
    expect(down * 20).toBeGreaterThanOrEqual(AUTO_SEND_AHEAD.lowerAfterMs);
    expect(down * 20).toBeLessThan(AUTO_SEND_AHEAD.lowerAfterMs + 3000);
    expect(quiet.slice(down).every((f) => f === 2)).toBe(true); // never below min
    expect(p.toJSON()).toMatchObject({ frames: 2, raised: 1, lowered: 1 });
  });

  it('a tick between loaded and quiet (3-5 ms) holds the frames where they are', () => {
    const p = new SendAheadPolicy();
    run(p, 0, 200, 8);
    expect(p.frames).toBe(3);
    expect(run(p, 4000, 6000, 4).every((f) => f === 3)).toBe(true);
  });

  it('a near miss raises the frames of that very commit, and counts even at the maximum', () => {
    const p = new SendAheadPolicy();
    run(p, 0, 100, 1);
    // two frames ahead, the sender sends at due + 40: a commit at due + 31 leaves it under 10 ms
    expect(p.beforeCommit(2000, 2029)).toBe(2);
    expect(p.beforeCommit(2020, 2051)).toBe(3);
    expect(p.beforeCommit(2040, 2095)).toBe(3); // already at 3: a miss the policy cannot help
    expect(p.toJSON()).toMatchObject({ frames: 3, raised: 1, nearMisses: 2 });
  });

  it('refuses frames that are not whole or a maximum under the minimum', () => {
    expect(() => new SendAheadPolicy({ ...AUTO_SEND_AHEAD, min: 0 })).toThrow(RangeError);
    expect(() => new SendAheadPolicy({ ...AUTO_SEND_AHEAD, min: 3, max: 2 })).toThrow(RangeError);
    expect(() => new SendAheadPolicy({ ...AUTO_SEND_AHEAD, max: 2.5 })).toThrow(RangeError);
  });
});

describe('WorkerRuntime with sendAhead auto - TEL-3', () => {
  it('commits each tick 2 frames after its deadline, 3 once its ticks are long, and reports the policy in its stats', () => {
    let now = 0;
    let workMs = 1;
    const timers: Array<() => void> = [];
    const commits: number[] = [];
    const base: NonNullable<WorkerStats['sender']> = { sendAhead: 2, sent: 0, dropped: 0, errors: 0, batches: 0, lateBatches: 0, lateDatagrams: 0, maxLateMs: 0, realtimePriority: 0 };
    const runtime = new WorkerRuntime({
      now: () => now,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => undefined,
      emit: (_e: WorkerEvent) => undefined,
      sendAhead: 'auto',
      senderStats: () => base,
      // the tick's work before its commit: the clock moves on by it
      commitFrames: (dueMs) => {
        now += workMs;
        commits.push(dueMs);
      },
    });
    runtime.start();
    const tickAt = (due: number) => {
      now = due;
      timers.shift()!();
    };
    timers.shift()!(); // the first frame, due at 0
    for (let due = 20; due < 2000; due += 20) tickAt(due);
    expect(commits.slice(0, 100).map((c, i) => c - i * 20)).toEqual(Array(100).fill(40));
    expect(runtime.stats().sender).toMatchObject({ sendAhead: 2, auto: { frames: 2, raised: 0 } });
    workMs = 8;
    for (let due = 2000; due < 4000; due += 20) tickAt(due);
    expect(commits.at(-1)! - 3980).toBe(60);
    expect(runtime.stats().sender).toMatchObject({ sendAhead: 3, auto: { frames: 3, raised: 1, nearMisses: 0 } });
    void runtime.stop();
  });
});

import { describe, expect, it } from 'vitest';
import { FramePacer } from './frame-pacer.ts';

describe('FramePacer: 20 ms media clock without drift - TEL-3, TEL-6', () => {
  it('keeps absolute deadlines: late timer wake-ups do not accumulate', () => {
    const p = new FramePacer();
    p.start(0);
    expect(p.wake(0)).toEqual({ frames: 1, delayMs: 20 });
    // every timer fires 3 ms late: the delay shrinks so deadlines stay on the 20 ms grid
    let now = 23;
    for (let i = 0; i < 100; i++) {
      const w = p.wake(now);
      expect(w.frames).toBe(1);
      expect(w.delayMs).toBe(17);
      now += w.delayMs + 3;
    }
    expect(p.toJSON()).toMatchObject({ frames: 101, lateFrames: 0, skippedFrames: 0, maxLateMs: 3 });
  });

  it.each([
    // [stall ms, frames run, late, skipped]
    [5, 1, 0, 0],
    [15, 1, 1, 0],
    [45, 3, 2, 0],
    [200, 5, 4, 6],
  ])('after a stall of %i ms runs %i frames (%i late, %i skipped)', (stall, frames, late, skipped) => {
    const p = new FramePacer();
    p.start(0);
    p.wake(0);
    const w = p.wake(20 + stall);
    expect(w.frames).toBe(frames);
    expect(p.toJSON()).toMatchObject({ lateFrames: late, skippedFrames: skipped });
    expect(w.delayMs).toBeGreaterThanOrEqual(0);
    expect(w.delayMs).toBeLessThanOrEqual(20);
  });

  it('an early wake-up runs nothing and waits for the deadline', () => {
    const p = new FramePacer();
    p.start(100);
    expect(p.wake(95)).toEqual({ frames: 0, delayMs: 5 });
  });
});

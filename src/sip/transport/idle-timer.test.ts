import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { IdleTimer } from './idle-timer.ts';

describe('IdleTimer (TEL-2, OPS-2)', () => {
  const setup = (idleMs: number): { clock: FakeClock; timer: IdleTimer; fired: () => number } => {
    const clock = new FakeClock();
    let n = 0;
    const timer = new IdleTimer(clock, idleMs, () => n++);
    return { clock, timer, fired: () => n };
  };

  it('fires once after the quiet time', () => {
    const { clock, fired } = setup(1000);
    clock.advance(999);
    expect(fired()).toBe(0);
    clock.advance(1);
    expect(fired()).toBe(1);
    clock.advance(10_000);
    expect(fired()).toBe(1);
  });

  it('counts from the last touch with a single pending timer', () => {
    const { clock, timer, fired } = setup(1000);
    for (let i = 0; i < 50; i++) {
      clock.advance(100);
      timer.touch();
    }
    expect(clock.pending()).toBe(1);
    clock.advance(999);
    expect(fired()).toBe(0);
    clock.advance(1);
    expect(fired()).toBe(1);
  });

  it('a hold outlasts the idle time; releasing it lets idleness count again', () => {
    const { clock, timer, fired } = setup(1000);
    timer.holdFor(5000);
    clock.advance(4999);
    expect(fired()).toBe(0);
    clock.advance(1);
    expect(fired()).toBe(1);
    const b = setup(1000);
    b.timer.holdFor(5000);
    b.clock.advance(500);
    b.timer.holdFor(0);
    b.clock.advance(1000);
    expect(b.fired()).toBe(1);
  });

  it('never fires when disabled or stopped', () => {
    const off = setup(0);
    off.clock.advance(1e9);
    expect(off.fired()).toBe(0);
    expect(off.clock.pending()).toBe(0);
    const stopped = setup(1000);
    stopped.timer.stop();
    stopped.clock.advance(5000);
    expect(stopped.fired()).toBe(0);
  });
});

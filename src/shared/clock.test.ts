// The real clock's timers never fire before their due time on the clock's own
// time (Date.now), as FakeClock's do not (found through a CTI-7 service-time
// limit reported at 5,999 ms of a 6,000 ms limit).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('systemClock', () => {
  it('a timer that wakes before its due time by Date.now() sleeps for the rest', async () => {
    const real = Date.now.bind(Date);
    const t0 = real();
    // Date.now() reads t0 when the timer is set and 30 ms short of due when Node's timer first wakes (at 40 ms)
    const now = vi.spyOn(Date, 'now').mockReturnValueOnce(t0).mockReturnValueOnce(t0 + 10);
    let firedAt = 0;
    systemClock.setTimeout(() => (firedAt = real()), 40);
    now.mockImplementation(real);
    await sleep(150);
    // the first wake slept 30 ms more: fired 70 ms after t0 or later, not at 40
    expect(firedAt - t0).toBeGreaterThanOrEqual(68);
  });

  it('fires once on time, and cancel stops it, re-armed or not', async () => {
    let fired = 0;
    systemClock.setTimeout(() => fired++, 5);
    const cancelled = systemClock.setTimeout(() => fired++, 5);
    cancelled.cancel();
    await sleep(25);
    expect(fired).toBe(1);

    const real = Date.now.bind(Date);
    const t0 = real();
    const now = vi.spyOn(Date, 'now').mockReturnValueOnce(t0).mockReturnValueOnce(t0 + 1);
    const rearmed = systemClock.setTimeout(() => fired++, 10);
    now.mockImplementation(real);
    await sleep(12); // first wake saw 9 ms left by the mocked clock and slept again
    rearmed.cancel();
    await sleep(20);
    expect(fired).toBe(1);
  });

  it('fires rather than wait when the wall clock stepped back by more than the delay', async () => {
    const real = Date.now.bind(Date);
    const t0 = real();
    const now = vi.spyOn(Date, 'now').mockReturnValueOnce(t0).mockReturnValueOnce(t0 - 60_000);
    let fired = 0;
    systemClock.setTimeout(() => fired++, 5);
    now.mockImplementation(real);
    await sleep(25);
    expect(fired).toBe(1);
  });
});

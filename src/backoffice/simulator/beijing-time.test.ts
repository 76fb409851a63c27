import { describe, expect, it } from 'vitest';
import { addDays, beijingParts, beijingToEpoch, currentTradingDay, isTradingTime, isValidDate, nextTradingDay, previousTradingDay, tradingMinutesElapsed } from './beijing-time.ts';

/** Beijing local time on 2026-11-DD (23 is a Monday). */
const bj = (day: number, h: number, m: number) => Date.UTC(2026, 10, day, h - 8, m);

describe('Beijing trading calendar (SEC-1)', () => {
  it.each([
    ['09:29 Mon', bj(23, 9, 29), false],
    ['09:30 Mon', bj(23, 9, 30), true],
    ['11:29 Mon', bj(23, 11, 29), true],
    ['11:30 Mon', bj(23, 11, 30), false],
    ['12:59 Mon', bj(23, 12, 59), false],
    ['13:00 Mon', bj(23, 13, 0), true],
    ['14:59 Fri', bj(27, 14, 59), true],
    ['15:00 Fri', bj(27, 15, 0), false],
    ['10:00 Sat', bj(28, 10, 0), false],
    ['10:00 Sun', bj(22, 10, 0), false],
  ])('%s trading=%s', (_label, ms, open) => {
    expect(isTradingTime(ms)).toBe(open);
  });

  it('uses Beijing, not UTC, for the date: 01:00 Beijing is the previous UTC day', () => {
    const ms = bj(23, 1, 0);
    expect(new Date(ms).getUTCDate()).toBe(22);
    expect(beijingParts(ms)).toEqual({ date: '20261123', weekday: 1, minuteOfDay: 60 });
    expect(beijingToEpoch('20261123', 60)).toBe(ms);
  });

  it.each([
    [9 * 60, 0],
    [9 * 60 + 30, 0],
    [10 * 60 + 30, 60],
    [12 * 60, 120],
    [13 * 60 + 1, 121],
    [16 * 60, 240],
  ])('minute of day %i is %i trading minutes in', (m, elapsed) => {
    expect(tradingMinutesElapsed(m)).toBe(elapsed);
  });

  it('skips weekends', () => {
    expect(currentTradingDay(bj(22, 10, 0))).toBe('20261120');
    expect(previousTradingDay('20261123')).toBe('20261120');
    expect(nextTradingDay('20261120')).toBe('20261123');
    expect(nextTradingDay('20261123', 3)).toBe('20261126');
    expect(addDays('20261130', 1)).toBe('20261201');
  });

  it.each([
    ['20261123', true],
    ['20240229', true],
    ['20230229', false],
    ['20261301', false],
    ['2026-11-23', false],
    ['', false],
  ])('isValidDate(%s) = %s', (s, ok) => {
    expect(isValidDate(s)).toBe(ok);
  });
});

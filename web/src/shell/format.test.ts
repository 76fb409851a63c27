import { describe, expect, it } from 'vitest';
import { formatDuration, formatPercent } from './format.ts';

describe('formats for the live views (SUP-1, RPT-1)', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [61_000, '1:01'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
    [-5, '0:00'],
  ])('duration %d ms → %s', (ms, out) => expect(formatDuration(ms)).toBe(out));
  it.each([
    [null, '—'],
    [undefined, '—'],
    [0, '0%'],
    [0.8456, '85%'],
    [1, '100%'],
  ])('percent %s → %s', (v, out) => expect(formatPercent(v)).toBe(out));
});

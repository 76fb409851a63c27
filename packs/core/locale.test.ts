// Spoken money, dates and keyed amounts (issue 8, IVR-3: * is the decimal point, dates are YYYYMMDD).
import { describe, expect, it } from 'vitest';
import { count, milli4, money, parseAmount, spokenDate } from './locale.ts';

describe('IVR-3 amounts keyed with * as the decimal point', () => {
  it.each([
    ['1000', 100_000],
    ['10.5', 1_050],
    ['10*05', 1_005],
    ['0.01', 1],
    ['0', undefined],
    ['1.234', undefined],
    ['abc', undefined],
    [undefined, undefined],
  ])('%s -> %s fen', (text, fen) => expect(parseAmount(text)).toBe(fen));
});

describe('SEC-2 spoken figures in zh-CN and en-US', () => {
  it.each([
    [123_456, 'zh-CN', '1234.56元'],
    [123_456, 'en-US', '1,234.56 yuan'],
    [-5, 'zh-CN', '负0.05元'],
    [5_000_000_000, 'en-US', '50,000,000.00 yuan'],
  ] as const)('money(%s, %s) = %s', (fen, locale, want) => expect(money(fen, locale)).toBe(want));

  it.each([
    ['20261123', 'zh-CN', '2026年11月23日'],
    ['20260105', 'en-US', 'January 5, 2026'],
  ] as const)('date %s in %s', (d, locale, want) => expect(spokenDate(d, locale)).toBe(want));

  it('counts and NAVs', () => {
    expect(count(1500, '股', 'shares', 'en-US')).toBe('1,500 shares');
    expect(count(1500, '股', 'shares', 'zh-CN')).toBe('1500股');
    expect(milli4(12_345)).toBe('1.2345');
  });
});

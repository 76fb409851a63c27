import { describe, expect, it } from 'vitest';
import { BusinessHours } from './business-hours.ts';
import { localDateKey, nextLocalMidnight } from './center-time.ts';

// 2026-10-08 is a Thursday; Shanghai is UTC+8 all year.
const utc = (s: string) => Date.parse(s);

describe('business hours and holidays in the center time zone (ACD-6)', () => {
  const hours = new BusinessHours({
    weekly: { '1': [{ from: '08:30', to: '17:00' }], '4': [{ from: '08:30', to: '11:30' }, { from: '13:00', to: '17:00' }] },
    holidays: ['2026-10-01'],
    specialDays: { '2026-10-10': [{ from: '09:00', to: '12:00' }] },
  });

  it.each([
    ['2026-10-08T00:29:00Z', false, 'weekly'], // 08:29 Shanghai
    ['2026-10-08T00:30:00Z', true, 'weekly'], // 08:30
    ['2026-10-08T04:00:00Z', false, 'weekly'], // 12:00 lunch break
    ['2026-10-08T05:00:00Z', true, 'weekly'], // 13:00
    ['2026-10-08T09:00:00Z', false, 'weekly'], // 17:00 closes
    ['2026-10-07T16:30:00Z', false, 'weekly'], // Thursday 00:30 in Shanghai, still Wednesday in UTC
    ['2026-10-12T01:00:00Z', true, 'weekly'], // Monday 09:00
  ] as const)('%s open=%s', (at, open, rule) => {
    expect(hours.status(utc(at))).toEqual({ open, rule });
  });

  it('a holiday is closed all day; a special day (make-up Saturday) opens on its own ranges', () => {
    expect(hours.status(utc('2026-10-01T02:00:00Z'))).toEqual({ open: false, rule: 'holiday' });
    expect(hours.status(utc('2026-10-10T01:30:00Z'))).toEqual({ open: true, rule: 'special-day' });
    expect(hours.status(utc('2026-10-10T05:00:00Z'))).toEqual({ open: false, rule: 'special-day' });
    expect(hours.status(utc('2026-10-11T02:00:00Z'))).toEqual({ open: false, rule: 'weekly' }); // Sunday
  });

  it('uses a configured time zone', () => {
    const ny = new BusinessHours({ timeZone: 'America/New_York', weekly: { '4': [{ from: '09:00', to: '17:00' }] } });
    expect(ny.status(utc('2026-10-08T13:30:00Z')).open).toBe(true); // 09:30 EDT
    expect(ny.status(utc('2026-10-08T12:30:00Z')).open).toBe(false);
  });

  it('rejects bad configuration with the setting named', () => {
    expect(() => new BusinessHours({ timeZone: 'Mars/Base' })).toThrow(/time zone/);
    expect(() => new BusinessHours({ weekly: { '1': [{ from: '17:00', to: '08:00' }] } })).toThrow(/before/);
    expect(() => new BusinessHours({ holidays: ['1 Oct'] })).toThrow(/YYYY-MM-DD/);
  });

  it('day keys and midnights follow the center, not UTC', () => {
    const t = utc('2026-10-07T16:30:00Z'); // 00:30 on the 8th in Shanghai
    expect(localDateKey(t, 'Asia/Shanghai')).toBe('2026-10-08');
    expect(nextLocalMidnight(t, 'Asia/Shanghai')).toBe(utc('2026-10-08T16:00:00Z'));
    expect(nextLocalMidnight(utc('2026-11-01T12:00:00Z'), 'America/New_York')).toBe(utc('2026-11-02T05:00:00Z'));
  });
});

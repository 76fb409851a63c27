/**
 * Beijing business time for the simulated market, with Intl (Asia/Shanghai):
 * trading day, minute of day, and the two continuous sessions 09:30-11:30 and
 * 13:00-15:00 on weekdays. Public holidays are not modelled: every weekday
 * trades.
 */
import type { YyyyMmDd } from '../port.ts';

const TZ = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
const fmt = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export interface BeijingParts {
  readonly date: YyyyMmDd;
  /** 0 = Sunday ... 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minuteOfDay: number;
}

export function beijingParts(ms: number): BeijingParts {
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(new Date(ms))) p[part.type] = part.value;
  return {
    date: `${p.year}${p.month}${p.day}`,
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
    minuteOfDay: Number(p.hour) * 60 + Number(p.minute),
  };
}

export const MORNING_OPEN = 9 * 60 + 30;
export const MORNING_CLOSE = 11 * 60 + 30;
export const AFTERNOON_OPEN = 13 * 60;
export const AFTERNOON_CLOSE = 15 * 60;
/** Continuous-trading minutes in a day. */
export const TRADING_MINUTES = 240;

export function isWeekday(weekday: number): boolean {
  return weekday >= 1 && weekday <= 5;
}

/** True inside a continuous session (opening minute included, closing minute excluded). */
export function isTradingTime(ms: number): boolean {
  const { weekday, minuteOfDay: m } = beijingParts(ms);
  if (!isWeekday(weekday)) return false;
  return (m >= MORNING_OPEN && m < MORNING_CLOSE) || (m >= AFTERNOON_OPEN && m < AFTERNOON_CLOSE);
}

/**
 * Trading minutes elapsed today at a local minute of day, 0..240: 0 before
 * the open, frozen at 120 over lunch, 240 after the close.
 */
export function tradingMinutesElapsed(minuteOfDay: number): number {
  if (minuteOfDay < MORNING_OPEN) return 0;
  if (minuteOfDay < MORNING_CLOSE) return minuteOfDay - MORNING_OPEN;
  if (minuteOfDay < AFTERNOON_OPEN) return 120;
  if (minuteOfDay < AFTERNOON_CLOSE) return 120 + minuteOfDay - AFTERNOON_OPEN;
  return TRADING_MINUTES;
}

/** Epoch ms of a Beijing local time (UTC+8 all year; China has no DST). */
export function beijingToEpoch(date: YyyyMmDd, minuteOfDay: number): number {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(4, 6));
  const d = Number(date.slice(6, 8));
  return Date.UTC(y, mo - 1, d) - 8 * 3_600_000 + minuteOfDay * 60_000;
}

/** The date `days` calendar days away. */
export function addDays(date: YyyyMmDd, days: number): YyyyMmDd {
  return beijingParts(beijingToEpoch(date, 12 * 60) + days * DAY_MS).date;
}

export function weekdayOf(date: YyyyMmDd): number {
  return beijingParts(beijingToEpoch(date, 12 * 60)).weekday;
}

/** The trading day whose figures show at `ms`: today on a weekday, else the last Friday. */
export function currentTradingDay(ms: number): YyyyMmDd {
  let d = beijingParts(ms).date;
  while (!isWeekday(weekdayOf(d))) d = addDays(d, -1);
  return d;
}

/** The weekday before `date`. */
export function previousTradingDay(date: YyyyMmDd): YyyyMmDd {
  let d = addDays(date, -1);
  while (!isWeekday(weekdayOf(d))) d = addDays(d, -1);
  return d;
}

/** The `n`-th weekday after `date` (n >= 1). */
export function nextTradingDay(date: YyyyMmDd, n = 1): YyyyMmDd {
  let d = date;
  for (let i = 0; i < n; i++) {
    d = addDays(d, 1);
    while (!isWeekday(weekdayOf(d))) d = addDays(d, 1);
  }
  return d;
}

/** Checks `YYYYMMDD` is a real calendar date. */
export function isValidDate(s: string): boolean {
  if (!/^\d{8}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

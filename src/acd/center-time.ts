/**
 * Wall-clock parts in the center's time zone (DESIGN.md "Time"), with Intl
 * only. Stored times stay UTC epoch ms; this is for hours and "today".
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for an unknown zone, like Intl itself. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

export function localParts(epochMs: number, timeZone: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? 0,
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
  };
}

/** 'YYYY-MM-DD' of the local calendar day. */
export function localDateKey(epochMs: number, timeZone: string): string {
  const p = localParts(epochMs, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Epoch ms of the next local midnight strictly after epochMs. */
export function nextLocalMidnight(epochMs: number, timeZone: string): number {
  const p = localParts(epochMs, timeZone);
  const sinceMidnight = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + (epochMs % 1000 + 1000) % 1000;
  let guess = epochMs - sinceMidnight + 86_400_000;
  // A DST change inside the day shifts local midnight by the offset change; correct once.
  const q = localParts(guess, timeZone);
  if (q.hour !== 0 || q.minute !== 0) {
    const drift = ((q.hour >= 12 ? q.hour - 24 : q.hour) * 60 + q.minute) * 60_000;
    guess -= drift;
  }
  return guess;
}

/**
 * Business hours, holidays and special days (ACD-6) in the center's time
 * zone (Asia/Shanghai by default), computed with Intl only.
 */
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, assertTimeZone, localDateKey, localParts } from './center-time.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time must be HH:MM');
const range = z
  .object({ from: hhmm, to: hhmm })
  .refine((r) => r.from < r.to, { message: 'from must be before to' });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'no such date');

export const businessHoursSchema = z.object({
  timeZone: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine((tz) => {
      try {
        assertTimeZone(tz);
        return true;
      } catch {
        return false;
      }
    }, 'unknown time zone'),
  /** Opening ranges per weekday, 0 = Sunday … 6 = Saturday. */
  weekly: z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(range)).default({}),
  /** Closed all day (public holidays). */
  holidays: z.array(date).default([]),
  /** Dates with their own ranges, overriding weekday and holiday (make-up working days, short days). */
  specialDays: z.record(date, z.array(range)).default({}),
});

export type BusinessHoursConfig = z.input<typeof businessHoursSchema>;

export type HoursStatus =
  | { readonly open: true; readonly rule: 'weekly' | 'special-day' }
  | { readonly open: false; readonly rule: 'weekly' | 'holiday' | 'special-day' };

export class BusinessHours {
  private readonly cfg: z.output<typeof businessHoursSchema>;

  /** Throws a ZodError naming the bad setting. */
  constructor(config: BusinessHoursConfig) {
    this.cfg = businessHoursSchema.parse(config);
  }

  get timeZone(): string {
    return this.cfg.timeZone;
  }

  status(epochMs: number): HoursStatus {
    const day = localDateKey(epochMs, this.cfg.timeZone);
    const p = localParts(epochMs, this.cfg.timeZone);
    const hm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
    const inside = (ranges: readonly { from: string; to: string }[]): boolean =>
      ranges.some((r) => hm >= r.from && hm < r.to);
    const special = this.cfg.specialDays[day];
    if (special) return { open: inside(special), rule: 'special-day' } as HoursStatus;
    if (this.cfg.holidays.includes(day)) return { open: false, rule: 'holiday' };
    const ranges = this.cfg.weekly[String(p.weekday) as '0'] ?? [];
    return { open: inside(ranges), rule: 'weekly' } as HoursStatus;
  }
}

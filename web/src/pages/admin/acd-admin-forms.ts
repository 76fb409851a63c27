/**
 * Pure helpers of the queues, hours, routing-rules and entry-points pages
 * (ADM-1, ADM-2, ACD-2, ACD-6, ACD-9, CTI-7): the wire shapes of
 * /api/v1/admin/queues and /api/v1/admin/hours, form values in seconds and
 * text, and the conversions both ways. The server validates again; these
 * only catch what a form can show next to its field.
 */

export const STRATEGY_RULES = ['skill-first', 'longest-idle', 'fewest-calls', 'round-robin', 'last-agent', 'customer-level', 'region', 'media-priority', 'group-priority'] as const;
export const MAX_WAIT_ACTIONS = ['voicemail', 'callback-offer'] as const;
export const NIGHT_SERVICE_KINDS = ['voicemail', 'queue', 'ivr', 'announce-and-hang-up'] as const;
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;
export const QUEUE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export interface SkillRequirement {
  skill: string;
  minLevel?: number;
}

export interface Treatment {
  music?: string;
  announcements?: { firstAfterMs: number; everyMs: number; position: boolean; estimatedWait: boolean };
  overflow?: { toQueue: string; afterMs?: number; whenLengthAbove?: number };
  maxWait?: { afterMs: number; action: (typeof MAX_WAIT_ACTIONS)[number]; mailbox?: string };
  dtmfExits?: Record<string, unknown>;
}

export interface AdminQueue {
  id: string;
  name?: string;
  requiredSkills: SkillRequirement[];
  groups?: string[];
  serviceLevelMs?: number;
  wrapUpMs?: number;
  ringTimeoutMs?: number;
  serviceTimeLimitMs?: number;
  serviceTimeReminderMs?: number;
  strategy?: { rules: string[]; [k: string]: unknown };
  treatment?: Treatment;
  waiting: number;
}

/** A queue form: times in seconds, skills as text `general:5, vip`. */
export interface QueueFormValues {
  id?: string;
  name?: string;
  skills?: string;
  strategy?: string[];
  ringTimeoutSec?: number | null;
  wrapUpSec?: number | null;
  serviceLevelSec?: number | null;
  serviceTimeLimitSec?: number | null;
  serviceTimeReminderSec?: number | null;
  maxWaitSec?: number | null;
  maxWaitAction?: (typeof MAX_WAIT_ACTIONS)[number];
  overflowTo?: string | null;
  overflowAfterSec?: number | null;
}

/** `general:5, vip` -> [{skill: general, minLevel: 5}, {skill: vip}]; the first bad item otherwise. */
export function parseRequiredSkills(text: string): { ok: true; skills: SkillRequirement[] } | { ok: false; bad: string } {
  const skills: SkillRequirement[] = [];
  for (const raw of text.split(/[,\s]+/).filter((x) => x !== '')) {
    const m = /^([A-Za-z0-9_.-]{1,64})(?::(\d{1,2}))?$/.exec(raw);
    const level = m?.[2] !== undefined ? Number(m[2]) : undefined;
    if (!m || (level !== undefined && (level < 1 || level > 10))) return { ok: false, bad: raw };
    skills.push({ skill: m[1]!, ...(level !== undefined ? { minLevel: level } : {}) });
  }
  return { ok: true, skills };
}

export function formatRequiredSkills(skills: readonly SkillRequirement[]): string {
  return skills.map((s) => (s.minLevel !== undefined ? `${s.skill}:${s.minLevel}` : s.skill)).join(', ');
}

const sec = (ms: number | undefined): number | null => (ms === undefined ? null : ms / 1000);
const ms = (s: number | null | undefined): number | null => (s === null || s === undefined ? null : Math.round(s * 1000));

export function queueFormValues(q: AdminQueue): QueueFormValues {
  return {
    id: q.id,
    name: q.name ?? '',
    skills: formatRequiredSkills(q.requiredSkills),
    strategy: q.strategy?.rules ?? [],
    ringTimeoutSec: sec(q.ringTimeoutMs),
    wrapUpSec: sec(q.wrapUpMs),
    serviceLevelSec: sec(q.serviceLevelMs),
    serviceTimeLimitSec: sec(q.serviceTimeLimitMs),
    serviceTimeReminderSec: sec(q.serviceTimeReminderMs),
    maxWaitSec: sec(q.treatment?.maxWait?.afterMs),
    maxWaitAction: q.treatment?.maxWait?.action ?? 'voicemail',
    overflowTo: q.treatment?.overflow?.toQueue ?? null,
    overflowAfterSec: sec(q.treatment?.overflow?.afterMs),
  };
}

/**
 * The body of POST (no `current`) or PATCH (with the queue as it is): every
 * field the form shows, null where the form is empty so the setting goes
 * back to its default. Treatment parts the form does not show (music,
 * announcements, DTMF exits, a length overflow) are kept.
 */
export function queueBody(v: QueueFormValues, current?: AdminQueue): Record<string, unknown> {
  const skills = parseRequiredSkills(v.skills ?? '');
  const treatment: Treatment = { ...(current?.treatment ?? {}) };
  delete treatment.maxWait;
  delete treatment.overflow;
  const maxWait = ms(v.maxWaitSec);
  if (maxWait !== null) treatment.maxWait = { afterMs: maxWait, action: v.maxWaitAction ?? 'voicemail', ...(current?.treatment?.maxWait?.mailbox ? { mailbox: current.treatment.maxWait.mailbox } : {}) };
  const overflowAfter = ms(v.overflowAfterSec);
  const keptLength = current?.treatment?.overflow?.whenLengthAbove;
  if (v.overflowTo) treatment.overflow = { toQueue: v.overflowTo, ...(overflowAfter !== null ? { afterMs: overflowAfter } : {}), ...(keptLength !== undefined ? { whenLengthAbove: keptLength } : {}) };
  const hasTreatment = Object.keys(treatment).length > 0;
  const strategy = v.strategy && v.strategy.length > 0 ? { ...(current?.strategy ?? {}), rules: v.strategy } : null;
  const body: Record<string, unknown> = {
    name: v.name?.trim() ? v.name.trim() : null,
    requiredSkills: skills.ok ? skills.skills : [],
    ringTimeoutMs: ms(v.ringTimeoutSec),
    wrapUpMs: ms(v.wrapUpSec),
    serviceLevelMs: ms(v.serviceLevelSec),
    serviceTimeLimitMs: ms(v.serviceTimeLimitSec),
    serviceTimeReminderMs: ms(v.serviceTimeReminderSec),
    strategy,
    treatment: hasTreatment ? treatment : null,
  };
  if (current) return body;
  // A new queue: absent instead of null, and its id.
  const created: Record<string, unknown> = { id: v.id };
  for (const [k, val] of Object.entries(body)) if (val !== null) created[k] = val;
  return created;
}

/** Seconds -> `1 min 30 s` style text for the table; `—` when unset. */
export function formatSeconds(msValue: number | undefined): string {
  if (msValue === undefined) return '—';
  const s = Math.round(msValue / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

// ---- business hours (ACD-6) ----

export interface TimeRange {
  from: string;
  to: string;
}

export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<string, TimeRange[]>>;
  holidays: string[];
  specialDays: Record<string, TimeRange[]>;
}

export type NightService =
  | { kind: 'voicemail'; mailbox?: string }
  | { kind: 'queue'; queue: string }
  | { kind: 'ivr'; application: string }
  | { kind: 'announce-and-hang-up'; prompt: string };

export interface AdminEntryPoint {
  id: string;
  numbers: string[];
  queue: string;
  hours: BusinessHours | null;
  nightService: NightService;
  blacklistMode: string;
  open: boolean;
  rule: 'always' | 'weekly' | 'holiday' | 'special-day';
}

/** The hours form: one text per weekday (`09:00-12:00, 13:00-18:00`), holidays and special days as lines. */
export interface HoursFormValues {
  alwaysOpen: boolean;
  timeZone: string;
  weekly: Record<string, string>;
  holidays: string;
  specialDays: string;
  nightKind: NightService['kind'];
  nightValue?: string;
}

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `09:00-12:00, 13:00-18:00` -> ranges; the first bad item otherwise (bad time, or from not before to). */
export function parseRanges(text: string): { ok: true; ranges: TimeRange[] } | { ok: false; bad: string } {
  const ranges: TimeRange[] = [];
  for (const raw of text.split(/[,;\s]+/).filter((x) => x !== '')) {
    const [from, to, extra] = raw.split('-');
    if (extra !== undefined || !from || !to || !HHMM.test(from) || !HHMM.test(to) || from >= to) return { ok: false, bad: raw };
    ranges.push({ from, to });
  }
  return { ok: true, ranges };
}

export function formatRanges(ranges: readonly TimeRange[] | undefined): string {
  return (ranges ?? []).map((r) => `${r.from}-${r.to}`).join(', ');
}

/** Dates one per line or separated by commas; the first bad one otherwise. */
export function parseDates(text: string): { ok: true; dates: string[] } | { ok: false; bad: string } {
  const dates = text.split(/[,;\s]+/).filter((x) => x !== '');
  const real = (d: string) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d; // 2026-02-30 is not a day
  };
  const bad = dates.find((d) => !DATE.test(d) || !real(d));
  return bad !== undefined ? { ok: false, bad } : { ok: true, dates: [...new Set(dates)].sort() };
}

/** Lines `2026-12-31 09:00-12:00` (no ranges: closed that day). */
export function parseSpecialDays(text: string): { ok: true; days: Record<string, TimeRange[]> } | { ok: false; bad: string } {
  const days: Record<string, TimeRange[]> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const [date, ...rest] = line.split(/\s+/);
    const r = parseRanges(rest.join(' '));
    if (!date || !DATE.test(date) || !r.ok) return { ok: false, bad: line };
    days[date] = r.ranges;
  }
  return { ok: true, days };
}

export function formatSpecialDays(days: Record<string, TimeRange[]> | undefined): string {
  return Object.entries(days ?? {})
    .map(([d, r]) => `${d} ${formatRanges(r)}`.trim())
    .join('\n');
}

export function hoursFormValues(e: AdminEntryPoint): HoursFormValues {
  const h = e.hours;
  const n = e.nightService;
  const nightValue = n.kind === 'voicemail' ? n.mailbox : n.kind === 'queue' ? n.queue : n.kind === 'ivr' ? n.application : n.prompt;
  return {
    alwaysOpen: h === null,
    timeZone: h?.timeZone ?? 'Asia/Shanghai',
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, formatRanges(h?.weekly[d])])),
    holidays: (h?.holidays ?? []).join('\n'),
    specialDays: formatSpecialDays(h?.specialDays),
    nightKind: n.kind,
    ...(nightValue !== undefined ? { nightValue } : {}),
  };
}

/** The body of PUT /api/v1/admin/hours/:id, or the first bad field and item. */
export function hoursBody(v: HoursFormValues): { ok: true; body: { hours: BusinessHours | null; nightService: NightService } } | { ok: false; field: string; bad: string } {
  const value = v.nightValue?.trim() ?? '';
  const nightService: NightService =
    v.nightKind === 'voicemail' ? { kind: 'voicemail', ...(value ? { mailbox: value } : {}) } : v.nightKind === 'queue' ? { kind: 'queue', queue: value } : v.nightKind === 'ivr' ? { kind: 'ivr', application: value } : { kind: 'announce-and-hang-up', prompt: value };
  if (v.nightKind !== 'voicemail' && value === '') return { ok: false, field: 'nightValue', bad: '' };
  if (v.alwaysOpen) return { ok: true, body: { hours: null, nightService } };
  const weekly: Partial<Record<string, TimeRange[]>> = {};
  for (const d of WEEKDAYS) {
    const r = parseRanges(v.weekly[d] ?? '');
    if (!r.ok) return { ok: false, field: `weekly.${d}`, bad: r.bad };
    if (r.ranges.length > 0) weekly[d] = r.ranges;
  }
  const holidays = parseDates(v.holidays);
  if (!holidays.ok) return { ok: false, field: 'holidays', bad: holidays.bad };
  const special = parseSpecialDays(v.specialDays);
  if (!special.ok) return { ok: false, field: 'specialDays', bad: special.bad };
  return { ok: true, body: { hours: { timeZone: v.timeZone.trim() || 'Asia/Shanghai', weekly, holidays: holidays.dates, specialDays: special.days }, nightService } };
}

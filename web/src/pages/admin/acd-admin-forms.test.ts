// Form values of the queues and hours pages to API bodies and back (issue 7, ADM-2, ACD-2, ACD-6, CTI-7).
import { describe, expect, it } from 'vitest';
import {
  type AdminEntryPoint,
  type AdminQueue,
  formatSeconds,
  hoursBody,
  hoursFormValues,
  parseDates,
  parseRanges,
  parseRequiredSkills,
  parseSpecialDays,
  queueBody,
  queueFormValues,
} from './acd-admin-forms.ts';

const QUEUE: AdminQueue = {
  id: 'general',
  name: 'General',
  requiredSkills: [{ skill: 'general' }, { skill: 'vip', minLevel: 7 }],
  ringTimeoutMs: 15_000,
  serviceTimeLimitMs: 600_000,
  serviceTimeReminderMs: 60_000,
  strategy: { rules: ['customer-level', 'longest-idle'], customerLevel: { agingPerSecond: 1 } },
  treatment: { announcements: { firstAfterMs: 15_000, everyMs: 45_000, position: true, estimatedWait: true }, maxWait: { afterMs: 300_000, action: 'callback-offer' }, dtmfExits: { '1': { action: 'callback' } } },
  waiting: 2,
};

describe('queue form (ADM-2, CTI-7)', () => {
  it('parses required skills and names the first bad item', () => {
    expect(parseRequiredSkills('general:5, vip')).toEqual({ ok: true, skills: [{ skill: 'general', minLevel: 5 }, { skill: 'vip' }] });
    expect(parseRequiredSkills('')).toEqual({ ok: true, skills: [] });
    expect(parseRequiredSkills('general:11')).toEqual({ ok: false, bad: 'general:11' });
    expect(parseRequiredSkills('a b:x')).toEqual({ ok: false, bad: 'b:x' });
  });

  it('a changed limit becomes a PATCH body that keeps the treatment parts the form does not show', () => {
    const v = { ...queueFormValues(QUEUE), serviceTimeLimitSec: 30, serviceTimeReminderSec: 10, maxWaitSec: null, overflowTo: 'vip', overflowAfterSec: 60 };
    expect(queueFormValues(QUEUE)).toMatchObject({ skills: 'general, vip:7', serviceTimeLimitSec: 600, maxWaitSec: 300, maxWaitAction: 'callback-offer', strategy: ['customer-level', 'longest-idle'] });
    expect(queueBody(v, QUEUE)).toEqual({
      name: 'General',
      requiredSkills: [{ skill: 'general' }, { skill: 'vip', minLevel: 7 }],
      ringTimeoutMs: 15_000,
      wrapUpMs: null,
      serviceLevelMs: null,
      serviceTimeLimitMs: 30_000,
      serviceTimeReminderMs: 10_000,
      strategy: { rules: ['customer-level', 'longest-idle'], customerLevel: { agingPerSecond: 1 } },
      treatment: { announcements: QUEUE.treatment!.announcements, dtmfExits: { '1': { action: 'callback' } }, overflow: { toQueue: 'vip', afterMs: 60_000 } },
    });
  });

  it('a new queue leaves out what is empty; an empty strategy means the server default', () => {
    expect(queueBody({ id: 'funds', name: ' ', skills: 'funds:6', strategy: [], serviceTimeLimitSec: 120 })).toEqual({ id: 'funds', requiredSkills: [{ skill: 'funds', minLevel: 6 }], serviceTimeLimitMs: 120_000 });
    expect(formatSeconds(undefined)).toBe('—');
    expect(formatSeconds(45_000)).toBe('45 s');
    expect(formatSeconds(600_000)).toBe('10 min');
    expect(formatSeconds(90_000)).toBe('1 min 30 s');
  });
});

describe('hours form (ACD-6)', () => {
  it('parses ranges, dates and special days, naming the first bad item', () => {
    expect(parseRanges('09:00-12:00, 13:00-18:00')).toEqual({ ok: true, ranges: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }] });
    expect(parseRanges('18:00-09:00')).toEqual({ ok: false, bad: '18:00-09:00' });
    expect(parseRanges('9-12')).toEqual({ ok: false, bad: '9-12' });
    expect(parseDates('2026-10-01\n2026-10-02, 2026-10-01')).toEqual({ ok: true, dates: ['2026-10-01', '2026-10-02'] });
    expect(parseDates('2026-13-45')).toEqual({ ok: false, bad: '2026-13-45' });
    expect(parseDates('2026-02-28 2026-02-30')).toEqual({ ok: false, bad: '2026-02-30' });
    expect(parseSpecialDays('2026-10-10 09:00-17:00\n2026-12-31')).toEqual({ ok: true, days: { '2026-10-10': [{ from: '09:00', to: '17:00' }], '2026-12-31': [] } });
    expect(parseSpecialDays('tomorrow 09:00-17:00')).toEqual({ ok: false, bad: 'tomorrow 09:00-17:00' });
  });

  it('round-trips an entry point and refuses a bad weekday with its field', () => {
    const ep: AdminEntryPoint = {
      id: 'general',
      numbers: ['95001'],
      queue: 'general',
      hours: { timeZone: 'Asia/Shanghai', weekly: { '1': [{ from: '09:00', to: '18:00' }] }, holidays: ['2026-10-01'], specialDays: { '2026-10-10': [{ from: '09:00', to: '12:00' }] } },
      nightService: { kind: 'voicemail', mailbox: 'night' },
      blacklistMode: 'flag',
      open: true,
      rule: 'weekly',
    };
    const v = hoursFormValues(ep);
    expect(v).toMatchObject({ alwaysOpen: false, holidays: '2026-10-01', specialDays: '2026-10-10 09:00-12:00', nightKind: 'voicemail', nightValue: 'night' });
    expect(hoursBody(v)).toEqual({ ok: true, body: { hours: ep.hours, nightService: ep.nightService } });
    expect(hoursBody({ ...v, weekly: { ...v.weekly, '2': '25:00-26:00' } })).toEqual({ ok: false, field: 'weekly.2', bad: '25:00-26:00' });
    expect(hoursBody({ ...v, nightKind: 'queue', nightValue: '' })).toEqual({ ok: false, field: 'nightValue', bad: '' });
    expect(hoursBody({ ...v, alwaysOpen: true })).toEqual({ ok: true, body: { hours: null, nightService: ep.nightService } });
    expect(hoursFormValues({ ...ep, hours: null }).alwaysOpen).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { AcdEngine } from './acd-engine.ts';
import type { AcdEvent } from './acd-events.ts';
import { Blacklist } from './blacklist.ts';
import { BusinessHours } from './business-hours.ts';
import { type EntryPoint, EntryPointRouter } from './entry-point-router.ts';
import type { QueueSituation } from './routing-rules.ts';
import { RuleSetStore } from './rule-set-store.ts';

const OPEN = Date.parse('2026-10-08T02:00:00Z'); // Thursday 10:00 Shanghai
const NIGHT = Date.parse('2026-10-08T14:00:00Z'); // Thursday 22:00 Shanghai
const QUEUES = new Set(['general', 'vip', 'overflow', 'fund']);

function router(situations: Record<string, QueueSituation> = {}, mode: EntryPoint['blacklistMode'] = 'refuse') {
  const blacklist = new Blacklist([
    { number: '13900000001' },
    { number: '13900000002', mode: 'flag', reason: 'abusive, supervisor approved' },
    { number: '13900000003', mode: 'hangup' },
    { number: '170', match: 'prefix', mode: 'refuse' },
  ]);
  const rules = new RuleSetStore((q) => QUEUES.has(q), {
    translation: [{ id: 't400', match: '4008205000', to: '95000' }],
    pre: [
      { id: 'vip', when: { customerLevel: ['special'] }, queue: 'vip' },
      { id: 'fund-menu', when: { attached: { ivrChoice: '2' } }, queue: 'fund' },
    ],
    post: [{ id: 'vip-empty', queue: 'vip', when: { kind: 'no-agents-staffed' }, then: { kind: 'queue', queue: 'general' } }],
  });
  const hours = new BusinessHours({ weekly: { '1': [{ from: '08:00', to: '20:00' }], '4': [{ from: '08:00', to: '20:00' }] } });
  const eps: EntryPoint[] = [
    { id: 'service', numbers: ['95000'], defaultQueue: 'general', hours, nightService: { kind: 'ivr', application: 'securities-self-service' }, blacklistMode: mode },
    { id: 'general-direct', numbers: ['95001'], defaultQueue: 'general', nightService: { kind: 'voicemail' }, blacklistMode: mode },
  ];
  const sit = (q: string): QueueSituation => situations[q] ?? { staffed: 5, waiting: 0 };
  return { r: new EntryPointRouter(eps, blacklist, rules, sit), rules };
}

describe('entry point admission: night service (ACD-6)', () => {
  it('inside hours queues, outside hours takes the night service', () => {
    const { r } = router();
    expect(r.admit({ dialled: '95000', caller: '13812345678' }, OPEN)).toMatchObject({ kind: 'queue', queue: 'general' });
    const night = r.admit({ dialled: '95000', caller: '13812345678' }, NIGHT);
    expect(night).toMatchObject({ kind: 'night-service', action: { kind: 'ivr', application: 'securities-self-service' } });
    expect(night.trail).toContain('closed (weekly)');
    // The queue's own number has no hours: always queues.
    expect(r.admit({ dialled: '95001' }, NIGHT)).toMatchObject({ kind: 'queue', queue: 'general' });
  });
});

describe('entry point admission: blacklist modes (ACD-7)', () => {
  it('refuse: rejected before answer', () => {
    const { r } = router();
    expect(r.admit({ dialled: '95000', caller: '+8613900000001' }, OPEN)).toMatchObject({ kind: 'refuse' });
    expect(r.admit({ dialled: '95000', caller: '17012345678' }, OPEN)).toMatchObject({ kind: 'refuse' });
  });

  it('hang up automatically', () => {
    const { r } = router();
    expect(r.admit({ dialled: '95000', caller: '13900000003' }, OPEN)).toMatchObject({ kind: 'hang-up' });
  });

  it('flag: put through, and the offer tells the agent screen to warn', () => {
    const { r } = router();
    const d = r.admit({ dialled: '95000', caller: '13900000002' }, OPEN);
    expect(d).toMatchObject({ kind: 'queue', queue: 'general', blacklistWarning: true });
    const clock = new FakeClock(OPEN);
    const engine = new AcdEngine({ clock });
    const offers: AcdEvent[] = [];
    engine.events.on((e) => e.type === 'offered' && offers.push(e));
    engine.defineQueue({ id: 'general', requiredSkills: [] });
    engine.addAgent({ id: 'a', level: 5, skills: {}, groups: [], autoAnswer: false });
    engine.login('a');
    engine.ready('a');
    if (d.kind !== 'queue') throw new Error('expected queue');
    engine.enqueue(d.queue, { customerLevel: 'standard', media: 'voice', callerNumber: '13900000002', blacklistWarning: d.blacklistWarning });
    expect(offers[0]).toMatchObject({ blacklistWarning: true });
  });

  it('an entry without its own mode takes the entry point mode; unlisted callers pass', () => {
    expect(router({}, 'hangup').r.admit({ dialled: '95000', caller: '13900000001' }, OPEN)).toMatchObject({ kind: 'hang-up' });
    expect(router().r.admit({ dialled: '95000', caller: '13800000000' }, OPEN)).toMatchObject({ kind: 'queue', blacklistWarning: false });
  });

  it('blacklisting applies at night too, before night service', () => {
    expect(router().r.admit({ dialled: '95000', caller: '13900000001' }, NIGHT)).toMatchObject({ kind: 'refuse' });
  });

  it('expired entries no longer apply; bad numbers are rejected', () => {
    const b = new Blacklist([{ number: '13911112222', expiresAt: OPEN }]);
    expect(b.check('13911112222', 'refuse', OPEN - 1).listed).toBe(true);
    expect(b.check('13911112222', 'refuse', OPEN).listed).toBe(false);
    expect(() => b.add({ number: 'abc' })).toThrow();
  });
});

describe('translation, pre- and post-routing (ACD-9)', () => {
  it('translates a 400 number, pre-routes by level and IVR choice, post-routes an unstaffed VIP queue', () => {
    const { r } = router({ vip: { staffed: 0, waiting: 0 } });
    const d = r.admit({ dialled: '4008205000', caller: '13800000000', customerLevel: 'special' }, OPEN);
    expect(d).toMatchObject({ kind: 'queue', queue: 'general', entryPoint: 'service' });
    expect(d.trail).toEqual([
      'rules v1',
      'translation t400: 4008205000 -> 95000',
      'entry point service',
      'open (weekly)',
      'pre-routing vip -> vip',
      'post-routing vip-empty',
    ]);
    expect(router().r.admit({ dialled: '95000', attached: { ivrChoice: '2' } }, OPEN)).toMatchObject({ queue: 'fund' });
    expect(router().r.admit({ dialled: '12345' }, OPEN)).toMatchObject({ kind: 'unknown-number' });
  });

  it('rules change at run time: the next call sees the new version, a bad set changes nothing', () => {
    const { r, rules } = router({ general: { staffed: 3, waiting: 11 } });
    expect(r.admit({ dialled: '95000' }, OPEN)).toMatchObject({ kind: 'queue', queue: 'general' });
    const bad = rules.apply({ pre: [{ id: 'x', when: {}, queue: 'nowhere' }] }, 'ops', OPEN);
    expect(bad).toEqual({ ok: false, issues: ['unknown queue nowhere'] });
    const bad2 = rules.apply({ pre: [{ id: 'x', when: { region: [] }, queue: 'general' }], post: 7 }, 'ops', OPEN);
    expect(bad2.ok).toBe(false);
    expect(rules.current().version).toBe(1);
    const good = rules.apply(
      { post: [{ id: 'busy', queue: 'general', when: { kind: 'waiting-above', count: 10 }, then: { kind: 'voicemail' } }] },
      'ops',
      OPEN,
    );
    expect(good).toEqual({ ok: true, version: 2 });
    const d = r.admit({ dialled: '95000' }, OPEN);
    expect(d).toMatchObject({ kind: 'redirect', target: { kind: 'voicemail' } });
    expect(d.trail[0]).toBe('rules v2');
  });
});

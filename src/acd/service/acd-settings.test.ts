// Queues and entry points changed while calls wait, ring and talk (issue 7, ADM-2, ACD-2, ACD-5, ACD-6, CTI-7).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { AcdEvent } from '../acd-events.ts';
import { AcdConfigError, parseAcdConfig } from './acd-config.ts';
import { AcdService } from './acd-service.ts';
import { FakeSwitch, RecordingTreatment } from './test-kit.ts';

// Monday 2026-11-23 10:00 in Asia/Shanghai.
const T0 = Date.UTC(2026, 10, 23, 2, 0);

function setup() {
  const clock = new FakeClock(T0);
  const config = parseAcdConfig({
    agents: [
      { id: '8001', skills: { general: 5 } },
      { id: '8002', skills: { general: 5, funds: 8 } },
    ],
    queues: [
      { id: 'general', name: 'General', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000 },
      { id: 'funds', requiredSkills: [{ skill: 'funds', minLevel: 6 }], ringTimeoutMs: 10_000 },
    ],
    entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
  });
  const svc = new AcdService({ config, clock });
  const sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  const treatment = new RecordingTreatment(sw);
  svc.attach(sw, treatment);
  const events: AcdEvent[] = [];
  svc.engine.events.on((e) => events.push(e));
  const ready = (id: string) => {
    svc.control.act(id, 'login');
    svc.control.act(id, 'ready');
  };
  return { clock, svc, sw, treatment, events, ready };
}

describe('queues redefined live (ADM-2)', () => {
  it('a waiting call keeps its place and an offer in flight goes on when the queue is redefined', () => {
    const t = setup();
    t.ready('8001');
    const first = t.sw.call('13900000001', { entryPoint: '95001' });
    const second = t.sw.call('13900000002', { entryPoint: '95001' });
    expect(t.sw.offers.map((o) => o.interactionId)).toEqual([first]);
    t.svc.settings.defineQueue({ id: 'general', name: 'General enquiries', requiredSkills: [{ skill: 'general', minLevel: 3 }], ringTimeoutMs: 12_000, serviceTimeLimitMs: 60_000 }, 'replace');
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'reserved' });
    expect(t.svc.control.queues().find((q) => q.id === 'general')).toMatchObject({ name: 'General enquiries', waiting: 1 }); // the second waits; the first is being offered
    t.sw.answer(first);
    expect(t.svc.control.agent('8001').state).toBe('talking');
    t.sw.hangUp(first); // no wrap-up time: ready again, and offered the call that kept its place
    expect(t.sw.offers.map((o) => o.interactionId)).toEqual([first, second]);
    expect(t.sw.offers[1]!.opts.ringTimeoutMs).toBe(12_000);
  });

  it('a lower service-time limit applies to the next call answered; the reminder comes before it', () => {
    const t = setup();
    t.ready('8001');
    t.svc.settings.defineQueue({ id: 'general', requiredSkills: [{ skill: 'general' }], serviceTimeLimitMs: 30_000, serviceTimeReminderMs: 10_000 }, 'replace');
    const ix = t.sw.call('13900000003', { entryPoint: '95001' });
    t.sw.answer(ix);
    t.clock.advance(20_000);
    t.clock.advance(10_000);
    expect(t.events.filter((e) => e.type === 'service-time')).toMatchObject([
      { agentId: '8001', limitMs: 30_000, remainingMs: 10_000 },
      { agentId: '8001', limitMs: 30_000, remainingMs: 0 },
    ]);
  });

  it('lower required skills reach a ready agent at once; a new strategy decides the next offer', () => {
    const t = setup();
    t.ready('8001');
    const ix = t.sw.call('13900000004', { queueId: 'funds' });
    expect(t.sw.offers).toHaveLength(0);
    t.svc.settings.defineQueue({ id: 'funds', requiredSkills: [{ skill: 'general' }], strategy: { rules: ['skill-first'] } }, 'replace');
    expect(t.sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual([[ix, '8001']]);
  });

  it('a tighter maximum wait is applied to the calls already waiting', () => {
    const t = setup();
    const ix = t.sw.call('13900000005', { entryPoint: '95001' });
    t.clock.advance(90_000);
    t.svc.settings.defineQueue({ id: 'general', requiredSkills: [{ skill: 'general' }], treatment: { maxWait: { afterMs: 60_000, action: 'voicemail' } } }, 'replace');
    expect(t.treatment.of(ix).map((c) => c.op)).toContain('voicemail');
  });

  it('a new queue can be created, overflowed to and named by routing rules; bad definitions change nothing', () => {
    const t = setup();
    t.svc.settings.defineQueue({ id: 'vip', requiredSkills: [{ skill: 'funds' }], treatment: { overflow: { toQueue: 'general', afterMs: 30_000 } } }, 'create');
    expect(t.svc.control.queues().map((q) => q.id)).toEqual(['general', 'funds', 'vip']);
    expect(t.svc.control.applyRules({ pre: [{ id: 'vip', when: { customerLevel: ['special'] }, queue: 'vip' }] }, 'admin')).toMatchObject({ ok: true });
    expect(() => t.svc.settings.defineQueue({ id: 'vip', requiredSkills: [] }, 'create')).toThrow(expect.objectContaining({ code: 'DUPLICATE_QUEUE' }));
    expect(() => t.svc.settings.defineQueue({ id: 'nope', requiredSkills: [] }, 'replace')).toThrow(expect.objectContaining({ code: 'UNKNOWN_QUEUE' }));
    expect(() => t.svc.settings.defineQueue({ id: 'general', requiredSkills: [], treatment: { overflow: { toQueue: 'general', afterMs: 1000 } } }, 'replace')).toThrow(/overflow to itself/);
    expect(() => t.svc.settings.defineQueue({ id: 'general', requiredSkills: [], treatment: { overflow: { toQueue: 'x', afterMs: 1000 } } }, 'replace')).toThrow(AcdConfigError);
    expect(() => t.svc.settings.defineQueue({ id: 'general', requiredSkills: [], serviceTimeLimitMs: 30_000, serviceTimeReminderMs: 30_000 }, 'replace')).toThrow(/shorter than/);
    expect(() => t.svc.settings.defineQueue({ id: 'general', requiredSkills: [{ skill: 'general', minLevel: 11 }] }, 'replace')).toThrow(AcdConfigError);
    expect(t.svc.settings.queue('general')).toMatchObject({ name: 'General', requiredSkills: [{ skill: 'general' }] });
  });
});

describe('business hours edited live (ADM-2, ACD-6)', () => {
  it('closing hours send the next call to night service; a holiday closes the day; clearing opens again', () => {
    const t = setup();
    t.ready('8001');
    t.svc.settings.updateEntryPoint('general', { hours: { weekly: { '1': [{ from: '13:00', to: '18:00' }] } }, nightService: { kind: 'voicemail', mailbox: 'night' } });
    const a = t.sw.call('13900000006', { entryPoint: '95001' });
    expect(t.treatment.of(a)).toMatchObject([{ op: 'voicemail', mailbox: 'night' }]);
    expect(t.sw.offers).toHaveLength(0);
    t.svc.settings.updateEntryPoint('general', { hours: { weekly: { '1': [{ from: '09:00', to: '18:00' }] }, holidays: ['2026-11-23'] } });
    const b = t.sw.call('13900000007', { entryPoint: '95001' });
    expect(t.treatment.of(b)).toMatchObject([{ op: 'voicemail', mailbox: 'night' }]);
    expect(t.svc.settings.entryPoint('general')?.hours?.holidays).toEqual(['2026-11-23']);
    t.svc.settings.updateEntryPoint('general', { hours: null });
    const c = t.sw.call('13900000008', { entryPoint: '95001' });
    expect(t.sw.offers.map((o) => o.interactionId)).toEqual([c]);
    expect(t.svc.settings.entryPoint('general')?.hours).toBeUndefined();
  });

  it('a new default queue applies to the next call; bad hours and unknown queues are refused and change nothing', () => {
    const t = setup();
    t.ready('8002');
    t.svc.settings.updateEntryPoint('general', { queue: 'funds' });
    const ix = t.sw.call('13900000009', { entryPoint: '95001' });
    expect(t.svc.engine.entry(t.svc.engine.agentSnapshot('8002').entryId!)?.queueId).toBe('funds');
    expect(t.sw.offers.map((o) => o.interactionId)).toEqual([ix]);
    expect(() => t.svc.settings.updateEntryPoint('general', { hours: { weekly: { '1': [{ from: '18:00', to: '09:00' }] } } })).toThrow(/hours\.weekly\.1\.0: from must be before to/);
    expect(() => t.svc.settings.updateEntryPoint('general', { hours: { holidays: ['23/11/2026'] } })).toThrow(AcdConfigError);
    expect(() => t.svc.settings.updateEntryPoint('general', { hours: { holidays: ['2026-02-30'] } })).toThrow(/hours\.holidays\.0: no such date/);
    expect(() => t.svc.settings.updateEntryPoint('general', { queue: 'nowhere' })).toThrow(/unknown queue nowhere/);
    expect(() => t.svc.settings.updateEntryPoint('nope', { queue: 'general' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_ENTRY' }));
    expect(t.svc.settings.entryPoint('general')).toMatchObject({ queue: 'funds', numbers: ['95001'] });
  });
});

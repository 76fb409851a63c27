// The ACD service driven through the switch ports: real AcdEngine, FakeClock, in-memory switch (issue 5).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { AcdEvent } from '../acd-events.ts';
import { type AcdConfigInput, parseAcdConfig } from './acd-config.ts';
import { AcdService } from './acd-service.ts';
import type { AcdServiceEvent } from './service-events.ts';
import { FakeSwitch, RecordingTreatment } from './test-kit.ts';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
const MONDAY_10 = Date.UTC(2026, 10, 23, 2, 0);

const agent = (id: string, extra: Record<string, unknown> = {}) => ({ id, skills: { general: 5 }, ...extra });

function setup(input: Partial<AcdConfigInput> = {}, start = MONDAY_10) {
  const clock = new FakeClock(start);
  const config = parseAcdConfig({
    agents: [agent('8001'), agent('8002'), agent('8003')],
    queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000, wrapUpMs: 5_000 }],
    entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
    ...input,
  });
  const svc = new AcdService({ config, clock });
  const sw = new FakeSwitch(clock);
  const tr = new RecordingTreatment(sw);
  sw.queuePort = svc;
  svc.attach(sw, tr);
  const events: AcdServiceEvent[] = [];
  svc.events.on((e) => events.push(e));
  const acd = <T extends AcdEvent['type']>(type: T) =>
    events.flatMap((e) => (e.type === 'acd' && e.event.type === type ? [{ ...(e.event as Extract<AcdEvent, { type: T }>), interactionId: e.interactionId }] : []));
  const ready = (...ids: string[]) => {
    for (const id of ids) {
      svc.control.act(id, 'login');
      svc.control.act(id, 'ready');
      clock.advance(1000);
    }
  };
  const state = (id: string) => svc.control.agent(id).state;
  return { clock, svc, sw, tr, events, acd, ready, state };
}

describe('AcdService routing through the switch (ACD-1, ACD-2, ACD-3)', () => {
  it.each([
    ['longest-idle', ['8002', '8001', '8003'], ['8002', '8001', '8003']],
    ['round-robin', ['8003', '8002', '8001'], ['8001', '8002', '8003']],
  ] as const)('%s: offers go to agents in the strategy order, with the explanation in the event stream', (rule, readyOrder, expected) => {
    const t = setup({ strategy: { rules: [rule] } });
    t.ready(...readyOrder);
    const ixs = ['13900000001', '13900000002', '13900000003'].map((n) => t.sw.call(n, { entryPoint: '95001' }));
    expect(t.sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual(ixs.map((ix, i) => [ix, expected[i]]));
    expect(t.sw.offers[0]!.opts).toEqual({ autoAnswer: false, ringTimeoutMs: 10_000 });
    const decisions = t.acd('routing-decision').filter((d) => d.agentId !== undefined);
    expect(decisions.map((d) => d.interactionId)).toEqual(ixs);
    expect(decisions[0]!.explanation.strategy).toBe(rule);
    expect(t.events.filter((e) => e.type === 'admission')).toHaveLength(3);
    expect(readyOrder.map((id) => t.state(id))).toEqual(['reserved', 'reserved', 'reserved']);
  });

  it('fewest-calls: an agent who already took a call today waits behind the others', () => {
    const t = setup({ strategy: { rules: ['fewest-calls', 'longest-idle'] } });
    t.ready('8001');
    const first = t.sw.call('1', { entryPoint: '95001' });
    t.sw.answer(first);
    t.sw.hangUp(first, 'agent');
    t.clock.advance(60_000);
    expect(t.state('8001')).toBe('ready');
    t.ready('8002', '8003');
    // 8001 has been idle longest, but it took a call today: fewest-calls prefers 8002 and 8003.
    t.sw.call('2', { entryPoint: '95001' });
    t.sw.call('3', { entryPoint: '95001' });
    expect(t.sw.offers.map((o) => o.agentId)).toEqual(['8001', '8002', '8003']);
    expect(t.acd('offered').at(-1)!.explanation.steps[0]).toMatchObject({ rule: 'fewest-calls' });
  });

  it('skill-first sends a call to the most skilled ready agent; a call waits in line when none is ready', () => {
    const t = setup({ agents: [agent('8001', { skills: { general: 3 } }), agent('8002', { skills: { general: 9 } })], strategy: { rules: ['skill-first', 'longest-idle'] } });
    const ix = t.sw.call('13900000001', { entryPoint: '95001' });
    expect(t.sw.offers).toHaveLength(0);
    expect(t.svc.control.queues()[0]).toMatchObject({ id: 'general', waiting: 1 });
    expect(t.tr.of(ix)[0]).toEqual({ op: 'playMusic', interactionId: ix, resource: 'default' });
    t.svc.control.act('8001', 'login');
    t.svc.control.act('8002', 'login');
    t.svc.engine.ready('8001');
    // 8001 became ready first and the call was waiting: the agent-direction decision takes it.
    expect(t.sw.offers.map((o) => o.agentId)).toEqual(['8001']);
    t.sw.hangUp(ix);
    t.svc.control.act('8002', 'ready');
    const ix2 = t.sw.call('13900000002', { entryPoint: '95001' });
    expect(t.sw.offers.at(-1)).toMatchObject({ interactionId: ix2, agentId: '8002' });
  });

  it('answer, release, wrap-up with its timeout, then ready; the agent sees the interaction (ACD-3)', () => {
    const t = setup();
    t.ready('8001');
    const ix = t.sw.call('13900000001', { entryPoint: '95001' });
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'reserved', interactionId: ix });
    t.sw.answer(ix);
    expect(t.state('8001')).toBe('talking');
    t.clock.advance(30_000);
    t.sw.hangUp(ix, 'customer');
    expect(t.state('8001')).toBe('wrap-up');
    t.clock.advance(4_999);
    expect(t.state('8001')).toBe('wrap-up');
    t.clock.advance(1);
    expect(t.state('8001')).toBe('ready');
    expect(t.acd('wrap-up-ended')[0]).toMatchObject({ agentId: '8001', timedOut: true });
    expect(t.svc.control.queues()[0]!.counters).toMatchObject({ entered: 1, answered: 1, abandoned: 0 });
  });

  it('a pause asked during the call is taken after wrap-up; wrap-up-done ends wrap-up early', () => {
    const t = setup();
    t.ready('8001', '8002');
    const [a, b] = [t.sw.call('1', { entryPoint: '95001' }), t.sw.call('2', { entryPoint: '95001' })];
    t.sw.answer(a);
    t.sw.answer(b);
    t.svc.control.act('8001', 'not-ready', 'lunch');
    t.sw.hangUp(a, 'agent');
    t.sw.hangUp(b, 'agent');
    t.clock.advance(5_000);
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'not-ready', reason: 'lunch' });
    expect(t.state('8002')).toBe('ready');
    const c = t.sw.call('3', { entryPoint: '95001' });
    t.sw.answer(c);
    t.sw.hangUp(c, 'agent');
    expect(t.svc.control.act('8002', 'wrap-up-done').state).toBe('ready');
    expect(() => t.svc.control.act('8002', 'wrap-up-done')).toThrow(expect.objectContaining({ name: 'AgentStateError', code: 'INVALID_TRANSITION' }));
  });

  it('CTI-7: service-time reminders come as events tagged with the interaction', () => {
    const t = setup({ queues: [{ id: 'general', requiredSkills: [], serviceTimeLimitMs: 120_000, serviceTimeReminderMs: 30_000 }] });
    t.ready('8001');
    const ix = t.sw.call('1', { entryPoint: '95001' });
    t.sw.answer(ix);
    t.clock.advance(120_000);
    expect(t.acd('service-time').map((e) => [e.interactionId, e.remainingMs])).toEqual([
      [ix, 30_000],
      [ix, 0],
    ]);
  });
});

describe('AcdService ring-no-answer (ACD-4)', () => {
  it('the switch reports no answer: RONA, counted, and the call reaches the next agent after the re-enqueue', () => {
    const t = setup({ strategy: { rules: ['longest-idle'] } });
    t.ready('8001', '8002');
    const ix = t.sw.call('13900000001', { entryPoint: '95001' });
    expect(t.sw.offers.map((o) => o.agentId)).toEqual(['8001']);
    t.clock.advance(10_000);
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'not-ready', reason: 'RONA' });
    expect(t.svc.control.agent('8001').counters.ronaCount).toBe(1);
    expect(t.acd('ring-no-answer')).toMatchObject([{ agentId: '8001', interactionId: ix, ronaCount: 1 }]);
    expect(t.sw.offers.map((o) => o.agentId)).toEqual(['8001', '8002']);
    t.sw.answer(ix);
    expect(t.state('8002')).toBe('talking');
    // The engine's own backstop timer never fires a second RONA.
    t.clock.advance(60_000);
    expect(t.acd('ring-no-answer')).toHaveLength(1);
  });

  it('busy or rejected: not ready with that cause, uncounted, offered to the next agent', () => {
    const t = setup();
    t.ready('8001', '8002');
    const ix = t.sw.call('1', { entryPoint: '95001' });
    t.sw.reject(ix, 'busy');
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'not-ready', reason: 'busy' });
    expect(t.svc.control.agent('8001').counters.ronaCount).toBe(0);
    expect(t.sw.offers.map((o) => o.agentId)).toEqual(['8001', '8002']);
  });

  it('an agent the switch cannot ring (offerToAgent rejects) is set aside and the next one rings', async () => {
    const t = setup();
    t.sw.unreachable.add('8001');
    t.ready('8001', '8002');
    const ix = t.sw.call('1', { entryPoint: '95001' });
    await Promise.resolve();
    await Promise.resolve();
    expect(t.events.find((e) => e.type === 'offer-error')).toMatchObject({ interactionId: ix, agentId: '8001' });
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'not-ready', reason: 'unreachable' });
    expect(t.sw.offers.map((o) => o.agentId)).toEqual(['8002']);
  });

  it('the customer hangs up while an agent rings: abandoned, and the agent is free again', () => {
    const t = setup();
    t.ready('8001');
    const ix = t.sw.call('1', { entryPoint: '95001' });
    t.sw.hangUp(ix);
    expect(t.state('8001')).toBe('ready');
    expect(t.svc.control.queues()[0]!.counters.abandoned).toBe(1);
  });
});

describe('AcdService queue treatment (ACD-5)', () => {
  it('abandon while queued is counted once, whether the switch says cancel or interaction.ended', () => {
    const t = setup();
    const ix = t.sw.call('1', { entryPoint: '95001' });
    t.clock.advance(25_000);
    t.sw.hangUp(ix);
    expect(t.acd('entry-ended')).toMatchObject([{ interactionId: ix, reason: 'abandoned', waitMs: 25_000 }]);
    expect(t.svc.control.queues()[0]).toMatchObject({ waiting: 0, counters: { abandoned: 1, abandonedWithinT: 0 } });
  });

  it('position and estimated-wait announcements are spoken as TTS text', () => {
    const t = setup({
      promptLanguage: 'en-US',
      queues: [{ id: 'general', requiredSkills: [], initialAhtMs: 120_000, treatment: { announcements: { firstAfterMs: 20_000, everyMs: 30_000, position: true, estimatedWait: true } } }],
    });
    t.ready('8001');
    t.sw.answer(t.sw.call('1', { entryPoint: '95001' }));
    const ix = t.sw.call('2', { entryPoint: '95001' });
    t.clock.advance(50_000);
    const said = t.tr.of(ix).flatMap((c) => (c.op === 'announce' ? [c.prompt.text] : []));
    expect(said).toEqual([
      'All our agents are busy. Please hold. You are caller number 1 in line. Your estimated wait is about 2 minutes.',
      'All our agents are busy. Please hold. You are caller number 1 in line. Your estimated wait is about 2 minutes.',
    ]);
  });

  it('overflow after a wait moves the call to the other queue, where its agent takes it', () => {
    const t = setup({
      agents: [agent('8001'), agent('8002', { skills: { funds: 6 } })],
      queues: [
        { id: 'general', requiredSkills: [{ skill: 'general' }], treatment: { overflow: { toQueue: 'funds', afterMs: 30_000 } } },
        { id: 'funds', requiredSkills: [{ skill: 'funds' }] },
      ],
    });
    t.ready('8002');
    const ix = t.sw.call('1', { entryPoint: '95001' });
    expect(t.sw.offers).toHaveLength(0);
    t.clock.advance(30_000);
    expect(t.sw.offers).toMatchObject([{ interactionId: ix, agentId: '8002' }]);
    expect(t.acd('entry-queued').map((e) => [e.queueId, e.interactionId])).toEqual([
      ['general', ix],
      ['funds', ix],
    ]);
    t.sw.answer(ix);
    expect(t.svc.control.queues().map((q) => [q.id, q.counters.overflowedOut, q.counters.answered])).toEqual([
      ['general', 1, 0],
      ['funds', 0, 1],
    ]);
  });

  it('maximum wait to voicemail sends the caller there', () => {
    const t = setup({ queues: [{ id: 'general', requiredSkills: [], treatment: { maxWait: { afterMs: 60_000, action: 'voicemail', mailbox: 'general' } } }] });
    const ix = t.sw.call('1', { entryPoint: '95001' });
    t.clock.advance(60_000);
    expect(t.tr.of(ix).at(-1)).toEqual({ op: 'voicemail', interactionId: ix, mailbox: 'general' });
    expect(t.svc.control.queues()[0]!.counters.timedOut).toBe(1);
  });

  it('callback: offered at maximum wait, accepted by DTMF, the place is kept and the task reaches an agent', () => {
    const t = setup({
      promptLanguage: 'en-US',
      queues: [{ id: 'general', requiredSkills: [], treatment: { maxWait: { afterMs: 60_000, action: 'callback-offer' }, dtmfExits: { '1': { action: 'callback' } } } }],
    });
    const first = t.sw.call('13900000001', { entryPoint: '95001' });
    t.clock.advance(1_000);
    const second = t.sw.call('13900000002', { entryPoint: '95001' });
    t.clock.advance(59_000);
    expect(t.tr.of(first).at(-1)).toMatchObject({ op: 'announce', prompt: { kind: 'callback-offer' } });
    t.sw.dtmf(first, '1');
    expect(t.tr.of(first).at(-1)).toMatchObject({ op: 'hangUp', reason: 'callback-accepted', prompt: { kind: 'callback-accepted' } });
    expect(t.sw.state(first)).toBe('ended');
    const task = t.events.flatMap((e) => (e.type === 'acd' && e.event.type === 'callback-task' ? [e.event.task] : []))[0];
    expect(task).toMatchObject({ callerNumber: '13900000001', queueId: 'general', placeFrom: MONDAY_10 });
    expect(t.svc.control.pendingCallbacks()).toEqual([task]);
    // The callback kept the first place: the first ready agent gets it, not the second caller.
    t.ready('8001');
    expect(t.events.find((e) => e.type === 'callback-assigned')).toMatchObject({ agentId: '8001', task });
    expect(t.svc.control.agent('8001')).toMatchObject({ state: 'talking', callbackTask: task });
    expect(t.sw.offers).toHaveLength(0);
    t.ready('8002');
    expect(t.sw.offers).toMatchObject([{ interactionId: second, agentId: '8002' }]);
    expect(t.svc.control.act('8001', 'wrap-up-done').state).toBe('ready');
    expect(t.svc.control.queues()[0]!.counters.callbacks).toBe(1);
  });
});

describe('AcdService entry points (ACD-6, ACD-7, ACD-9)', () => {
  const hours = { weekly: { '1': [{ from: '09:00', to: '18:00' }] } };

  it.each([
    ['ivr', { kind: 'ivr', application: 'night.vxml' }, { op: 'toIvr', application: 'night.vxml' }],
    ['voicemail', { kind: 'voicemail', mailbox: 'night' }, { op: 'voicemail', mailbox: 'night' }],
    ['announce-and-hang-up', { kind: 'announce-and-hang-up', prompt: 'We are closed.' }, { op: 'hangUp', reason: 'night-service', prompt: { kind: 'night-service', text: 'We are closed.', lang: 'zh-CN' } }],
  ] as const)('night service %s outside business hours; queued inside', (_, nightService, expected) => {
    const t = setup({ entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general', hours, nightService }] }, Date.UTC(2026, 10, 23, 11, 0));
    const ix = t.sw.call('1', { entryPoint: '95001' });
    expect(t.tr.of(ix)).toEqual([{ interactionId: ix, ...expected }]);
    expect(t.events.find((e) => e.type === 'admission')).toMatchObject({ admission: { kind: 'night-service', trail: expect.arrayContaining(['closed (weekly)']) } });
    expect(t.svc.control.queues()[0]!.counters.entered).toBe(0);
    t.clock.advance(12 * 3600_000); // Tuesday 07:00: still closed (no Tuesday hours)
    const day = setup({ entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general', hours, nightService }] });
    day.sw.call('1', { entryPoint: '95001' });
    expect(day.svc.control.queues()[0]!.counters.entered).toBe(1);
  });

  it.each([
    ['refuse', 'hangUp', 'blacklist-refused', 0],
    ['hangup', 'hangUp', 'blacklist-hang-up', 0],
    ['flag', 'playMusic', undefined, 1],
  ] as const)('blacklist mode %s', (mode, op, reason, entered) => {
    const t = setup({ blacklist: [{ number: '13800000000', mode }] });
    t.ready('8001');
    const ix = t.sw.call('+8613800000000', { entryPoint: '95001' });
    expect(t.tr.of(ix)[0]).toMatchObject({ op, ...(reason ? { reason } : {}) });
    expect(t.svc.control.queues()[0]!.counters.entered).toBe(entered);
    const offered = t.acd('offered');
    if (mode === 'flag') expect(offered).toMatchObject([{ interactionId: ix, blacklistWarning: true }]);
    else expect([offered, t.sw.state(ix)]).toEqual([[], 'ended']);
    if (mode === 'refuse') expect(t.tr.of(ix)[0]).toMatchObject({ prompt: { kind: 'blacklist' } });
  });

  it('refuses before answering (ACD-7): a queue number by its entry point, an IVR number only by the entry\'s own refuse mode', () => {
    const t = setup({ blacklist: [{ number: '13800000000', mode: 'refuse' }, { number: '13900000000', mode: 'flag' }, { number: '13700000000' }] });
    expect(t.svc.refuses('95001', '+8613800000000')).toBe('blacklist-refused');
    expect(t.svc.refuses('95000', '13800000000')).toBe('blacklist-refused'); // no entry point here: the entry says refuse
    expect(t.svc.refuses('95000', '13900000000')).toBeUndefined();
    expect(t.svc.refuses('95000', '13700000000')).toBeUndefined(); // no mode of its own and no entry point to lend one
    expect(t.svc.refuses('95001', '13600000000')).toBeUndefined();
  });

  it('routing rules changed at run time apply to the next call without restart, versioned', () => {
    const t = setup({ agents: [agent('8001'), agent('8002', { skills: { vip: 9 } })], queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }] }, { id: 'vip', requiredSkills: [{ skill: 'vip' }] }] });
    t.ready('8001', '8002');
    t.sw.call('1', { entryPoint: '95001', callData: { customerLevel: 'special' } });
    expect(t.sw.offers.at(-1)!.agentId).toBe('8001');
    const bad = t.svc.control.applyRules({ pre: [{ id: 'p', when: {}, queue: 'nowhere' }] }, 'ops');
    expect(bad).toEqual({ ok: false, issues: ['unknown queue nowhere'] });
    expect(t.svc.control.applyRules({ pre: [{ id: 'vip', when: { customerLevel: ['special'] }, queue: 'vip' }] }, 'ops')).toEqual({ ok: true, version: 2 });
    t.sw.call('2', { entryPoint: '95001', callData: { customerLevel: 'special' } });
    expect(t.sw.offers.at(-1)!.agentId).toBe('8002');
    expect(t.events.filter((e) => e.type === 'admission').at(-1)).toMatchObject({ admission: { kind: 'queue', queue: 'vip', trail: ['rules v2', 'entry point general', 'pre-routing vip -> vip'] } });
  });

  it('a call for an unknown queue goes to voicemail with an enqueue-error event; an IVR transfer without an entry point is queued as asked', () => {
    const t = setup();
    const lost = t.sw.call('1', { queueId: 'nowhere' });
    expect(t.events.find((e) => e.type === 'enqueue-error')).toMatchObject({ interactionId: lost, queueId: 'nowhere' });
    expect(t.tr.of(lost)).toEqual([{ op: 'voicemail', interactionId: lost }]);
    const ok = t.sw.call('2', { queueId: 'general' });
    expect(t.acd('entry-queued')).toMatchObject([{ interactionId: ok, queueId: 'general' }]);
  });
});

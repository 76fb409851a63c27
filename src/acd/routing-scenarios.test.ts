import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { AcdEngine, type AcdEngineOptions, type QueueOptions } from './acd-engine.ts';
import type { AcdEvent } from './acd-events.ts';
import { CompositeStrategy, CustomerLevelStrategy, LastAgentStrategy, LongestIdleStrategy, RoundRobinStrategy, SkillFirstStrategy } from './strategies/index.ts';
import type { AgentProfile, ContactData, QueueDefinition } from './types.ts';

function world(opts: Partial<AcdEngineOptions> = {}, queues: [QueueDefinition, QueueOptions?][] = [[{ id: 'q', requiredSkills: [] }]]) {
  const clock = new FakeClock();
  const engine = new AcdEngine({ clock, ...opts });
  const events: AcdEvent[] = [];
  engine.events.on((e) => events.push(e));
  for (const [def, o] of queues) engine.defineQueue(def, o);
  const agent = (id: string, p: Partial<AgentProfile> = {}, ready = true) => {
    engine.addAgent({ id, level: 5, skills: {}, groups: [], autoAnswer: false, ...p });
    engine.login(id);
    if (ready) engine.ready(id);
  };
  const call = (data: Partial<ContactData> = {}, queue = 'q') => engine.enqueue(queue, { customerLevel: 'standard', media: 'voice', ...data });
  const offers = () => events.filter((e): e is Extract<AcdEvent, { type: 'offered' }> => e.type === 'offered');
  const serve = (agentId: string) => {
    engine.answer(agentId);
    engine.endCall(agentId);
  };
  return { clock, engine, events, agent, call, offers, serve };
}

describe('customer level with aging (ACD-2, ACD-8)', () => {
  it('VIPs go first, but a standard caller who waited long enough overtakes them', () => {
    const { clock, agent, call, offers, engine } = world({ strategy: new CustomerLevelStrategy({ agingPerSecond: 1 }) });
    const std = call({ customerLevel: 'standard' }); // t = 0
    clock.advance(50_000);
    const vip1 = call({ customerLevel: 'special' }); // standard 0 + 50 vs special 100 + 0
    agent('a');
    expect(offers()[0]!.entryId).toBe(vip1.id);
    expect(offers()[0]!.explanation).toMatchObject({ direction: 'entry', decidedBy: 'customer-level', eligible: 2 });
    engine.answer('a');
    clock.advance(10_000);
    const vip2 = call({ customerLevel: 'special' }); // t = 60
    clock.advance(1_000);
    engine.endCall('a'); // t = 61: standard 61 vs special 101
    expect(offers()[1]!.entryId).toBe(vip2.id);
    engine.answer('a');
    clock.advance(89_000);
    const vip3 = call({ customerLevel: 'special' }); // t = 150
    clock.advance(1_000);
    engine.endCall('a'); // t = 151: standard 151 vs special 101
    expect(offers()[2]!.entryId).toBe(std.id);
    expect(engine.entry(vip3.id)?.state).toBe('waiting');
  });

  it('maps customer level to agent grade: special customers reach the senior agent', () => {
    const { agent, call, offers } = world({ strategy: new CustomerLevelStrategy() });
    agent('junior', { level: 3 });
    agent('senior', { level: 10 });
    agent('middle', { level: 7 });
    call({ customerLevel: 'special' });
    call({ customerLevel: 'priority' });
    call({ customerLevel: 'standard' });
    expect(offers().map((o) => o.agentId)).toEqual(['senior', 'middle', 'junior']);
  });
});

describe('last agent with fallback (ACD-2)', () => {
  const strategy = () => new LastAgentStrategy({ stickyMs: 3_600_000, holdMs: 20_000, fallback: new LongestIdleStrategy() });

  it('goes to the last agent when ready, even if another has idled longer', () => {
    const { clock, agent, call, offers } = world({ strategy: strategy() });
    agent('other');
    clock.advance(60_000);
    agent('mine');
    call({ lastAgent: 'mine', lastContactAt: clock.now() - 600_000 });
    expect(offers()[0]).toMatchObject({ agentId: 'mine' });
    expect(offers()[0]!.explanation.decidedBy).toBe('last-agent');
  });

  it('holds for the busy last agent, then falls back to the next rule when the hold ends', () => {
    const { clock, agent, call, offers, engine } = world({ strategy: strategy() });
    agent('mine');
    agent('other');
    call({}); // longest idle: 'mine' gets it
    expect(offers()[0]!.agentId).toBe('mine');
    engine.answer('mine');
    const sticky = call({ lastAgent: 'mine', lastContactAt: clock.now() - 1_000 });
    expect(offers()).toHaveLength(1); // 'other' is ready but the call waits for 'mine'
    clock.advance(19_999);
    expect(offers()).toHaveLength(1);
    clock.advance(1);
    expect(offers()[1]).toMatchObject({ entryId: sticky.id, agentId: 'other' });
  });

  it('an expired customer memory does not stick', () => {
    const { clock, agent, call, offers } = world({ strategy: strategy() });
    agent('mine');
    clock.advance(1_000);
    agent('other');
    call({ lastAgent: 'other', lastContactAt: clock.now() - 7_200_000 });
    expect(offers()[0]!.agentId).toBe('mine');
  });

  it('the last agent becoming ready takes the contact held for them', () => {
    const { clock, agent, call, offers, engine } = world({ strategy: strategy() });
    agent('mine', {}, false);
    agent('other', {}, false);
    const held = call({ lastAgent: 'mine', lastContactAt: clock.now() });
    engine.ready('other');
    expect(offers()).toHaveLength(0);
    engine.ready('mine');
    expect(offers()[0]).toMatchObject({ entryId: held.id, agentId: 'mine' });
  });
});

describe('ring no answer (ACD-4)', () => {
  it('RONA: agent goes not-ready with reason RONA, counted, call re-offered to the next agent', () => {
    const { clock, agent, call, offers, events, engine } = world({}, [[{ id: 'q', requiredSkills: [], ringTimeoutMs: 12_000 }]]);
    agent('first');
    clock.advance(1_000);
    agent('second');
    const c = call();
    expect(offers()[0]!.agentId).toBe('first');
    clock.advance(12_000);
    expect(engine.agentSnapshot('first')).toMatchObject({ state: 'not-ready', reason: 'RONA' });
    expect(engine.agentSnapshot('first').counters.ronaCount).toBe(1);
    expect(events.find((e) => e.type === 'ring-no-answer')).toMatchObject({ entryId: c.id, agentId: 'first', ronaCount: 1 });
    expect(offers()[1]).toMatchObject({ entryId: c.id, agentId: 'second' });
    // 'first' comes back: the contact is not offered to them again.
    engine.ready('first');
    clock.advance(12_000);
    expect(offers()).toHaveLength(2);
    expect(engine.agentSnapshot('second').counters.ronaCount).toBe(1);
    expect(engine.entry(c.id)?.state).toBe('waiting');
  });

  it('per-agent ring time overrides the queue', () => {
    const { clock, agent, call, engine } = world({}, [[{ id: 'q', requiredSkills: [], ringTimeoutMs: 30_000 }]]);
    agent('a', { ringTimeoutMs: 5_000 });
    call();
    clock.advance(5_000);
    expect(engine.agentSnapshot('a').reason).toBe('RONA');
  });
});

describe('other strategies through the engine (ACD-1, ACD-2)', () => {
  it('round robin rotates through agents', () => {
    const { agent, call, offers, engine } = world({ strategy: new RoundRobinStrategy() });
    for (const id of ['a', 'b', 'c']) agent(id);
    for (let i = 0; i < 6; i++) {
      call();
      const o = offers()[i]!;
      engine.answer(o.agentId);
      engine.endCall(o.agentId);
    }
    expect(offers().map((o) => o.agentId)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('skill-first picks the best level; skills and minimum levels gate eligibility', () => {
    const q: QueueDefinition = { id: 'fund', requiredSkills: [{ skill: 'fund', minLevel: 4 }] };
    const { agent, call, offers } = world({ strategy: new CompositeStrategy([new SkillFirstStrategy(), new LongestIdleStrategy()]) }, [[q]]);
    agent('novice', { skills: { fund: 3 } });
    agent('good', { skills: { fund: 6 } });
    agent('best', { skills: { fund: 9 } });
    call({}, 'fund');
    call({}, 'fund');
    call({}, 'fund');
    expect(offers().map((o) => o.agentId)).toEqual(['best', 'good']);
  });
});

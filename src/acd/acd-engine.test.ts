import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { AcdEngine } from './acd-engine.ts';
import { AcdError } from './acd-error.ts';
import type { AcdEvent } from './acd-events.ts';
import { AgentStateError } from './agent-state.ts';
import type { AgentProfile, QueueDefinition } from './types.ts';

const SALES: QueueDefinition = { id: 'sales', requiredSkills: [{ skill: 'sales' }], wrapUpMs: 10_000, ringTimeoutMs: 15_000 };

function setup(agentCount = 2, extra: Partial<AgentProfile> = {}) {
  const clock = new FakeClock();
  const engine = new AcdEngine({ clock });
  const events: AcdEvent[] = [];
  engine.events.on((e) => events.push(e));
  engine.defineQueue(SALES);
  for (let i = 1; i <= agentCount; i++) {
    engine.addAgent({ id: `a${i}`, level: 5, skills: { sales: 5 }, groups: [], autoAnswer: false, ...extra });
    engine.login(`a${i}`);
  }
  const of = <T extends AcdEvent['type']>(t: T) => events.filter((e): e is Extract<AcdEvent, { type: T }> => e.type === t);
  return { clock, engine, events, of };
}

describe('AcdEngine call flow (ACD-1, ACD-3)', () => {
  it('offers, connects, wraps up and times wrap-up back to ready', () => {
    const { clock, engine, of } = setup(1);
    engine.ready('a1');
    const e = engine.enqueue('sales', { customerLevel: 'standard', media: 'voice', callerNumber: '13800000000' });
    expect(engine.agentSnapshot('a1').state).toBe('reserved');
    const offered = of('offered')[0]!;
    expect(offered).toMatchObject({ entryId: e.id, agentId: 'a1', autoAnswer: false, ringTimeoutMs: 15_000 });
    expect(offered.explanation).toMatchObject({ strategy: 'longest-idle', eligible: 1, decidedBy: 'only-candidate' });
    clock.advance(3_000);
    engine.answer('a1');
    expect(of('connected')[0]).toMatchObject({ waitMs: 3_000, withinServiceLevel: true });
    clock.advance(60_000);
    engine.endCall('a1');
    expect(engine.agentSnapshot('a1').state).toBe('wrap-up');
    clock.advance(9_999);
    expect(engine.agentSnapshot('a1').state).toBe('wrap-up');
    clock.advance(1);
    expect(engine.agentSnapshot('a1').state).toBe('ready');
    expect(of('wrap-up-ended')[0]).toMatchObject({ handleMs: 70_000, timedOut: true });
    const c = engine.agentSnapshot('a1').counters;
    expect(c).toMatchObject({ answered: 1, offered: 1, talkMs: 60_000, wrapUpMs: 10_000 });
    expect(engine.queueSnapshot('sales')).toMatchObject({ serviceLevel: 1, asaMs: 3_000, waiting: 0 });
  });

  it('per-agent wrap-up overrides the queue, and the agent may end wrap-up early', () => {
    const { clock, engine } = setup(1, { wrapUpMs: 2_000 });
    engine.ready('a1');
    engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    engine.answer('a1');
    engine.endCall('a1');
    clock.advance(2_000);
    expect(engine.agentSnapshot('a1').state).toBe('ready');
    engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    engine.answer('a1');
    engine.endCall('a1');
    engine.ready('a1');
    expect(engine.agentSnapshot('a1').state).toBe('ready');
  });

  it('a waiting contact goes to the agent who becomes ready; auto answer is flagged (ACD-3)', () => {
    const { engine, of } = setup(1, { autoAnswer: true });
    const e = engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    expect(engine.queueSnapshot('sales').waiting).toBe(1);
    engine.ready('a1');
    expect(of('offered')[0]).toMatchObject({ entryId: e.id, autoAnswer: true });
    expect(of('offered')[0]!.explanation.direction).toBe('entry');
    engine.answer('a1');
    engine.endCall('a1');
    engine.setAutoAnswer('a1', false);
    engine.ready('a1');
    engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    expect(of('offered')[1]).toMatchObject({ autoAnswer: false });
  });

  it('not-ready during a call is taken after the call; counts not-ready time and count', () => {
    const { clock, engine } = setup(1);
    engine.ready('a1');
    engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    engine.answer('a1');
    engine.notReady('a1', 'break');
    expect(engine.agentSnapshot('a1')).toMatchObject({ state: 'talking', pendingNotReady: 'break' });
    engine.endCall('a1');
    clock.advance(10_000);
    expect(engine.agentSnapshot('a1')).toMatchObject({ state: 'not-ready', reason: 'break' });
    clock.advance(5_000);
    const c = engine.agentSnapshot('a1').counters;
    expect(c.notReadyCount).toBe(2); // after login, and the break
    expect(c.notReadyMs).toBe(5_000);
    expect(c.onlineMs).toBe(15_000);
  });

  it('caller hanging up while ringing frees the agent, counted as abandoned', () => {
    const { clock, engine, of } = setup(1);
    engine.ready('a1');
    const e = engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    clock.advance(10_000);
    engine.hangUp(e.id);
    expect(engine.agentSnapshot('a1').state).toBe('ready');
    expect(of('entry-ended')[0]).toMatchObject({ reason: 'abandoned', state: 'abandoned' });
    // Abandoned within T counts neither way (DESIGN.md service level).
    expect(engine.queueSnapshot('sales').counters).toMatchObject({ abandoned: 1, abandonedWithinT: 1 });
    expect(engine.queueSnapshot('sales').serviceLevel).toBeUndefined();
  });

  it('typed errors for unknown ids and bad configuration', () => {
    const { engine } = setup(1);
    expect(() => engine.ready('nobody')).toThrow(AcdError);
    expect(() => engine.enqueue('nope', { customerLevel: 'standard', media: 'voice' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_QUEUE' }),
    );
    expect(() => engine.addAgent({ id: 'x', level: 11, skills: {}, groups: [], autoAnswer: false })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => engine.endCall('a1')).toThrow(expect.objectContaining({ code: 'NO_CALL' }));
    expect(() => engine.login('a1')).toThrow(AgentStateError);
  });
});

describe('supervisor lock (SUP-3)', () => {
  it('locking a ringing agent re-offers the call; locked agents cannot log in until unlocked', () => {
    const { engine, of } = setup(2);
    engine.ready('a1');
    engine.ready('a2');
    const e = engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    const first = of('offered')[0]!.agentId;
    const other = first === 'a1' ? 'a2' : 'a1';
    engine.lock(first);
    expect(engine.agentSnapshot(first).state).toBe('locked');
    expect(of('offered')[1]).toMatchObject({ entryId: e.id, agentId: other });
    expect(() => engine.login(first)).toThrow(expect.objectContaining({ code: 'AGENT_LOCKED' }));
    engine.unlock(first);
    engine.login(first);
    expect(engine.agentSnapshot(first).state).toBe('not-ready');
  });

  it('a talking agent cannot be locked', () => {
    const { engine } = setup(1);
    engine.ready('a1');
    engine.enqueue('sales', { customerLevel: 'standard', media: 'voice' });
    engine.answer('a1');
    expect(() => engine.lock('a1')).toThrow(expect.objectContaining({ code: 'AGENT_BUSY' }));
  });
});

describe('service-time reminder (CTI-7)', () => {
  it('warns before the admin-set limit and again at it', () => {
    const clock = new FakeClock();
    const engine = new AcdEngine({ clock });
    const got: AcdEvent[] = [];
    engine.events.on((e) => e.type === 'service-time' && got.push(e));
    engine.defineQueue({ id: 'q', requiredSkills: [], serviceTimeLimitMs: 300_000, serviceTimeReminderMs: 60_000 });
    engine.addAgent({ id: 'a', level: 5, skills: {}, groups: [], autoAnswer: true });
    engine.login('a');
    engine.ready('a');
    engine.enqueue('q', { customerLevel: 'standard', media: 'voice' });
    engine.answer('a');
    clock.advance(240_000);
    expect(got).toMatchObject([{ remainingMs: 60_000, limitMs: 300_000 }]);
    clock.advance(60_000);
    expect(got).toHaveLength(2);
    expect(got[1]).toMatchObject({ remainingMs: 0 });
  });
});

describe('per-agent counters for today (SUP-1, RPT-1 data)', () => {
  it('restart at midnight in the center time zone (Asia/Shanghai)', () => {
    const clock = new FakeClock(Date.parse('2026-10-08T15:50:00Z')); // 23:50 in Shanghai
    const engine = new AcdEngine({ clock });
    const resets: AcdEvent[] = [];
    engine.events.on((e) => e.type === 'counters-reset' && resets.push(e));
    engine.defineQueue({ id: 'q', requiredSkills: [] });
    engine.addAgent({ id: 'a', level: 5, skills: {}, groups: [], autoAnswer: true });
    engine.login('a');
    engine.ready('a');
    engine.enqueue('q', { customerLevel: 'standard', media: 'voice' });
    engine.answer('a');
    engine.endCall('a');
    engine.recordTransfer('a');
    expect(engine.agentSnapshot('a').counters).toMatchObject({ answered: 1, transfers: 1 });
    clock.advance(10 * 60_000); // 00:00 next day
    engine.notReady('a', 'break');
    expect(resets).toHaveLength(1);
    clock.advance(60_000);
    expect(engine.agentSnapshot('a').counters).toMatchObject({ answered: 0, transfers: 0, notReadyCount: 1, notReadyMs: 60_000, onlineMs: 60_000 });
    expect(engine.queueSnapshot('q').counters.answered).toBe(0);
  });
});

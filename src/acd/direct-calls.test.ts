// Calls the ACD did not route (issue 5, ACD-3, CTI-4, SUP-1): transfers, consultations, internal and outbound calls.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { AcdEngine } from './acd-engine.ts';
import type { AcdEvent } from './acd-events.ts';
import { AgentStateError } from './agent-state.ts';
import type { QueueDefinition } from './types.ts';

const SALES: QueueDefinition = { id: 'sales', requiredSkills: [{ skill: 'sales' }], wrapUpMs: 10_000, ringTimeoutMs: 15_000 };
const VOICE = { customerLevel: 'standard', media: 'voice' } as const;

function setup() {
  const clock = new FakeClock();
  const engine = new AcdEngine({ clock });
  const events: AcdEvent[] = [];
  engine.events.on((e) => events.push(e));
  engine.defineQueue(SALES);
  for (const id of ['a1', 'a2']) {
    engine.addAgent({ id, level: 5, skills: { sales: 5 }, groups: [], autoAnswer: false });
    engine.login(id);
  }
  return { clock, engine, events, snap: (id: string) => engine.agentSnapshot(id) };
}

describe('AcdEngine: calls it did not route (issue 5)', () => {
  it('a ready agent on a transferred-in call is talking, out of the ready pool, never offered a queue call; wrap-up after, answered counted', () => {
    const { clock, engine, snap } = setup();
    engine.ready('a1');
    engine.connectDirect('a1', { interactionId: 'ix1', kind: 'transfer', queueId: 'sales' });
    expect(snap('a1')).toMatchObject({ state: 'talking', direct: { interactionId: 'ix1', kind: 'transfer' }, counters: { answered: 1, offered: 0 } });
    expect(engine.readyCount).toBe(0);
    const e = engine.enqueue('sales', VOICE);
    expect(engine.entry(e.id)?.state).toBe('waiting');
    clock.advance(30_000);
    expect(engine.endDirect('a1', 'other-ix')).toBe(false);
    expect(engine.endDirect('a1', 'ix1')).toBe(true);
    expect(snap('a1').state).toBe('wrap-up');
    expect(snap('a1').counters.talkMs).toBe(30_000);
    clock.advance(10_000); // the queue's wrap-up time
    // Wrap-up over: ready, and the waiting caller is offered at once.
    expect(snap('a1')).toMatchObject({ state: 'reserved', entryId: e.id });
    expect(snap('a1').direct).toBeUndefined();
    expect(snap('a1').counters).toMatchObject({ wrapUpMs: 10_000, answered: 1, offered: 1 });
  });

  it('a consultation returns a ready agent to ready (and a waiting caller is offered then), no wrap-up, nothing answered', () => {
    const { clock, engine, snap } = setup();
    engine.ready('a2');
    engine.connectDirect('a2', { interactionId: 'ix1', kind: 'consult' });
    const e = engine.enqueue('sales', VOICE);
    expect(snap('a2').state).toBe('talking');
    clock.advance(5_000);
    engine.endDirect('a2', 'ix1');
    expect(snap('a2')).toMatchObject({ state: 'reserved', entryId: e.id, counters: { answered: 0, offered: 1, talkMs: 5_000, wrapUpMs: 0 } });
  });

  it('a not-ready agent goes back to the same pause after an internal call, not counted as a second pause', () => {
    const { engine, snap, events } = setup();
    engine.ready('a1');
    engine.notReady('a1', 'lunch');
    const pauses = snap('a1').counters.notReadyCount;
    engine.connectDirect('a1', { interactionId: 'ix9', kind: 'internal' });
    expect(snap('a1')).toMatchObject({ state: 'talking', pendingNotReady: 'lunch' });
    engine.endDirect('a1', 'ix9');
    expect(snap('a1')).toMatchObject({ state: 'not-ready', reason: 'lunch', counters: { notReadyCount: pauses } });
    expect(events.filter((e) => e.type === 'agent-state').slice(-2)).toMatchObject([
      { from: 'not-ready', to: 'talking', reason: 'internal' },
      { from: 'talking', to: 'not-ready', reason: 'lunch' },
    ]);
  });

  it('a pause asked for during a direct call is taken at its end (counted), instead of ready', () => {
    const { engine, snap } = setup();
    engine.ready('a1');
    const pauses = snap('a1').counters.notReadyCount;
    engine.connectDirect('a1', { interactionId: 'ix1', kind: 'consult' });
    engine.notReady('a1', 'training');
    engine.endDirect('a1', 'ix1');
    expect(snap('a1')).toMatchObject({ state: 'not-ready', reason: 'training', counters: { notReadyCount: pauses + 1 } });
  });

  it('a not-ready agent transferred a customer wraps up, then returns to the pause it had', () => {
    const { clock, engine, snap } = setup();
    engine.ready('a1');
    engine.notReady('a1', 'meeting');
    const pauses = snap('a1').counters.notReadyCount;
    engine.connectDirect('a1', { interactionId: 'ix1', kind: 'transfer', queueId: 'sales' });
    engine.endDirect('a1', 'ix1');
    expect(snap('a1').state).toBe('wrap-up');
    clock.advance(10_000);
    expect(snap('a1')).toMatchObject({ state: 'not-ready', reason: 'meeting', counters: { notReadyCount: pauses, answered: 1 } });
  });

  it('the agent ends the wrap-up of a direct customer call early with ready', () => {
    const { engine, snap } = setup();
    engine.ready('a1');
    engine.connectDirect('a1', { interactionId: 'ix1', kind: 'outbound' });
    engine.endDirect('a1', 'ix1');
    // No queue: the agent's own wrap-up time or none; the engine default is none.
    expect(snap('a1').state).toBe('ready');
    engine.connectDirect('a1', { interactionId: 'ix2', kind: 'outbound', queueId: 'sales' });
    engine.endDirect('a1', 'ix2');
    expect(snap('a1').state).toBe('wrap-up');
    engine.ready('a1');
    expect(snap('a1').state).toBe('ready');
    expect(snap('a1').counters.answered).toBe(0);
  });

  it('a consultation completed as a transfer becomes a customer call: answered counted, wrap-up at its end', () => {
    const { engine, snap } = setup();
    engine.ready('a2');
    engine.connectDirect('a2', { interactionId: 'ix1', kind: 'consult', queueId: 'sales' });
    expect(engine.transferDirect('ix2')).toBe(0);
    expect(engine.transferDirect('ix1')).toBe(1);
    expect(snap('a2')).toMatchObject({ direct: { kind: 'transfer' }, counters: { answered: 1 } });
    engine.endDirect('a2', 'ix1');
    expect(snap('a2').state).toBe('wrap-up');
  });

  it('a direct call during wrap-up ends that wrap-up (handle time recorded); afterwards the agent is ready', () => {
    const { clock, engine, snap, events } = setup();
    engine.ready('a1');
    engine.enqueue('sales', VOICE);
    engine.answer('a1');
    clock.advance(20_000);
    engine.endCall('a1');
    clock.advance(2_000);
    engine.connectDirect('a1', { interactionId: 'ix7', kind: 'consult' });
    expect(events.find((e) => e.type === 'wrap-up-ended')).toMatchObject({ agentId: 'a1', handleMs: 22_000, timedOut: false });
    clock.advance(60_000); // the old wrap-up timer must not fire into the consultation
    expect(snap('a1').state).toBe('talking');
    engine.endDirect('a1', 'ix7');
    expect(snap('a1').state).toBe('ready');
  });

  it('refuses a direct call to an agent that is logged out, ringing for the ACD or already talking (typed codes)', () => {
    const { engine } = setup();
    engine.addAgent({ id: 'a3', level: 5, skills: { sales: 5 }, groups: [], autoAnswer: false });
    engine.ready('a1');
    engine.enqueue('sales', VOICE); // a1 reserved
    engine.ready('a2');
    engine.connectDirect('a2', { interactionId: 'ix1', kind: 'consult' });
    const codeOf = (id: string) => {
      try {
        engine.connectDirect(id, { interactionId: 'ix2', kind: 'transfer' });
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(AgentStateError);
        return (e as AgentStateError).code;
      }
    };
    expect([codeOf('a3'), codeOf('a1'), codeOf('a2')]).toEqual(['NOT_LOGGED_IN', 'AGENT_BUSY', 'AGENT_BUSY']);
    expect(engine.agentSnapshot('a2').direct).toMatchObject({ interactionId: 'ix1' });
    expect(engine.agentSnapshot('a1').counters.answered).toBe(0);
  });

  it('an agent on a direct call can neither log out nor be locked', () => {
    const { engine } = setup();
    engine.ready('a1');
    engine.connectDirect('a1', { interactionId: 'ix1', kind: 'transfer' });
    expect(() => engine.logout('a1')).toThrow(AgentStateError);
    expect(() => engine.lock('a1')).toThrow(AgentStateError);
    expect(engine.agentSnapshot('a1').state).toBe('talking');
  });
});

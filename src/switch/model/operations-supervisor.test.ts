import { describe, expect, it } from 'vitest';
import { CallModelError } from './errors.ts';
import { acceptInbound, answer, hold, offer } from './operations-call.ts';
import { hangup } from './operations-hangup.ts';
import { alternate, consult } from './operations-consult.ts';
import { barge, forceRelease, intercept, interactionOfAgent, monitor, whisper } from './operations-supervisor.ts';
import { hears, legOf, talkingCall, testContext } from './test-kit.ts';

const C = 'customer:13800000000';
const A = 'agent:8001';
const S = 'supervisor:8100';
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallModelError) return e.code;
    throw e;
  }
  return undefined;
}
function supervised(mode: 'monitor' | 'whisper' | 'barge') {
  const ix = talkingCall(testContext());
  const op = { monitor, whisper, barge }[mode];
  const o = op(ix, '8100', '8001');
  expect(o.commands).toContainEqual(expect.objectContaining({ kind: 'leg.dial', party: { kind: 'supervisor', id: '8100' } }));
  const a = answer(ix, legOf(ix, 'supervisor', '8100'));
  return { ix, a };
}

describe('supervisor call control (SUP-2)', () => {
  it('silent monitor: the supervisor hears both, nobody hears the supervisor', () => {
    const { ix, a } = supervised('monitor');
    expect(a.events).toContainEqual(expect.objectContaining({ type: 'supervision.changed', mode: 'listen', agentId: '8001' }));
    expect([hears(ix, S, C), hears(ix, S, A), hears(ix, C, S), hears(ix, A, S)]).toEqual([true, true, false, false]);
    expect(hears(ix, C, A)).toBe(true);
    expect(codeOf(() => monitor(ix, '8100', '8001'))).toBe('ALREADY_SUPERVISED');
  });

  it('whisper: only the agent hears the supervisor; a monitor can switch to whisper in place', () => {
    const { ix } = supervised('whisper');
    expect([hears(ix, S, C), hears(ix, C, S), hears(ix, A, S)]).toEqual([true, false, true]);
    const m = supervised('monitor').ix;
    const w = whisper(m, '8100', '8001');
    expect(w.commands).toEqual([expect.objectContaining({ kind: 'bridge.setRole', role: 'whisper', target: legOf(m, 'agent', '8001') })]);
    expect(hears(m, A, S)).toBe(true);
  });

  it('barge-in: a three-way call; from monitor, barge moves the call to conferencing', () => {
    const { ix } = supervised('barge');
    expect(ix.state).toBe('conferencing');
    expect([hears(ix, C, S), hears(ix, A, S), hears(ix, S, C)]).toEqual([true, true, true]);
    const m = supervised('monitor').ix;
    barge(m, '8100', '8001');
    expect(m.state).toBe('conferencing');
    expect(hears(m, C, S)).toBe(true);
  });

  it('intercept: the agent is dropped, the supervisor keeps the customer (even on hold)', () => {
    const { ix } = supervised('monitor');
    hold(ix, '8001');
    const i = intercept(ix, '8100', '8001');
    expect(ix.state).toBe('talking');
    expect(i.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8001', cause: 'intercepted' }));
    expect([hears(ix, C, S), hears(ix, S, C)]).toEqual([true, true]);
    expect(ix.agentLegOf('8001')).toBeUndefined();
    hangup(ix, ix.customerLeg);
    expect(ix.state).toBe('ended');
  });

  it('force release: every leg ends with cause force-release', () => {
    const { ix } = supervised('monitor');
    const f = forceRelease(ix, '8001');
    expect(ix.state).toBe('ended');
    expect(f.commands.filter((c) => c.kind === 'leg.hangup').map((c) => (c as { cause: string }).cause)).toEqual([
      'force-release',
      'force-release',
      'force-release',
    ]);
    expect(f.events).toContainEqual(expect.objectContaining({ type: 'interaction.ended', cause: 'force-release' }));
  });

  it('the supervisor leaving ends only the supervision; the agent leaving ends it too', () => {
    const { ix } = supervised('monitor');
    const h = hangup(ix, legOf(ix, 'supervisor', '8100'));
    expect(ix.state).toBe('talking');
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'supervision.changed', mode: 'ended' }));
    monitor(ix, '8100', '8001');
    answer(ix, legOf(ix, 'supervisor', '8100'));
    const e = hangup(ix, legOf(ix, 'agent', '8001'));
    expect(e.events.filter((x) => x.type === 'supervision.changed')).toHaveLength(1);
  });

  it('forbidden: monitor an idle or ringing agent, intercept without being on the call, release an idle agent', () => {
    const ix = talkingCall(testContext());
    expect(codeOf(() => interactionOfAgent([ix], '8002'))).toBe('AGENT_NOT_ON_CALL');
    expect(interactionOfAgent([ix], '8001')).toBe(ix);
    expect(codeOf(() => monitor(ix, '8100', '8002'))).toBe('AGENT_NOT_ON_CALL');
    expect(codeOf(() => intercept(ix, '8100', '8001'))).toBe('NOT_SUPERVISING');
    expect(codeOf(() => forceRelease(ix, '8009'))).toBe('AGENT_NOT_ON_CALL');
    monitor(ix, '8100', '8001');
    expect(codeOf(() => intercept(ix, '8100', '8001'))).toBe('NOT_SUPERVISING'); // still ringing
    const q = acceptInbound(testContext(), { kind: 'customer', id: '1' }, { kind: 'queue', queueId: 'q1' }).interaction;
    offer(q, '8001');
    expect(codeOf(() => monitor(q, '8100', '8001'))).toBe('AGENT_NOT_ON_CALL');
    expect(codeOf(() => interactionOfAgent([q], '8001'))).toBe('AGENT_NOT_ON_CALL');
  });
});

describe('supervision follows the agent through a consult (SUP-2)', () => {
  it('a monitoring supervisor hears the consultation, then the customer again after alternate', () => {
    const ix = talkingCall(testContext());
    monitor(ix, '8100', '8001');
    answer(ix, legOf(ix, 'supervisor', '8100'));
    consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    answer(ix, legOf(ix, 'agent', '8002'));
    expect([hears(ix, S, A), hears(ix, S, 'agent:8002'), hears(ix, 'agent:8002', S)]).toEqual([true, true, false]);
    alternate(ix, '8001');
    expect([hears(ix, S, C), hears(ix, S, A), hears(ix, C, S)]).toEqual([true, true, false]);
  });

  it('a whispering supervisor keeps whispering to the agent in the consult bridge', () => {
    const ix = talkingCall(testContext());
    whisper(ix, '8100', '8001');
    const sup = legOf(ix, 'supervisor', '8100');
    answer(ix, sup);
    const c = consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    expect(c.commands).toContainEqual({ kind: 'bridge.setRole', bridge: ix.m.mainBridge, leg: sup, role: 'listen' });
    expect(c.commands).toContainEqual({ kind: 'bridge.leave', bridge: ix.m.mainBridge, leg: sup });
    answer(ix, legOf(ix, 'agent', '8002'));
    expect([hears(ix, A, S), hears(ix, 'agent:8002', S), hears(ix, S, 'agent:8002')]).toEqual([true, false, true]);
  });
});

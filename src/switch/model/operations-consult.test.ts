import { describe, expect, it } from 'vitest';
import { CallModelError } from './errors.ts';
import type { Interaction } from './interaction.ts';
import { answer, hold } from './operations-call.ts';
import { alternate, completeConference, completeTransfer, consult, reconnect } from './operations-consult.ts';
import { hangup } from './operations-hangup.ts';
import { hears, legOf, talkingCall, testContext } from './test-kit.ts';

const C = 'customer:13800000000';
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallModelError) return e.code;
    throw e;
  }
  return undefined;
}
function consulting(ix: Interaction, by: string, to: string): void {
  consult(ix, by, { kind: 'agent', agentId: to });
  answer(ix, legOf(ix, 'agent', to));
}

describe('consult, alternate, reconnect (CTI-3)', () => {
  it('moves the agent between the customer (held, music) and the consulted agent', () => {
    const ix = talkingCall(testContext());
    const c = consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    expect(ix.state).toBe('consulting');
    expect(c.commands).toContainEqual(expect.objectContaining({ kind: 'media.play', source: 'ringback' }));
    expect(ix.bridge(ix.m.mainBridge!).hearsMusic(ix.customerLeg)).toBe(true);
    expect(codeOf(() => alternate(ix, '8001'))).toBe('CONSULT_NOT_ANSWERED');
    expect(codeOf(() => completeTransfer(ix, '8001'))).toBe('CONSULT_NOT_ANSWERED');
    expect(codeOf(() => consult(ix, '8001', { kind: 'external', number: '955' }))).toBe('CONSULT_IN_PROGRESS');
    answer(ix, legOf(ix, 'agent', '8002'));
    expect(hears(ix, 'agent:8001', 'agent:8002')).toBe(true);
    expect(hears(ix, 'agent:8002', 'agent:8001')).toBe(true);
    expect(hears(ix, 'agent:8002', C)).toBe(false);
    expect(hears(ix, C, 'agent:8001')).toBe(false);

    alternate(ix, '8001');
    expect(hears(ix, 'agent:8001', C)).toBe(true);
    expect(hears(ix, C, 'agent:8001')).toBe(true);
    expect(hears(ix, 'agent:8002', 'agent:8001')).toBe(false);
    expect(ix.bridgeOf(legOf(ix, 'agent', '8002'))?.hearsMusic(legOf(ix, 'agent', '8002'))).toBe(true);
    alternate(ix, '8001');
    expect(hears(ix, 'agent:8001', 'agent:8002')).toBe(true);
    expect(hears(ix, C, 'agent:8001')).toBe(false);

    const r = reconnect(ix, '8001');
    expect(ix.state).toBe('talking');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8002', cause: 'reconnected' }));
    expect(hears(ix, C, 'agent:8001')).toBe(true);
    expect(hears(ix, 'agent:8001', C)).toBe(true);
    expect([...ix.bridges.values()].filter((b) => b.state === 'open')).toHaveLength(1);
    expect(ix.m.consult).toBeUndefined();
  });

  it('consults an external number from hold; the consulted party hanging up leaves the customer on hold', () => {
    const ix = talkingCall(testContext());
    hold(ix, '8001');
    const c = consult(ix, '8001', { kind: 'external', number: '02155550100' });
    expect(c.commands).toContainEqual(expect.objectContaining({ kind: 'leg.dial', party: { kind: 'external', id: '02155550100' } }));
    answer(ix, legOf(ix, 'external', '02155550100'));
    hangup(ix, legOf(ix, 'external', '02155550100'));
    expect(ix.state).toBe('on-hold');
    expect(hears(ix, 'agent:8001', C)).toBe(true);
    expect(hears(ix, C, 'agent:8001')).toBe(false);
  });

  it('forbidden: alternate, reconnect or complete with no consult; consult someone already on the call', () => {
    const ix = talkingCall(testContext());
    expect(codeOf(() => alternate(ix, '8001'))).toBe('NO_CONSULT');
    expect(codeOf(() => reconnect(ix, '8001'))).toBe('NO_CONSULT');
    expect(codeOf(() => completeTransfer(ix, '8001'))).toBe('NO_CONSULT');
    expect(codeOf(() => completeConference(ix, '8001'))).toBe('NO_CONSULT');
    expect(codeOf(() => consult(ix, '8001', { kind: 'agent', agentId: '8001' }))).toBe('INVALID_STATE');
    consulting(ix, '8001', '8002');
    expect(codeOf(() => completeTransfer(ix, '8002'))).toBe('NOT_THE_HANDLING_AGENT');
  });
});

describe('attended transfer (CTI-3, CTI-4, CTI-5)', () => {
  it('hands the customer and the call data to the consulted agent', () => {
    const ix = talkingCall(testContext(), { account: '600123', ticket: 'T-42' });
    const c = consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    expect(c.commands).toContainEqual(expect.objectContaining({ kind: 'leg.dial', callData: { account: '600123', ticket: 'T-42' } }));
    expect(c.events).toContainEqual(expect.objectContaining({ type: 'interaction.offered', party: { kind: 'agent', id: '8002' }, callData: { account: '600123', ticket: 'T-42' } }));
    answer(ix, legOf(ix, 'agent', '8002'));
    const t = completeTransfer(ix, '8001');
    expect(ix.state).toBe('talking');
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8001', cause: 'transferred' }));
    expect(ix.agentLegOf('8001')).toBeUndefined();
    expect(hears(ix, C, 'agent:8002')).toBe(true);
    expect(hears(ix, 'agent:8002', C)).toBe(true);
    expect(ix.callData()).toEqual({ account: '600123', ticket: 'T-42' });
    hold(ix, '8002'); // the new agent now handles the call
    expect(ix.state).toBe('on-hold');
  });
});

describe('conference (CTI-3, TEL-4)', () => {
  it('one customer and three agents, everyone hears everyone; a fourth agent is over the maximum', () => {
    const ix = talkingCall(testContext(4));
    consulting(ix, '8001', '8002');
    completeConference(ix, '8001');
    expect(ix.state).toBe('conferencing');
    consult(ix, '8001', { kind: 'agent', agentId: '8003' });
    expect(hears(ix, C, 'agent:8002')).toBe(true); // the others keep talking during the consult
    answer(ix, legOf(ix, 'agent', '8003'));
    completeConference(ix, '8001');
    const parties = [C, 'agent:8001', 'agent:8002', 'agent:8003'];
    for (const a of parties) for (const b of parties) if (a !== b) expect(hears(ix, a, b), `${a} hears ${b}`).toBe(true);

    consulting(ix, '8001', '8004');
    const before = JSON.stringify(ix.toJSON());
    expect(codeOf(() => completeConference(ix, '8001'))).toBe('BRIDGE_FULL');
    expect(JSON.stringify(ix.toJSON())).toBe(before);
    reconnect(ix, '8001');
    expect(ix.state).toBe('conferencing');

    hangup(ix, legOf(ix, 'agent', '8001'));
    expect(ix.state).toBe('conferencing');
    hangup(ix, legOf(ix, 'agent', '8003'));
    expect(ix.state).toBe('talking');
    hold(ix, '8002');
    expect(hears(ix, 'agent:8002', C)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { CallModelError } from './errors.ts';
import { acceptInbound, answer, enqueue, hold, legProgress, makeCall, noAnswer, offer, refuseInbound, retrieve } from './operations-call.ts';
import { hangup } from './operations-hangup.ts';
import { hears, legOf, talkingCall, testContext } from './test-kit.ts';

const CUSTOMER = { kind: 'customer', id: '13800000000' } as const;
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallModelError) return e.code;
    throw e;
  }
  return undefined;
}

describe('refused before answering (ACD-7)', () => {
  it('a blacklisted caller: the leg rings and is hung up by the system, never answered; the interaction ends with the cause', () => {
    const { interaction: ix, outcome } = refuseInbound(testContext(), CUSTOMER, 'general', 'blacklist-refused');
    expect(outcome.commands).toEqual([{ kind: 'leg.hangup', leg: ix.customerLeg, cause: 'blacklist-refused' }]);
    expect(outcome.commands.some((c) => c.kind === 'leg.answer' || c.kind === 'media.play' || c.kind === 'acd.enqueue')).toBe(false);
    expect(ix.state).toBe('ended');
    expect(ix.legs.get(ix.customerLeg)?.state).toBe('terminated');
    expect(outcome.events.find((e) => e.type === 'interaction.ended')).toMatchObject({ by: 'system', cause: 'blacklist-refused' });
  });
});

describe('basic call (CTI-1)', () => {
  it('IVR, queue, offer with call data, answer, customer hangs up', () => {
    const ctx = testContext();
    const { interaction: ix, outcome } = acceptInbound(ctx, CUSTOMER, { kind: 'ivr', script: 'main.vxml' });
    expect(outcome.commands.map((c) => c.kind)).toEqual(['leg.answer', 'bridge.create', 'bridge.join', 'bridge.join', 'ivr.start']);
    ix.setData('account', '600123');
    ix.setData('authenticated', true);
    const q = enqueue(ix, 'funds', 'menu-2');
    expect(q.commands).toContainEqual({ kind: 'acd.enqueue', interaction: ix.id, queueId: 'funds', callData: { account: '600123', authenticated: true } });
    expect(q.commands).toContainEqual({ kind: 'media.play', leg: ix.customerLeg, source: 'queue-music' });
    expect(ix.legs.get('leg-2')?.state).toBe('terminated'); // the IVR leg

    const o = offer(ix, '8001');
    const agentLeg = legOf(ix, 'agent', '8001');
    expect(o.commands[o.commands.length - 1]).toMatchObject({ kind: 'leg.dial', leg: agentLeg, callData: { account: '600123' } });
    expect(o.events.find((e) => e.type === 'interaction.offered')).toMatchObject({ callData: { account: '600123' } });
    legProgress(ix, agentLeg, false);
    ctx.clock.advance(4_000);
    const a = answer(ix, agentLeg);
    expect(ix.state).toBe('talking');
    expect(a.events.map((e) => e.type)).toContain('agent.connected');
    expect(hears(ix, 'customer:13800000000', 'agent:8001')).toBe(true);
    expect(hears(ix, 'agent:8001', 'customer:13800000000')).toBe(true);
    expect(ix.leg(agentLeg).toJSON()).toMatchObject({ answerAt: ctx.clock.now() });

    ctx.clock.advance(60_000);
    const h = hangup(ix, ix.customerLeg);
    expect(ix.state).toBe('ended');
    expect(h.commands).toContainEqual({ kind: 'leg.hangup', leg: agentLeg, cause: 'normal' });
    expect(h.commands.some((c) => c.kind === 'leg.hangup' && c.leg === ix.customerLeg)).toBe(false);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8001', by: 'peer' }));
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'interaction.ended', by: 'party' }));
    expect(ix.leg(ix.customerLeg).toJSON()).toMatchObject({ endedBy: 'party', endAt: ctx.clock.now() });
    expect(codeOf(() => hangup(ix, agentLeg))).toBe('INTERACTION_ENDED');
  });

  it('the agent hangs up: the customer gets BYE and the agent is released', () => {
    const ix = talkingCall(testContext());
    const agentLeg = legOf(ix, 'agent', '8001');
    const h = hangup(ix, agentLeg);
    expect(h.commands).toContainEqual({ kind: 'leg.hangup', leg: ix.customerLeg, cause: 'normal' });
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8001', by: 'party' }));
    expect(h.commands.filter((c) => c.kind === 'bridge.destroy')).toHaveLength(1);
  });

  it('ring-no-answer goes back to the queue; a refusal likewise', () => {
    const ix = acceptInbound(testContext(), CUSTOMER, { kind: 'queue', queueId: 'q1' }).interaction;
    offer(ix, '8001');
    const r = noAnswer(ix, legOf(ix, 'agent', '8001'));
    expect(ix.state).toBe('queued');
    expect(r.commands).toContainEqual(expect.objectContaining({ kind: 'acd.enqueue', queueId: 'q1' }));
    offer(ix, '8002');
    hangup(ix, legOf(ix, 'agent', '8002'));
    expect(ix.state).toBe('queued');
  });

  it('forbidden: answer a leg that is not ringing for the call, offer while talking', () => {
    const ix = talkingCall(testContext());
    expect(codeOf(() => answer(ix, 'leg-99'))).toBe('UNKNOWN_LEG');
    expect(codeOf(() => answer(ix, ix.customerLeg))).toBe('UNKNOWN_LEG');
    expect(codeOf(() => offer(ix, '8002'))).toBe('INVALID_STATE');
    expect(codeOf(() => noAnswer(ix, legOf(ix, 'agent', '8001')))).toBe('INVALID_STATE');
  });
});

describe('hold and retrieve (CTI-2)', () => {
  it('the customer hears music, the agent still hears the customer; retrieve restores both ways', () => {
    const ctx = testContext();
    const ix = talkingCall(ctx);
    const h = hold(ix, '8001');
    expect(h.commands).toEqual([{ kind: 'bridge.setRole', bridge: ix.m.mainBridge, leg: ix.customerLeg, role: 'hold' }]);
    const main = ix.bridge(ix.m.mainBridge!);
    expect(main.member(ix.customerLeg)?.role).toBe('hold');
    expect(main.member(legOf(ix, 'agent', '8001'))?.role).toBe('full');
    expect(main.hearsMusic(ix.customerLeg)).toBe(true);
    expect(hears(ix, 'agent:8001', 'customer:13800000000')).toBe(true);
    expect(hears(ix, 'customer:13800000000', 'agent:8001')).toBe(false);
    ctx.clock.advance(7_000);
    expect(codeOf(() => hold(ix, '8001'))).toBe('ALREADY_ON_HOLD');
    retrieve(ix, '8001');
    expect(ix.state).toBe('talking');
    expect(hears(ix, 'customer:13800000000', 'agent:8001')).toBe(true);
    expect(ix.leg(ix.customerLeg).holdTotalMs()).toBe(7_000);
  });

  it('forbidden: retrieve a call not on hold, hold by an agent not on the call, hold before answer', () => {
    const ix = talkingCall(testContext());
    expect(codeOf(() => retrieve(ix, '8001'))).toBe('NOT_ON_HOLD');
    expect(codeOf(() => hold(ix, '8009'))).toBe('AGENT_NOT_ON_CALL');
    const q = acceptInbound(testContext(), CUSTOMER, { kind: 'queue', queueId: 'q1' }).interaction;
    offer(q, '8001');
    expect(codeOf(() => hold(q, '8001'))).toBe('INVALID_STATE');
  });
});

describe('make call (CTI-1)', () => {
  it('dials the customer with the call data; the agent leg is answered when the customer answers', () => {
    const ctx = testContext();
    const { interaction: ix, outcome } = makeCall(ctx, '8001', '02155550100', { campaign: 'renewals' });
    expect(ix.state).toBe('ringing');
    expect(outcome.commands).toEqual([
      { kind: 'leg.dial', leg: ix.customerLeg, party: { kind: 'customer', id: '02155550100' }, callData: { campaign: 'renewals' } },
    ]);
    const agentLeg = legOf(ix, 'agent', '8001');
    expect(codeOf(() => hold(ix, '8001'))).toBe('INVALID_STATE');
    legProgress(ix, ix.customerLeg, true);
    const a = answer(ix, ix.customerLeg);
    expect(a.commands).toContainEqual({ kind: 'leg.answer', leg: agentLeg });
    expect(ix.state).toBe('talking');
    expect(hears(ix, 'agent:8001', 'customer:02155550100')).toBe(true);
    hold(ix, '8001');
    expect(ix.state).toBe('on-hold');
  });

  it('a customer who does not answer ends the attempt and releases the agent', () => {
    const { interaction: ix } = makeCall(testContext(), '8001', '02155550100');
    const n = noAnswer(ix, ix.customerLeg);
    expect(ix.state).toBe('ended');
    expect(n.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8001', cause: 'no-answer' }));
    expect(n.commands).toContainEqual(expect.objectContaining({ kind: 'leg.hangup', leg: ix.customerLeg, cause: 'no-answer' }));
  });
});

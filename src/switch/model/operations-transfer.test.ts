import { describe, expect, it } from 'vitest';
import { CallModelError } from './errors.ts';
import { acceptInbound, answer, enqueue, hold, offer } from './operations-call.ts';
import { blindTransfer } from './operations-transfer.ts';
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

describe('blind transfer (CTI-4, CTI-5)', () => {
  it('to a queue: the agent is released, the customer hears queue music, the ACD gets the call data', () => {
    const ix = talkingCall(testContext(), { account: '600123' });
    hold(ix, '8001');
    const t = blindTransfer(ix, '8001', { kind: 'queue', queueId: 'bonds' });
    expect(ix.state).toBe('queued');
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'agent.released', agentId: '8001', cause: 'transferred' }));
    expect(t.commands).toContainEqual({ kind: 'media.play', leg: ix.customerLeg, source: 'queue-music' });
    expect(t.commands).toContainEqual({ kind: 'acd.enqueue', interaction: ix.id, queueId: 'bonds', callData: { account: '600123' } });
    expect(ix.leg(ix.customerLeg).state).toBe('connected');
    offer(ix, '8005');
    answer(ix, legOf(ix, 'agent', '8005'));
    expect(hears(ix, 'agent:8005', 'customer:13800000000')).toBe(true);
    expect(ix.callData()).toEqual({ account: '600123' });
  });

  it('to an agent and to an external number: ringback, then talking with the new party', () => {
    const ix = talkingCall(testContext(), { ticket: 'T-7' });
    const t = blindTransfer(ix, '8001', { kind: 'agent', agentId: '8002' });
    expect(ix.state).toBe('ringing');
    expect(t.commands).toContainEqual(expect.objectContaining({ kind: 'leg.dial', party: { kind: 'agent', id: '8002' }, callData: { ticket: 'T-7' } }));
    expect(t.commands).toContainEqual({ kind: 'media.play', leg: ix.customerLeg, source: 'ringback' });
    answer(ix, legOf(ix, 'agent', '8002'));
    blindTransfer(ix, '8002', { kind: 'external', number: '02155550100' });
    answer(ix, legOf(ix, 'external', '02155550100'));
    expect(ix.state).toBe('talking');
    expect(hears(ix, 'external:02155550100', 'customer:13800000000')).toBe(true);
  });

  it('to the IVR, resuming where it left or at a new script, with the call data', () => {
    const { interaction: ix } = acceptInbound(testContext(), CUSTOMER, { kind: 'ivr', script: 'main.vxml' });
    ix.setData('authenticated', false);
    enqueue(ix, 'q1', 'after-menu-3');
    offer(ix, '8001');
    answer(ix, legOf(ix, 'agent', '8001'));
    const r = blindTransfer(ix, '8001', { kind: 'ivr', mode: 'resume' });
    expect(ix.state).toBe('ivr');
    expect(r.commands).toContainEqual(
      expect.objectContaining({ kind: 'ivr.start', mode: 'resume', script: 'main.vxml', resumeAt: 'after-menu-3', callData: { authenticated: false } }),
    );
    expect(hears(ix, 'customer:13800000000', 'ivr:main.vxml')).toBe(true);
    enqueue(ix, 'q1');
    offer(ix, '8001');
    answer(ix, legOf(ix, 'agent', '8001'));
    const n = blindTransfer(ix, '8001', { kind: 'ivr', mode: 'new', script: 'password-reset.vxml' });
    expect(n.commands).toContainEqual(expect.objectContaining({ kind: 'ivr.start', mode: 'new', script: 'password-reset.vxml' }));
  });

  it('forbidden: nothing to resume, to oneself, before answer, by another agent', () => {
    const ix = talkingCall(testContext());
    expect(codeOf(() => blindTransfer(ix, '8001', { kind: 'ivr', mode: 'resume' }))).toBe('INVALID_STATE');
    expect(codeOf(() => blindTransfer(ix, '8001', { kind: 'agent', agentId: '8001' }))).toBe('INVALID_STATE');
    expect(codeOf(() => blindTransfer(ix, '8007', { kind: 'queue', queueId: 'q' }))).toBe('AGENT_NOT_ON_CALL');
    const q = acceptInbound(testContext(), CUSTOMER, { kind: 'queue', queueId: 'q1' }).interaction;
    offer(q, '8001');
    expect(codeOf(() => blindTransfer(q, '8001', { kind: 'queue', queueId: 'q2' }))).toBe('INVALID_STATE');
  });
});

/**
 * Helpers for the call-model tests: a context on a FakeClock with readable
 * sequential ids, and "who hears whom" read off an interaction's bridges.
 */
import { FakeClock } from '../../shared/clock.ts';
import type { Interaction, InteractionState, SwitchContext } from './interaction.ts';
import { acceptInbound, answer, hold, offer } from './operations-call.ts';
import { completeConference, consult } from './operations-consult.ts';
import { hangup } from './operations-hangup.ts';

export function testContext(maxConference = 4): SwitchContext & { clock: FakeClock } {
  const counters: Record<string, number> = {};
  return {
    clock: new FakeClock(),
    maxConference,
    newId(prefix) {
      counters[prefix] = (counters[prefix] ?? 0) + 1;
      return `${prefix}-${counters[prefix]}`;
    },
  };
}

/** The live leg of a party (kind:id), for readable assertions. */
export function legOf(ix: Interaction, kind: string, id: string): string {
  for (const l of ix.legs.values()) if (l.live && l.party.kind === kind && l.party.id === id) return l.id;
  throw new Error(`no live ${kind} ${id} in ${ix.id}`);
}

/** Does party a hear party b (both `kind:id`), in whatever open bridge they share? */
export function hears(ix: Interaction, a: string, b: string): boolean {
  const [ka = '', ia = ''] = a.split(':');
  const [kb = '', ib = ''] = b.split(':');
  const la = legOf(ix, ka, ia);
  const lb = legOf(ix, kb, ib);
  const br = ix.bridgeOf(la);
  return br !== undefined && br.has(lb) && br.hears(la, lb);
}

/** A customer who came in through queue q1 and talks with agent 8001. */
export function talkingCall(ctx: SwitchContext, data: Record<string, string> = {}): Interaction {
  const { interaction: ix } = acceptInbound(ctx, { kind: 'customer', id: '13800000000' }, { kind: 'queue', queueId: 'q1' });
  for (const [k, v] of Object.entries(data)) ix.setData(k, v);
  offer(ix, '8001');
  answer(ix, legOf(ix, 'agent', '8001'));
  return ix;
}

const CUSTOMER = { kind: 'customer', id: '13800000000' } as const;

/** An interaction brought to the given state through the real operations (agent 8001 handles it). */
export const reach: Record<InteractionState, () => Interaction> = {
  ivr: () => acceptInbound(testContext(), CUSTOMER, { kind: 'ivr', script: 'main.vxml' }).interaction,
  queued: () => acceptInbound(testContext(), CUSTOMER, { kind: 'queue', queueId: 'q1' }).interaction,
  ringing: () => {
    const ix = reach.queued();
    offer(ix, '8001');
    return ix;
  },
  talking: () => talkingCall(testContext()),
  'on-hold': () => {
    const ix = talkingCall(testContext());
    hold(ix, '8001');
    return ix;
  },
  consulting: () => {
    const ix = talkingCall(testContext());
    consult(ix, '8001', { kind: 'agent', agentId: '8002' });
    return ix;
  },
  conferencing: () => {
    const ix = reach.consulting();
    answer(ix, legOf(ix, 'agent', '8002'));
    completeConference(ix, '8001');
    return ix;
  },
  ended: () => {
    const ix = talkingCall(testContext());
    hangup(ix, ix.customerLeg);
    return ix;
  },
};

import { describe, expect, it } from 'vitest';
import type { Interaction, Leg, LegState, PartyKind } from '../api/types.ts';
import { deskCallOf } from './desk-call.ts';
import type { DeskCallState } from './desk-state.ts';

let n = 0;
const leg = (kind: PartyKind, id: string, state: LegState, direction: Leg['direction'] = 'outbound'): Leg => ({ id: `l${++n}`, party: { kind, id }, direction, state, createdAt: n });
const ix = (state: Interaction['state'], legs: Leg[]): Interaction => ({ id: `ix${++n}`, state, customer: { number: '13900000000' }, callData: {}, legs, startedAt: '2026-01-01T00:00:00Z' });
const customer = (s: LegState = 'connected') => leg('customer', 'c', s, 'inbound');
const me = (s: LegState = 'connected') => leg('agent', 'alice', s);

describe('the agent’s call state from live interactions (CTI-1..CTI-4)', () => {
  it.each<[string, Interaction[], DeskCallState]>([
    ['no interactions', [], 'idle'],
    ['someone else’s call', [ix('talking', [customer(), leg('agent', 'bob', 'connected')])], 'idle'],
    ['my leg ended, call goes on', [ix('talking', [customer(), me('terminated'), leg('agent', 'bob', 'connected')])], 'idle'],
    ['an ended interaction', [ix('ended', [customer('terminated'), me('connected')])], 'idle'],
    ['offered: my phone rings', [ix('ringing', [customer(), me('ringing')])], 'ringing'],
    ['make call: my own phone rings first', [ix('talking', [me('ringing')])], 'dialing'],
    ['make call: the number rings out', [ix('talking', [me(), leg('external', '95000', 'early')])], 'dialing'],
    ['talking', [ix('talking', [customer(), me()])], 'talking'],
    ['on hold', [ix('on-hold', [customer('held'), me()])], 'on-hold'],
    ['consult: the other agent rings', [ix('consulting', [customer('held'), me(), leg('agent', 'bob', 'ringing')])], 'consult-dialing'],
    ['consult: the other agent answered', [ix('consulting', [customer('held'), me(), leg('agent', 'bob', 'connected')])], 'consulting'],
    ['conference', [ix('conferencing', [customer(), me(), leg('agent', 'bob', 'connected')])], 'conferencing'],
  ])('%s → %s', (_, list, state) => {
    const call = deskCallOf(list, 'alice');
    expect(call.state).toBe(state);
    if (state !== 'idle') expect(call.interaction).toBe(list[0]);
  });
});

/**
 * The agent's view of their current call, from the live interactions
 * (GET /api/v1/calls) and their own leg in them. Pure.
 *
 * - ringing: the interaction is offered to this agent (their phone rings);
 * - dialing: their own phone is being called (make call), or it is up and
 *   the other party is not yet (an outbound call ringing out);
 * - consult-dialing / consulting: during a consultation, before / after the
 *   consulted party answers.
 */
import type { Interaction, Leg } from '../api/types.ts';
import type { DeskCallState } from './desk-state.ts';

export interface DeskCall {
  state: DeskCallState;
  interaction?: Interaction;
}

const UP: ReadonlySet<Leg['state']> = new Set(['connected', 'held']);
const COMING: ReadonlySet<Leg['state']> = new Set(['idle', 'dialing', 'ringing', 'early']);

const isMine = (l: Leg, agentId: string) => l.party.kind === 'agent' && l.party.id === agentId && l.state !== 'terminated';

export function deskCallOf(interactions: readonly Interaction[], agentId: string): DeskCall {
  const ix = interactions.find((i) => i.state !== 'ended' && i.legs.some((l) => isMine(l, agentId)));
  if (!ix) return { state: 'idle' };
  const mine = ix.legs.find((l) => isMine(l, agentId))!;
  const others = ix.legs.filter((l) => l !== mine && l.state !== 'terminated');
  if (ix.state === 'ringing' && !UP.has(mine.state)) return { state: 'ringing', interaction: ix };
  if (!UP.has(mine.state)) return { state: 'dialing', interaction: ix };
  switch (ix.state) {
    case 'talking':
      return { state: others.length > 0 && others.every((l) => COMING.has(l.state)) ? 'dialing' : 'talking', interaction: ix };
    case 'on-hold':
      return { state: 'on-hold', interaction: ix };
    case 'consulting':
      return { state: others.some((l) => l.party.kind !== 'customer' && COMING.has(l.state)) ? 'consult-dialing' : 'consulting', interaction: ix };
    case 'conferencing':
      return { state: 'conferencing', interaction: ix };
    default:
      return { state: 'talking', interaction: ix };
  }
}

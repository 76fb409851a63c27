/**
 * Supervisor call control (SUP-2): silent monitor (listen), whisper (heard by
 * the agent only), barge-in (full: a three-way), intercept (the agent is
 * dropped, the supervisor keeps the customer) and force release.
 *
 * The supervisor's phone is called (auto-answer); it joins the agent's bridge
 * in the requested mode when it answers (see `answer` in operations-call.ts).
 * A supervisor already on the call changes mode in place.
 */
import type { Outcome, SupervisionMode } from './effects.ts';
import { CallModelError } from './errors.ts';
import type { Interaction } from './interaction.ts';
import type { Leg } from './leg.ts';

/** The interaction an agent is talking on, or AGENT_NOT_ON_CALL (idle, ringing, or unknown agent). */
export function interactionOfAgent(interactions: Iterable<Interaction>, agentId: string): Interaction {
  for (const ix of interactions) {
    if (ix.state === 'ended') continue;
    const leg = ix.agentLegOf(agentId);
    if (leg !== undefined && leg.talking) return ix;
  }
  throw new CallModelError('AGENT_NOT_ON_CALL', `agent ${agentId}`, 'not talking on any call');
}

function talkingAgent(ix: Interaction, agentId: string): Leg {
  const leg = ix.agentLegOf(agentId);
  if (leg === undefined || !leg.talking || ix.bridgeOf(leg.id) === undefined) {
    throw new CallModelError('AGENT_NOT_ON_CALL', `interaction ${ix.id}`, `agent ${agentId} is not talking on this call`);
  }
  return leg;
}

function supervise(ix: Interaction, supervisorId: string, agentId: string, mode: SupervisionMode): Outcome {
  const current = ix.m.supervisors[supervisorId];
  const joinsNow = mode === 'barge' && current !== undefined && ix.leg(current.leg).talking;
  const action = joinsNow ? 'barge' : 'supervise';
  ix.check(action);
  const agent = talkingAgent(ix, agentId);
  if (current !== undefined && current.mode === mode && current.agentLeg === agent.id) {
    throw new CallModelError('ALREADY_SUPERVISED', `interaction ${ix.id}`, `supervisor ${supervisorId} is already in ${mode}`);
  }
  return ix.run(action, () => {
    if (current === undefined) {
      const leg = ix.addLeg({ kind: 'supervisor', id: supervisorId }, 'outbound');
      ix.step(leg, 'dial');
      ix.cmd({ kind: 'leg.dial', leg: leg.id, party: leg.party, callData: { ...ix.callData() } });
      ix.m.supervisors[supervisorId] = { leg: leg.id, agentLeg: agent.id, mode };
      return; // joins the agent's bridge on answer
    }
    const sup = ix.leg(current.leg);
    current.mode = mode;
    current.agentLeg = agent.id;
    if (sup.talking) {
      const here = ix.bridgeOf(sup.id);
      const there = ix.bridgeOf(agent.id)!;
      if (here !== undefined && here !== there) ix.leave(here, sup);
      const role = mode === 'barge' ? 'full' : mode === 'whisper' ? 'whisper' : 'listen';
      const target = mode === 'whisper' ? agent.id : undefined;
      if (there.has(sup.id)) ix.setRole(there, sup, role, target);
      else ix.join(there, sup, role, target);
      ix.emit({ type: 'supervision.changed', supervisorId, agentId, mode });
    }
  });
}

export const monitor = (ix: Interaction, supervisorId: string, agentId: string): Outcome =>
  supervise(ix, supervisorId, agentId, 'listen');
export const whisper = (ix: Interaction, supervisorId: string, agentId: string): Outcome =>
  supervise(ix, supervisorId, agentId, 'whisper');
export const barge = (ix: Interaction, supervisorId: string, agentId: string): Outcome =>
  supervise(ix, supervisorId, agentId, 'barge');

/** The agent is dropped; the supervisor, already on the call, talks with the customer. */
export function intercept(ix: Interaction, supervisorId: string, agentId: string): Outcome {
  ix.check('intercept');
  talkingAgent(ix, agentId);
  const s = ix.m.supervisors[supervisorId];
  const sup = s === undefined ? undefined : ix.leg(s.leg);
  if (s === undefined || sup === undefined || !sup.talking) {
    throw new CallModelError('NOT_SUPERVISING', `interaction ${ix.id}`, `supervisor ${supervisorId} is not connected to this call`);
  }
  return ix.run('intercept', () => {
    delete ix.m.supervisors[supervisorId];
    for (const l of ix.legs.values()) {
      if (l.live && l.id !== ix.customerLeg && l.id !== sup.id) ix.drop(l, 'system', 'intercepted');
    }
    const main = ix.bridge(ix.m.mainBridge!);
    const cust = ix.leg(ix.customerLeg);
    const here = ix.bridgeOf(sup.id);
    if (here !== main) {
      if (here !== undefined) ix.leave(here, sup);
      ix.join(main, sup, 'full');
    } else ix.setRole(main, sup, 'full');
    if (cust.state === 'held') ix.step(cust, 'retrieve');
    ix.setRole(main, cust, 'full');
    ix.m.agentLeg = sup.id;
    ix.emit({ type: 'supervision.changed', supervisorId, agentId, mode: 'ended' });
  });
}

/** Hangs up the agent's call: every leg of the interaction ends (cause force-release). */
export function forceRelease(ix: Interaction, agentId: string): Outcome {
  ix.check('end');
  const agent = talkingAgent(ix, agentId);
  return ix.run('end', () => ix.endAll(agent, 'system', 'force-release'));
}

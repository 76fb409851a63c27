/**
 * Hang-up of any leg (CTI-1): who hung up decides what happens to the rest.
 * Agents are released with an `agent.released` event; whether they go to
 * wrap-up or ready is the ACD's business.
 *
 *   customer                 → the interaction ends, every other leg gets BYE
 *   ringing agent / external → no-answer (back to the queue, or the end)
 *   consulted party          → the consult ends; the customer stays on hold
 *   supervisor               → leaves; the call goes on
 *   conference member        → leaves; one party left with the customer = talking
 *   handling agent           → the interaction ends (in a conference, the
 *                              next party takes over and the call goes on);
 *                              or, with `afterAgent` (IVR-8), the customer
 *                              goes on to an IVR script: the satisfaction survey
 */
import type { Outcome } from './effects.ts';
import { CallModelError } from './errors.ts';
import type { Interaction } from './interaction.ts';
import type { HangupSide, Leg } from './leg.ts';
import { closeMain, noAnswer, startIvr } from './operations-call.ts';
import { endConsult } from './operations-consult.ts';

/** Where the customer goes when the handling agent of a two-party call hangs up first (IVR-8). */
export interface AfterAgent {
  readonly script: string;
}

export function hangup(ix: Interaction, legId: string, by: HangupSide = 'party', cause = 'normal', afterAgent?: AfterAgent): Outcome {
  ix.check('end');
  const leg = ix.leg(legId);
  if (!leg.live) throw new CallModelError('LEG_TERMINATED', `leg ${legId}`, 'already hung up');
  if (legId === ix.customerLeg) return ix.run('end', () => ix.endAll(leg, by, cause));

  if (leg.party.kind === 'supervisor') return ix.run('supervise', () => ix.drop(leg, by, cause));
  if (ix.state === 'ringing' && ix.m.agentLeg === legId) return noAnswer(ix, legId, by === 'party' ? 'rejected' : cause);

  const c = ix.m.consult;
  if (c !== undefined && c.leg === legId) {
    return ix.run('consulted-left', () => {
      const back = c.from === 'conferencing' ? 'conferencing' : 'on-hold';
      ix.drop(leg, by, cause);
      const agent = ix.leg(ix.m.agentLeg!);
      const cb = ix.bridge(c.bridge);
      if (cb.has(agent.id)) ix.leave(cb, agent);
      const main = ix.bridge(ix.m.mainBridge!);
      if (!main.has(agent.id)) {
        ix.cmd({ kind: 'media.stop', leg: agent.id });
        ix.join(main, agent, 'full');
      }
      endConsult(ix);
      return back;
    });
  }

  if (ix.state === 'conferencing') return leaveConference(ix, leg, by, cause);
  if (ix.state === 'consulting' && ix.m.agentLeg !== legId) return leaveDuringConsult(ix, leg, by, cause);
  if (afterAgent !== undefined && ix.m.agentLeg === legId && (ix.state === 'talking' || ix.state === 'on-hold')) return toSurvey(ix, leg, by, cause, afterAgent);
  return ix.run('end', () => ix.endAll(leg, by, cause));
}

/** A non-customer party leaves a conference; the call goes on while someone talks to the customer. */
function leaveConference(ix: Interaction, leg: Leg, by: HangupSide, cause: string): Outcome {
  return ix.run('party-left', () => {
    ix.drop(leg, by, cause);
    const main = ix.bridge(ix.m.mainBridge!);
    const talkers = main
      .members()
      .filter((m) => m.leg !== ix.customerLeg && m.role === 'full')
      .map((m) => ix.leg(m.leg));
    const next = talkers[0];
    if (next === undefined) {
      ix.endAll(ix.leg(ix.customerLeg), 'system', 'last-party-left');
      return 'conferencing';
    }
    if (ix.m.agentLeg === leg.id) ix.m.agentLeg = (talkers.find((l) => l.party.kind === 'agent') ?? next).id;
    return talkers.length === 1 ? 'talking' : 'conferencing';
  });
}

/** A conference member leaves while the controller consults someone else. */
function leaveDuringConsult(ix: Interaction, leg: Leg, by: HangupSide, cause: string): Outcome {
  return ix.run('party-left', () => {
    ix.drop(leg, by, cause);
    const main = ix.bridge(ix.m.mainBridge!);
    const cust = ix.leg(ix.customerLeg);
    const others = main.members().filter((m) => m.leg !== cust.id && m.role === 'full');
    if (others.length === 0 && cust.state !== 'held') {
      // The customer is alone now: music until the controller comes back.
      ix.step(cust, 'hold');
      ix.setRole(main, cust, 'hold');
      ix.m.consult!.from = 'on-hold';
    }
  });
}

/**
 * IVR-8: the handling agent hung up first; the customer stays and hears the
 * survey (a new IVR script on the same interaction, so its answer is tied to
 * this call and this agent).
 */
function toSurvey(ix: Interaction, leg: Leg, by: HangupSide, cause: string, after: AfterAgent): Outcome {
  return ix.run('survey', () => {
    ix.drop(leg, by, cause); // supervisors following this agent leave with it
    delete ix.m.agentLeg;
    const cust = ix.leg(ix.customerLeg);
    if (cust.state === 'held') ix.step(cust, 'retrieve');
    closeMain(ix);
    startIvr(ix, cust, 'new', after.script);
  });
}

/**
 * Consultation (CTI-3): the agent puts the customer on hold and calls another
 * agent or an external number in a second bridge; then alternates between the
 * two, reconnects (drops the consulted party and retrieves the customer), or
 * completes as a transfer or as a conference (N-way up to the maximum, TEL-4).
 */
import type { Outcome } from './effects.ts';
import { CallModelError } from './errors.ts';
import type { Interaction } from './interaction.ts';
import { handlingLeg } from './operations-call.ts';
import type { Leg, Party } from './leg.ts';

export type ConsultTarget = { kind: 'agent'; agentId: string } | { kind: 'external'; number: string };

export function consult(ix: Interaction, agentId: string, target: ConsultTarget): Outcome {
  ix.check('consult');
  const agent = handlingLeg(ix, agentId);
  if (target.kind === 'agent' && ix.agentLegOf(target.agentId) !== undefined) {
    throw new CallModelError('INVALID_STATE', `interaction ${ix.id}`, `agent ${target.agentId} is already on this call`);
  }
  return ix.run('consult', () => {
    const cust = ix.leg(ix.customerLeg);
    const main = ix.bridge(ix.m.mainBridge!);
    const from = ix.state;
    if (from === 'talking') {
      ix.step(cust, 'hold');
      ix.setRole(main, cust, 'hold');
    }
    ix.leave(main, agent);
    const cb = ix.openBridge();
    ix.join(cb, agent, 'full');
    const party: Party = target.kind === 'agent' ? { kind: 'agent', id: target.agentId } : { kind: 'external', id: target.number };
    const leg = ix.addLeg(party, 'outbound');
    ix.step(leg, 'dial');
    ix.cmd({ kind: 'leg.dial', leg: leg.id, party, callData: { ...ix.callData() } });
    ix.emit({ type: 'interaction.offered', leg: leg.id, party, callData: { ...ix.callData() } });
    ix.cmd({ kind: 'media.play', leg: agent.id, source: 'ringback' });
    ix.m.consult = { bridge: cb.id, leg: leg.id, talkingTo: 'consulted', from };
  });
}

function answeredConsult(ix: Interaction, agentId: string): { agent: Leg; consulted: Leg } {
  const agent = handlingLeg(ix, agentId);
  const c = ix.m.consult;
  if (c === undefined) throw new CallModelError('NO_CONSULT', `interaction ${ix.id}`, 'no consultation in progress');
  const consulted = ix.leg(c.leg);
  if (!consulted.talking) throw new CallModelError('CONSULT_NOT_ANSWERED', `interaction ${ix.id}`, `leg ${c.leg} is ${consulted.state}`);
  return { agent, consulted };
}

/** Switches the agent between the consulted party and the customer; the other one hears music. */
export function alternate(ix: Interaction, agentId: string): Outcome {
  ix.check('alternate');
  const { agent, consulted } = answeredConsult(ix, agentId);
  return ix.run('alternate', () => {
    const c = ix.m.consult!;
    const cust = ix.leg(ix.customerLeg);
    const main = ix.bridge(ix.m.mainBridge!);
    const cb = ix.bridge(c.bridge);
    if (c.talkingTo === 'consulted') {
      ix.leave(cb, agent);
      ix.step(consulted, 'hold');
      ix.setRole(cb, consulted, 'hold');
      ix.join(main, agent, 'full');
      ix.step(cust, 'retrieve');
      ix.setRole(main, cust, 'full');
      c.talkingTo = 'customer';
    } else {
      ix.leave(main, agent);
      ix.step(cust, 'hold');
      ix.setRole(main, cust, 'hold');
      ix.join(cb, agent, 'full');
      ix.step(consulted, 'retrieve');
      ix.setRole(cb, consulted, 'full');
      c.talkingTo = 'consulted';
    }
  });
}

/** Puts the agent back with the customer, in the main bridge, with the customer active. */
export function backToCustomer(ix: Interaction, agent: Leg): void {
  const main = ix.bridge(ix.m.mainBridge!);
  const cust = ix.leg(ix.customerLeg);
  if (!main.has(agent.id)) {
    const cb = ix.bridgeOf(agent.id);
    if (cb !== undefined) ix.leave(cb, agent);
    ix.cmd({ kind: 'media.stop', leg: agent.id });
    ix.join(main, agent, 'full');
  }
  if (cust.state === 'held') ix.step(cust, 'retrieve');
  if (main.member(cust.id)?.role !== 'full') ix.setRole(main, cust, 'full');
}

/** Where the call goes back to when the consultation ends without a conference. */
export function afterConsult(ix: Interaction): 'talking' | 'conferencing' {
  return ix.m.consult?.from === 'conferencing' ? 'conferencing' : 'talking';
}

export function endConsult(ix: Interaction): void {
  const c = ix.m.consult!;
  const cb = ix.bridge(c.bridge);
  if (cb.state === 'open') ix.closeBridge(cb);
  delete ix.m.consult;
}

/** Drops the consulted party (answered or still ringing) and retrieves the customer. */
export function reconnect(ix: Interaction, agentId: string): Outcome {
  ix.check('reconnect');
  const agent = handlingLeg(ix, agentId);
  return ix.run('reconnect', () => {
    const consulted = ix.leg(ix.m.consult!.leg);
    if (consulted.live) ix.drop(consulted, 'system', 'reconnected');
    const back = afterConsult(ix);
    backToCustomer(ix, agent);
    endConsult(ix);
    return back;
  });
}

/** Attended transfer: the agent leaves, the consulted party talks with the customer. */
export function completeTransfer(ix: Interaction, agentId: string): Outcome {
  ix.check('transfer');
  const { agent, consulted } = answeredConsult(ix, agentId);
  return ix.run('transfer', () => {
    const back = afterConsult(ix);
    ix.drop(agent, 'system', 'transferred');
    const cb = ix.bridgeOf(consulted.id);
    if (cb !== undefined) ix.leave(cb, consulted);
    endConsult(ix);
    if (consulted.state === 'held') ix.step(consulted, 'retrieve');
    const main = ix.bridge(ix.m.mainBridge!);
    ix.join(main, consulted, 'full');
    const cust = ix.leg(ix.customerLeg);
    if (cust.state === 'held') ix.step(cust, 'retrieve');
    ix.setRole(main, cust, 'full');
    ix.m.agentLeg = consulted.id;
    return back;
  });
}

/** Conference: agent, customer and consulted party all full in the main bridge. */
export function completeConference(ix: Interaction, agentId: string): Outcome {
  ix.check('conference');
  const { agent, consulted } = answeredConsult(ix, agentId);
  return ix.run('conference', () => {
    const cb = ix.bridgeOf(consulted.id);
    if (cb !== undefined) ix.leave(cb, consulted);
    backToCustomer(ix, agent);
    endConsult(ix);
    if (consulted.state === 'held') ix.step(consulted, 'retrieve');
    ix.join(ix.bridge(ix.m.mainBridge!), consulted, 'full');
  });
}

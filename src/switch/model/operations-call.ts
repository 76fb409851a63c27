/**
 * Basic call control (CTI-1, CTI-2): a customer arrives, goes through the IVR
 * or a queue, is offered to an agent, answered, held, retrieved, hung up.
 * Every function checks the state through Interaction.run and returns the
 * commands for the adapters and the domain events, or throws CallModelError.
 */
import type { CallData, Outcome } from './effects.ts';
import { CallModelError } from './errors.ts';
import { Interaction, type SwitchContext } from './interaction.ts';
import type { Leg, Party } from './leg.ts';

/** A new inbound customer call, answered by the switch into the IVR or a queue. */
export function acceptInbound(
  ctx: SwitchContext,
  customer: Party,
  entry: { kind: 'ivr'; script: string } | { kind: 'queue'; queueId: string },
): { interaction: Interaction; outcome: Outcome } {
  if (customer.kind !== 'customer') throw new RangeError('acceptInbound: the party must be a customer');
  const ix = new Interaction(ctx.newId('ix'), ctx, ctx.newId('leg'), customer, entry.kind === 'ivr' ? 'ivr' : 'queued');
  const outcome = ix.effects(() => {
    const cust = ix.leg(ix.customerLeg);
    ix.step(cust, 'ring');
    ix.step(cust, 'answer');
    ix.cmd({ kind: 'leg.answer', leg: cust.id });
    if (entry.kind === 'ivr') {
      startIvr(ix, cust, 'new', entry.script);
    } else {
      ix.m.queueId = entry.queueId;
      ix.cmd({ kind: 'media.play', leg: cust.id, source: 'queue-music' });
      ix.cmd({ kind: 'acd.enqueue', interaction: ix.id, queueId: entry.queueId, callData: { ...ix.callData() } });
    }
  });
  return { interaction: ix, outcome };
}

/**
 * A service-number call the entry point refuses before answering (ACD-7: a
 * blacklisted caller with mode refuse): the interaction exists, so the call
 * has its record, but the customer's leg is never answered; the gateway
 * rejects the INVITE (603 for `blacklist-refused`).
 */
export function refuseInbound(ctx: SwitchContext, customer: Party, queueId: string | undefined, cause: string): { interaction: Interaction; outcome: Outcome } {
  if (customer.kind !== 'customer') throw new RangeError('refuseInbound: the party must be a customer');
  const ix = new Interaction(ctx.newId('ix'), ctx, ctx.newId('leg'), customer, queueId === undefined ? 'ivr' : 'queued');
  const rang = ix.effects(() => {
    if (queueId !== undefined) ix.m.queueId = queueId;
    ix.step(ix.leg(ix.customerLeg), 'ring');
  });
  const ended = ix.run('end', () => ix.endAll(ix.leg(ix.customerLeg), 'system', cause));
  return { interaction: ix, outcome: { commands: [...rang.commands, ...ended.commands], events: [...rang.events, ...ended.events] } };
}

/**
 * Make call (CTI-1): the agent's phone has sent its INVITE (or was called
 * with auto-answer for click-to-dial); the switch dials the customer and
 * answers the agent's leg when the customer answers.
 */
export function makeCall(
  ctx: SwitchContext,
  agentId: string,
  number: string,
  callData: CallData = {},
): { interaction: Interaction; outcome: Outcome } {
  const ix = new Interaction(ctx.newId('ix'), ctx, ctx.newId('leg'), { kind: 'customer', id: number }, 'ringing', 'outbound');
  for (const [k, v] of Object.entries(callData)) ix.setData(k, v);
  const outcome = ix.effects(() => {
    const agent = ix.addLeg({ kind: 'agent', id: agentId }, 'inbound');
    ix.step(agent, 'ring');
    ix.m.agentLeg = agent.id;
    const cust = ix.leg(ix.customerLeg);
    ix.step(cust, 'dial');
    ix.cmd({ kind: 'leg.dial', leg: cust.id, party: cust.party, callData: { ...ix.callData() } });
  });
  return { interaction: ix, outcome };
}

/** Joins a fresh IVR leg with the customer in a new main bridge (used by entry and by transfer to IVR). */
export function startIvr(ix: Interaction, cust: Leg, mode: 'new' | 'resume', script: string, resumeAt?: string): void {
  const ivr = ix.addLeg({ kind: 'ivr', id: script }, 'outbound');
  ix.step(ivr, 'answer');
  const b = ix.openBridge();
  ix.m.mainBridge = b.id;
  ix.join(b, cust, 'full');
  ix.join(b, ivr, 'full');
  ix.m.ivr = resumeAt === undefined ? { script } : { script, resumeAt };
  const cmd = { kind: 'ivr.start' as const, interaction: ix.id, leg: ivr.id, mode, script, callData: { ...ix.callData() } };
  ix.cmd(resumeAt === undefined ? cmd : { ...cmd, resumeAt });
}

/** The IVR hands the customer to a queue (its inputs are already in the call data). */
export function enqueue(ix: Interaction, queueId: string, resumeAt?: string): Outcome {
  return ix.run('enqueue', () => {
    for (const l of ix.legs.values()) if (l.live && l.party.kind === 'ivr') ix.drop(l, 'system', 'enqueued');
    closeMain(ix);
    if (ix.m.ivr !== undefined && resumeAt !== undefined) ix.m.ivr.resumeAt = resumeAt;
    ix.m.queueId = queueId;
    const cust = ix.leg(ix.customerLeg);
    ix.cmd({ kind: 'media.play', leg: cust.id, source: 'queue-music' });
    ix.cmd({ kind: 'acd.enqueue', interaction: ix.id, queueId, callData: { ...ix.callData() } });
  });
}

/** The ACD offers the call to an agent: an agent leg rings with the call data (screen pop, CTI-5). */
export function offer(ix: Interaction, agentId: string): Outcome {
  return ix.run('offer', () => {
    for (const l of ix.legs.values()) if (l.live && l.party.kind === 'ivr') ix.drop(l, 'system', 'offered');
    closeMain(ix);
    ring(ix, { kind: 'agent', id: agentId });
  });
}

/** Creates and dials a leg that rings for the whole contact (agent or external party). */
export function ring(ix: Interaction, party: Party): Leg {
  const leg = ix.addLeg(party, 'outbound');
  ix.step(leg, 'dial');
  ix.cmd({ kind: 'leg.dial', leg: leg.id, party, callData: { ...ix.callData() } });
  ix.emit({ type: 'interaction.offered', leg: leg.id, party, callData: { ...ix.callData() } });
  ix.m.agentLeg = leg.id;
  return leg;
}

/** Progress from the far end of an outbound leg (180 / 183). */
export function legProgress(ix: Interaction, legId: string, early: boolean): Outcome {
  const leg = ix.leg(legId);
  return ix.effects(() => ix.step(leg, early ? 'progress' : 'ring'));
}

/**
 * A leg answered. The ringing agent or external party of the contact: the
 * interaction starts talking. A consulted party: the consult is up. A
 * supervisor: joins the agent's bridge in the requested mode.
 */
export function answer(ix: Interaction, legId: string): Outcome {
  const leg = ix.leg(legId);
  const sup = Object.entries(ix.m.supervisors).find(([, s]) => s.leg === legId);
  if (sup !== undefined) {
    return ix.run(sup[1].mode === 'barge' ? 'barge' : 'supervise', () => {
      ix.step(leg, 'answer');
      const [supervisorId, s] = sup;
      const b = ix.bridgeOf(s.agentLeg);
      if (b === undefined) throw new CallModelError('AGENT_NOT_ON_CALL', `interaction ${ix.id}`, 'agent left before the supervisor answered');
      if (s.mode === 'whisper') ix.join(b, leg, 'whisper', s.agentLeg);
      else ix.join(b, leg, s.mode === 'barge' ? 'full' : 'listen');
      const agent = ix.leg(s.agentLeg);
      ix.emit({ type: 'supervision.changed', supervisorId, agentId: agent.party.id, mode: s.mode });
    });
  }
  if (ix.m.consult?.leg === legId) {
    return ix.run('consult-answered', () => {
      ix.step(leg, 'answer');
      const c = ix.m.consult!;
      const agent = ix.leg(ix.m.agentLeg!);
      ix.cmd({ kind: 'media.stop', leg: agent.id });
      ix.join(ix.bridge(c.bridge), leg, 'full');
      if (leg.party.kind === 'agent') ix.emit({ type: 'agent.connected', agentId: leg.party.id, leg: leg.id });
    });
  }
  if (legId === ix.customerLeg && leg.direction === 'outbound' && ix.state === 'ringing') {
    return ix.run('answer', () => {
      ix.step(leg, 'answer');
      const agent = ix.leg(ix.m.agentLeg!);
      ix.step(agent, 'answer');
      ix.cmd({ kind: 'leg.answer', leg: agent.id });
      const b = ix.openBridge();
      ix.m.mainBridge = b.id;
      ix.join(b, leg, 'full');
      ix.join(b, agent, 'full');
      ix.emit({ type: 'agent.connected', agentId: agent.party.id, leg: agent.id });
    });
  }
  if (ix.m.agentLeg !== legId) throw new CallModelError('UNKNOWN_LEG', `interaction ${ix.id}`, `leg ${legId} is not ringing for this call`);
  return ix.run('answer', () => {
    ix.step(leg, 'answer');
    const cust = ix.leg(ix.customerLeg);
    ix.cmd({ kind: 'media.stop', leg: cust.id });
    const b = ix.openBridge();
    ix.m.mainBridge = b.id;
    ix.join(b, cust, 'full');
    ix.join(b, leg, 'full');
    if (leg.party.kind === 'agent') ix.emit({ type: 'agent.connected', agentId: leg.party.id, leg: leg.id });
  });
}

/** The ringing party did not answer (RONA) or refused: back to the queue, or the end without one. */
export function noAnswer(ix: Interaction, legId: string, cause = 'no-answer'): Outcome {
  const outboundCustomer = legId === ix.customerLeg && ix.leg(legId).direction === 'outbound';
  if (outboundCustomer && ix.state === 'ringing') return ix.run('end', () => ix.endAll(ix.leg(legId), 'peer', cause));
  if (ix.m.agentLeg !== legId || ix.state !== 'ringing') {
    throw new CallModelError('INVALID_STATE', `interaction ${ix.id}`, `leg ${legId} is not ringing for this call`);
  }
  const leg = ix.leg(legId);
  if (ix.m.queueId === undefined) return ix.run('end', () => ix.endAll(leg, 'peer', cause));
  const queueId = ix.m.queueId;
  return ix.run('no-answer', () => {
    ix.drop(leg, 'system', cause);
    delete ix.m.agentLeg;
    ix.cmd({ kind: 'media.play', leg: ix.customerLeg, source: 'queue-music' });
    ix.cmd({ kind: 'acd.enqueue', interaction: ix.id, queueId, callData: { ...ix.callData() } });
  });
}

/** The handling agent's leg, or the typed reason it cannot act. */
export function handlingLeg(ix: Interaction, agentId: string): Leg {
  const leg = ix.agentLegOf(agentId);
  if (leg === undefined || !leg.talking) {
    throw new CallModelError('AGENT_NOT_ON_CALL', `interaction ${ix.id}`, `agent ${agentId} is not talking on this call`);
  }
  if (ix.m.agentLeg !== leg.id) {
    throw new CallModelError('NOT_THE_HANDLING_AGENT', `interaction ${ix.id}`, `agent ${agentId} is not handling this call`);
  }
  return leg;
}

/** CTI-2: the customer hears music (role hold); the agent keeps hearing the customer. */
export function hold(ix: Interaction, agentId: string): Outcome {
  ix.check('hold');
  handlingLeg(ix, agentId);
  return ix.run('hold', () => {
    const cust = ix.leg(ix.customerLeg);
    ix.step(cust, 'hold');
    ix.setRole(ix.bridge(ix.m.mainBridge!), cust, 'hold');
  });
}

export function retrieve(ix: Interaction, agentId: string): Outcome {
  ix.check('retrieve');
  handlingLeg(ix, agentId);
  return ix.run('retrieve', () => {
    const cust = ix.leg(ix.customerLeg);
    ix.step(cust, 'retrieve');
    ix.setRole(ix.bridge(ix.m.mainBridge!), cust, 'full');
  });
}

export function closeMain(ix: Interaction): void {
  if (ix.m.mainBridge === undefined) return;
  const b = ix.bridge(ix.m.mainBridge);
  if (b.state === 'open') ix.closeBridge(b);
  delete ix.m.mainBridge;
}

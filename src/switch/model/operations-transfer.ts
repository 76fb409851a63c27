/**
 * Blind (single-step) transfer (CTI-4): the agent leaves at once and the
 * customer goes to another agent, an external number, a queue, or the IVR
 * (resuming where it left, or a new script). The call data stays on the
 * Interaction and is handed to whoever takes the call next (CTI-5).
 */
import type { Destination, Outcome } from './effects.ts';
import { CallModelError } from './errors.ts';
import type { Interaction } from './interaction.ts';
import { closeMain, handlingLeg, ring, startIvr } from './operations-call.ts';

export function blindTransfer(ix: Interaction, agentId: string, to: Destination): Outcome {
  const action = to.kind === 'queue' ? 'blind-queue' : to.kind === 'ivr' ? 'blind-ivr' : 'blind-agent';
  ix.check(action);
  const agent = handlingLeg(ix, agentId);
  if (to.kind === 'agent' && to.agentId === agentId) {
    throw new CallModelError('INVALID_STATE', `interaction ${ix.id}`, 'an agent cannot transfer a call to itself');
  }
  if (to.kind === 'ivr' && to.mode === 'resume' && ix.m.ivr === undefined) {
    throw new CallModelError('INVALID_STATE', `interaction ${ix.id}`, 'the call never went through the IVR: nothing to resume');
  }
  return ix.run(action, () => {
    ix.drop(agent, 'system', 'transferred');
    delete ix.m.agentLeg;
    for (const l of ix.legs.values()) if (l.live && l.party.kind === 'supervisor') ix.drop(l, 'system', 'transferred');
    const cust = ix.leg(ix.customerLeg);
    if (cust.state === 'held') ix.step(cust, 'retrieve');
    closeMain(ix);
    switch (to.kind) {
      case 'agent':
      case 'external':
        ring(ix, to.kind === 'agent' ? { kind: 'agent', id: to.agentId } : { kind: 'external', id: to.number });
        ix.cmd({ kind: 'media.play', leg: cust.id, source: 'ringback' });
        return;
      case 'queue':
        ix.m.queueId = to.queueId;
        ix.cmd({ kind: 'media.play', leg: cust.id, source: 'queue-music' });
        ix.cmd({ kind: 'acd.enqueue', interaction: ix.id, queueId: to.queueId, callData: { ...ix.callData() } });
        return;
      case 'ivr':
        if (to.mode === 'resume') startIvr(ix, cust, 'resume', ix.m.ivr!.script, ix.m.ivr!.resumeAt);
        else startIvr(ix, cust, 'new', to.script);
        return;
    }
  });
}

/** Queue treatment sends a waiting caller back to the IVR (overflow, callback menu), data kept (CTI-4). */
export function queueToIvr(ix: Interaction, to: Extract<Destination, { kind: 'ivr' }>): Outcome {
  ix.check('blind-ivr');
  if (ix.state !== 'queued') throw new CallModelError('INVALID_STATE', `interaction ${ix.id}`, 'only a queued call returns to the IVR this way');
  if (to.mode === 'resume' && ix.m.ivr === undefined) {
    throw new CallModelError('INVALID_STATE', `interaction ${ix.id}`, 'the call never went through the IVR: nothing to resume');
  }
  return ix.run('blind-ivr', () => {
    const cust = ix.leg(ix.customerLeg);
    ix.cmd({ kind: 'media.stop', leg: cust.id });
    delete ix.m.queueId;
    if (to.mode === 'resume') startIvr(ix, cust, 'resume', ix.m.ivr!.script, ix.m.ivr!.resumeAt);
    else startIvr(ix, cust, 'new', to.script);
  });
}

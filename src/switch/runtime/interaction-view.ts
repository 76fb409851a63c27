/** The read model of an interaction the API and CLI show (a plain, JSON-safe snapshot). */
import type { CallData, InteractionState, LegSnapshot } from '../model/index.ts';
import type { LiveCall } from './live-call.ts';

export interface InteractionView {
  id: string;
  state: InteractionState;
  customer: { number: string; name?: string };
  entryPoint?: string;
  callData: CallData;
  /** The agent handling the call, if any. */
  agentId?: string;
  queueId?: string;
  legs: LegSnapshot[];
  bridges: { id: string; members: { leg: string; role: string; target?: string }[] }[];
  supervisors: { supervisorId: string; agentLeg: string; mode: string }[];
  recording: boolean;
  startedAt: string;
  endedAt?: string;
}

export function interactionView(call: LiveCall): InteractionView {
  const ix = call.ix;
  const snap = ix.toJSON();
  const agentLeg = ix.m.agentLeg === undefined ? undefined : ix.legs.get(ix.m.agentLeg);
  const v: InteractionView = {
    id: ix.id,
    state: ix.state,
    customer: call.customer,
    callData: { ...ix.callData() },
    legs: snap.legs,
    bridges: snap.bridges.filter((b) => b.state === 'open').map((b) => ({ id: b.id, members: b.members.map((m) => ({ leg: m.leg, role: m.role, ...(m.target !== undefined ? { target: m.target } : {}) })) })),
    supervisors: Object.entries(ix.m.supervisors).map(([supervisorId, s]) => ({ supervisorId, agentLeg: s.agentLeg, mode: s.mode })),
    recording: call.recorder !== undefined,
    startedAt: new Date(ix.m.startedAt).toISOString(),
  };
  if (call.entryPoint !== undefined) v.entryPoint = call.entryPoint;
  if (agentLeg !== undefined && agentLeg.live) v.agentId = agentLeg.party.id;
  if (ix.m.queueId !== undefined) v.queueId = ix.m.queueId;
  if (ix.m.endedAt !== undefined) v.endedAt = new Date(ix.m.endedAt).toISOString();
  return v;
}

/**
 * The live view of calls (what `GET /calls` shows, RPT-1 "calls in
 * progress"): interactions not ended yet with their live legs, rebuilt from
 * the event log by replay. Pure and replay-idempotent like the record
 * projection: an entry at or below the last sequence applied is ignored.
 */
import type { CallData, LegState, Party, SupervisionMode } from '../model/index.ts';
import { asRecordEvent, type LogEntry } from './record-events.ts';

export interface LiveLeg {
  legId: string;
  party: Party;
  state: LegState;
  /** When the leg entered its current state. */
  since: number;
  createdAt: number;
  answeredAt?: number;
}

export interface LiveInteraction {
  interactionId: string;
  /** Interaction state (ivr, queued, ringing, talking, on-hold, consulting, conferencing). */
  state: string;
  since: number;
  startedAt: number;
  direction: 'inbound' | 'outbound';
  customer: string;
  customerLeg?: string;
  queueId?: string;
  entryPoint?: string;
  callData: CallData;
  legs: LiveLeg[];
  supervisors: { supervisorId: string; agentId: string; mode: SupervisionMode }[];
}

interface Work {
  ix: LiveInteraction;
  legs: Map<string, LiveLeg>;
  supervisors: Map<string, { agentId: string; mode: SupervisionMode }>;
  /** True once an interaction.state event told the real state. */
  stateKnown: boolean;
}

export class LiveCallsProjection {
  private readonly work = new Map<string, Work>();
  private last = 0;

  get lastSeq(): number {
    return this.last;
  }

  apply(entry: LogEntry): void {
    if (entry.seq <= this.last) return;
    this.last = entry.seq;
    const e = asRecordEvent(entry.event);
    if (e === undefined) {
      this.calldata(entry);
      return;
    }
    let w = this.work.get(e.interaction);
    if (w === undefined) {
      // Interactions begin with a leg leaving idle; other events of unknown ones trail an ended call.
      if (e.type !== 'leg.state' || e.from !== 'idle') return;
      const ix: LiveInteraction = { interactionId: e.interaction, state: 'ivr', since: e.at, startedAt: e.at, direction: 'inbound', customer: '', callData: {}, legs: [], supervisors: [] };
      w = { ix, legs: new Map(), supervisors: new Map(), stateKnown: false };
      this.work.set(e.interaction, w);
    }
    const ix = w.ix;
    const hint = (state: string) => {
      if (w.stateKnown) return;
      ix.state = state;
    };
    switch (e.type) {
      case 'interaction.state':
        w.stateKnown = true;
        ix.state = e.to;
        ix.since = e.at;
        return;
      case 'leg.state': {
        let leg = w.legs.get(e.leg);
        if (leg === undefined) {
          leg = { legId: e.leg, party: { ...e.party }, state: e.from, since: e.at, createdAt: e.at };
          w.legs.set(e.leg, leg);
          if (e.party.kind === 'customer' && ix.customerLeg === undefined) {
            ix.customerLeg = e.leg;
            ix.customer = e.party.id;
            if (e.to === 'dialing') {
              ix.direction = 'outbound';
              hint('ringing');
            }
          }
          if (e.party.kind === 'ivr' && e.to === 'connected') hint('ivr');
        }
        if (e.to === 'terminated') {
          w.legs.delete(e.leg);
          return;
        }
        if (e.to === 'connected' && e.from !== 'held') leg.answeredAt = e.at;
        leg.state = e.to;
        leg.since = e.at;
        return;
      }
      case 'interaction.offered':
        ix.callData = { ...e.callData };
        return;
      case 'supervision.changed':
        if (e.mode === 'ended') w.supervisors.delete(e.supervisorId);
        else w.supervisors.set(e.supervisorId, { agentId: e.agentId, mode: e.mode });
        return;
      case 'queue.entered':
        ix.queueId = e.queueId;
        hint('queued');
        return;
      case 'ivr.started':
        hint('ivr');
        return;
      case 'interaction.entry':
        ix.entryPoint = e.entryPoint;
        return;
      case 'interaction.ended':
        this.work.delete(e.interaction);
        return;
      default:
        return;
    }
  }

  /** Live interactions, oldest first (copies). */
  list(): LiveInteraction[] {
    return [...this.work.values()].map(snapshot).sort((a, b) => a.startedAt - b.startedAt || a.interactionId.localeCompare(b.interactionId));
  }

  get(interactionId: string): LiveInteraction | undefined {
    const w = this.work.get(interactionId);
    return w === undefined ? undefined : snapshot(w);
  }

  get size(): number {
    return this.work.size;
  }

  /** The runtime's `calldata.changed` event (not a RecordEvent) updates the shown call data. */
  private calldata(entry: LogEntry): void {
    const x = entry.event as unknown as { type: string; interaction?: unknown; callData?: unknown };
    if (x.type !== 'calldata.changed' || typeof x.interaction !== 'string' || typeof x.callData !== 'object' || x.callData === null) return;
    const w = this.work.get(x.interaction);
    if (w !== undefined) w.ix.callData = { ...(x.callData as CallData) };
  }
}

function snapshot(w: Work): LiveInteraction {
  return {
    ...w.ix,
    callData: structuredClone(w.ix.callData),
    legs: [...w.legs.values()].map((l) => ({ ...l, party: { ...l.party } })),
    supervisors: [...w.supervisors].map(([supervisorId, s]) => ({ supervisorId, ...s })),
  };
}

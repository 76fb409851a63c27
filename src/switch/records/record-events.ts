/**
 * The events the call-record and live projections read (issue 4 item 4):
 * the call model's DomainEvents plus a few input shapes defined here.
 *
 * Defined here, for other engineers to emit:
 * - `agent.wrapup-ended` (the ACD): the agent finished after-call work for
 *   this interaction. `{ type, interaction, agentId, at }`. Wrap-up of an
 *   agent starts at its `agent.released`; an ACD that has no wrap-up for a
 *   queue emits this at the release instant (wrap-up 0 ms).
 * - `queue.entered` and `ivr.started`: derived from the model's
 *   `acd.enqueue` and `ivr.start` commands by `logEventsOf()` (the model's
 *   events do not name the queue or the script).
 * - `interaction.entry` (the runtime, optional): the service number or DID
 *   the customer dialled. `{ type, interaction, entryPoint, at }`.
 * - `contact.logged` (the API, CRM-3): an agent's wrap-up note on the
 *   interaction (category, self-evaluation, summary, customer). It may come
 *   after the record was finished and dropped from memory: the recorder then
 *   merges it into the stored record (contact-log.ts).
 * - `recording.changed` is the runtime's own event (TEL-5): a started
 *   recording names its file, which the record keeps.
 *
 * Every event in the log has `type` and `at` (epoch ms); events about an
 * interaction carry `interaction`. Unknown types pass through the log and
 * are ignored by these projections.
 */
import type { DomainEvent, HangupSide, LegState, Outcome, Party } from '../model/index.ts';
import { SELF_EVALUATIONS, type ContactCustomer } from './call-record.ts';

export interface WrapupEnded {
  type: 'agent.wrapup-ended';
  interaction: string;
  agentId: string;
  at: number;
}
export interface QueueEntered {
  type: 'queue.entered';
  interaction: string;
  queueId: string;
  at: number;
}
export interface IvrStarted {
  type: 'ivr.started';
  interaction: string;
  leg: string;
  script: string;
  mode: 'new' | 'resume';
  at: number;
}
export interface InteractionEntry {
  type: 'interaction.entry';
  interaction: string;
  entryPoint: string;
  at: number;
}
/** The runtime's own event: a recording of the call started (with its file) or stopped. */
export interface RecordingChanged {
  type: 'recording.changed';
  interaction: string;
  recording: boolean;
  path?: string;
  at: number;
}

export interface ContactLogged {
  type: 'contact.logged';
  interaction: string;
  agentId: string;
  at: number;
  category: string;
  selfEvaluation: (typeof SELF_EVALUATIONS)[number];
  summary: string;
  customer?: ContactCustomer;
}

/**
 * A leg.state event may name who ended the leg and why when it reaches
 * `terminated` (the model's Leg knows; recovery's system events say so).
 */
export type LegStateEvent = Extract<DomainEvent, { type: 'leg.state' }> & { by?: HangupSide; cause?: string };

export type RecordEvent = Exclude<DomainEvent, { type: 'leg.state' }> | LegStateEvent | WrapupEnded | QueueEntered | IvrStarted | InteractionEntry | RecordingChanged | ContactLogged;

/** What the event log stores: any typed event with a time; `interaction` when it concerns one. */
export interface LogEvent {
  readonly type: string;
  readonly at: number;
  readonly interaction?: string;
}

/** One stored event with its sequence number (1, 2, 3, ... without gaps in one log). */
export interface LogEntry {
  seq: number;
  event: LogEvent;
}

/** Domain events of one operation, followed by the queue and IVR entries its commands imply. */
export function logEventsOf(outcome: Outcome, at: number): RecordEvent[] {
  const out: RecordEvent[] = [...outcome.events];
  for (const c of outcome.commands) {
    if (c.kind === 'acd.enqueue') out.push({ type: 'queue.entered', interaction: c.interaction, queueId: c.queueId, at });
    else if (c.kind === 'ivr.start') out.push({ type: 'ivr.started', interaction: c.interaction, leg: c.leg, script: c.script, mode: c.mode, at });
  }
  return out;
}

const str = (v: unknown): v is string => typeof v === 'string';
const LEG_STATES = new Set<string>(['idle', 'dialing', 'ringing', 'early', 'connected', 'held', 'terminated']);
const SIDES = new Set<string>(['party', 'peer', 'system']);
const KINDS = new Set<string>(['customer', 'agent', 'supervisor', 'ivr', 'external']);
const isParty = (p: unknown): p is Party => typeof p === 'object' && p !== null && KINDS.has((p as Party).kind) && str((p as Party).id);

/**
 * The event as a RecordEvent when it is one of the shapes the projections
 * read and its required fields are present; undefined otherwise (ignored,
 * never a crash: the log may hold events of newer versions or other kinds).
 */
export function asRecordEvent(e: LogEvent): RecordEvent | undefined {
  const x = e as unknown as Record<string, unknown>;
  if (!str(x.interaction) || typeof x.at !== 'number' || !Number.isFinite(x.at)) return undefined;
  switch (x.type) {
    case 'interaction.state':
      return str(x.from) && str(x.to) && str(x.action) ? (e as RecordEvent) : undefined;
    case 'leg.state':
      return str(x.leg) && isParty(x.party) && LEG_STATES.has(x.from as string) && LEG_STATES.has(x.to as string) ? (e as RecordEvent) : undefined;
    case 'interaction.offered':
      return str(x.leg) && isParty(x.party) ? (e as RecordEvent) : undefined;
    case 'agent.connected':
      return str(x.agentId) && str(x.leg) ? (e as RecordEvent) : undefined;
    case 'agent.released':
      return str(x.agentId) && str(x.leg) && SIDES.has(x.by as string) && str(x.cause) ? (e as RecordEvent) : undefined;
    case 'supervision.changed':
      return str(x.supervisorId) && str(x.agentId) && str(x.mode) ? (e as RecordEvent) : undefined;
    case 'interaction.ended':
      return SIDES.has(x.by as string) && str(x.cause) ? (e as RecordEvent) : undefined;
    case 'agent.wrapup-ended':
      return str(x.agentId) ? (e as RecordEvent) : undefined;
    case 'queue.entered':
      return str(x.queueId) ? (e as RecordEvent) : undefined;
    case 'ivr.started':
      return str(x.leg) && str(x.script) ? (e as RecordEvent) : undefined;
    case 'interaction.entry':
      return str(x.entryPoint) ? (e as RecordEvent) : undefined;
    case 'contact.logged':
      return str(x.agentId) && str(x.category) && str(x.summary) && (SELF_EVALUATIONS as readonly unknown[]).includes(x.selfEvaluation) &&
        (x.customer === undefined || (typeof x.customer === 'object' && x.customer !== null))
        ? (e as RecordEvent)
        : undefined;
    case 'recording.changed':
      return typeof x.recording === 'boolean' && (x.path === undefined || str(x.path)) ? (e as RecordEvent) : undefined;
    default:
      return undefined;
  }
}

export type { HangupSide, LegState, Party };

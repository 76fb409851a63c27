/**
 * Builds call records and leg records from the event log (issue 4 item 4,
 * CTI-1 "saves the call record"). Pure and deterministic: the same entries
 * give the same records; time comes only from the events.
 *
 * Replay-idempotent: entries carry a sequence number and an entry at or
 * below the last one applied is ignored, so replaying a log into a warm
 * projection, or a duplicated delivery, changes nothing.
 *
 * Memory stays bounded by the live calls: a record is handed out (returned
 * by apply) when its interaction ends and again when a wrap-up closes, then
 * dropped once no wrap-up is pending (or `maxWrapupMs` after the end).
 */
import type { HangupSide } from '../model/index.ts';
import { FAILURE_CAUSES, REFUSAL_CAUSES, type CallRecord, type Disposition, type LegRecord, type RecordBundle } from './call-record.ts';
import { contactOf, withContactLog } from './contact-log.ts';
import { asRecordEvent, type ContactLogged, type LegStateEvent, type LogEntry, type RecordEvent } from './record-events.ts';

interface LegWork {
  rec: LegRecord;
  heldSince?: number;
}
interface Work {
  rec: CallRecord;
  legs: Map<string, LegWork>;
  customerLeg?: string;
  /** Interaction state as far as the events tell (initial state inferred from hints). */
  state?: string;
  since: number;
  handledMs: number;
  /** Legs terminated since the last event that was not part of ending legs (who hung up). */
  endBatch: string[];
  /** Sequence of the interaction's first event. */
  firstSeq: number;
  /** The last agent released and how (the one who hung up when the caller then went to the survey). */
  lastReleased?: { agentId: string };
  /** IVR-8: the handling agent hung up first and the caller went on to the survey. */
  surveyed?: boolean;
}

const HANDLED = new Set(['talking', 'on-hold', 'consulting', 'conferencing']);
const TRANSFER_ACTIONS = new Set(['transfer', 'blind-agent', 'blind-queue', 'blind-ivr']);

export interface ProjectionOptions {
  /** Drop an ended record still waiting for wrap-up after this long (event time); default 4 h. */
  maxWrapupMs?: number;
}

export class CallRecordProjection {
  private readonly work = new Map<string, Work>();
  /** Ended records still waiting for wrap-up, in order of their end. */
  private readonly awaiting = new Map<string, Work>();
  private last = 0;
  private readonly maxWrapupMs: number;

  constructor(opts: ProjectionOptions = {}) {
    this.maxWrapupMs = opts.maxWrapupMs ?? 4 * 3_600_000;
  }

  /** Sequence of the last entry applied (0 before any). */
  get lastSeq(): number {
    return this.last;
  }

  /** Applies one entry; returns the record (with its legs) to store when it ended or its wrap-up changed. */
  apply(entry: LogEntry): RecordBundle | undefined {
    if (entry.seq <= this.last) return undefined;
    this.last = entry.seq;
    const e = asRecordEvent(entry.event);
    if (e === undefined) return undefined;
    this.evictStale(e.at);
    if (e.type === 'agent.wrapup-ended') return this.wrapupEnded(e.interaction, e.agentId, e.at, entry.seq);
    if (e.type === 'contact.logged') return this.contactLogged(e, entry.seq);
    let w = this.work.get(e.interaction);
    if (w === undefined) {
      // An interaction begins with its first leg leaving idle; anything else about an unknown
      // one is a trailing event of a call already ended (or from before a checkpoint): ignored.
      if (e.type !== 'leg.state' || e.from !== 'idle' || this.awaiting.has(e.interaction)) return undefined;
      w = this.open(e, entry.seq);
      this.work.set(e.interaction, w);
    }
    w.rec.lastSeq = entry.seq;
    return this.step(w, e);
  }

  /** True while the interaction is live or its ended record still waits for a wrap-up. */
  holds(interactionId: string): boolean {
    return this.work.has(interactionId) || this.awaiting.has(interactionId);
  }

  /** The record as far as the events tell (a copy), while it is held. */
  peek(interactionId: string): RecordBundle | undefined {
    const w = this.work.get(interactionId) ?? this.awaiting.get(interactionId);
    return w === undefined ? undefined : bundle(w);
  }

  /** Records of interactions not ended yet (copies), e.g. for tests and diagnostics. */
  liveRecords(): RecordBundle[] {
    return [...this.work.values()].map(bundle);
  }

  /**
   * The lowest sequence a replay must start from to rebuild this state, once
   * every record handed out has been written: the first event of the oldest
   * interaction still live or awaiting wrap-up, else the next sequence.
   */
  safePoint(): number {
    let min = this.last + 1;
    for (const w of this.work.values()) min = Math.min(min, w.firstSeq);
    for (const w of this.awaiting.values()) min = Math.min(min, w.firstSeq);
    return min;
  }

  private open(e: RecordEvent, firstSeq: number): Work {
    const rec: CallRecord = {
      interactionId: e.interaction,
      direction: 'inbound',
      customer: '',
      parties: [],
      agents: [],
      startedAt: e.at,
      ivrMs: 0,
      queueMs: 0,
      ringMs: 0,
      talkMs: 0,
      holdMs: 0,
      holdCount: 0,
      wrapupMs: 0,
      wrapups: [],
      transfers: 0,
      conferences: 0,
      status: 'live',
      lastSeq: 0,
    };
    return { rec, legs: new Map(), since: e.at, handledMs: 0, endBatch: [], firstSeq };
  }

  private step(w: Work, e: RecordEvent): RecordBundle | undefined {
    const r = w.rec;
    const ending = (e.type === 'leg.state' && e.to === 'terminated') || e.type === 'agent.released' || e.type === 'supervision.changed' || e.type === 'interaction.ended';
    if (!ending) w.endBatch = [];
    switch (e.type) {
      case 'interaction.state':
        if (r.status === 'ended') return undefined;
        this.closeSpan(w, e.from, e.at);
        w.state = e.to;
        if (e.action === 'answer') r.answeredAt ??= e.at;
        if (TRANSFER_ACTIONS.has(e.action) && HANDLED.has(e.from)) r.transfers++;
        if (e.action === 'conference') r.conferences++;
        if (e.action === 'survey') w.surveyed = true;
        return undefined;
      case 'leg.state':
        this.legState(w, e);
        return undefined;
      case 'interaction.offered':
        r.offeredAt ??= e.at;
        return undefined;
      case 'agent.connected':
        if (!r.agents.includes(e.agentId)) r.agents.push(e.agentId);
        r.answeredAt ??= e.at;
        return undefined;
      case 'agent.released': {
        const leg = w.legs.get(e.leg);
        w.lastReleased = { agentId: e.agentId };
        if (leg !== undefined) {
          leg.rec.endedBy = e.by;
          leg.rec.cause = e.cause;
          if (leg.rec.answerAt !== undefined) r.wrapups.push({ agentId: e.agentId, startedAt: e.at });
        }
        return undefined;
      }
      case 'interaction.ended':
        return r.status === 'ended' ? undefined : this.end(w, e.by, e.cause, e.at);
      case 'queue.entered':
        r.queueId = e.queueId;
        r.queuedAt ??= e.at;
        w.state ??= 'queued';
        return undefined;
      case 'ivr.started':
        r.ivrScript ??= e.script;
        w.state ??= 'ivr';
        return undefined;
      case 'interaction.entry':
        r.entryPoint = e.entryPoint;
        return undefined;
      case 'recording.changed':
        if (e.recording && e.path !== undefined) r.recording = e.path;
        return undefined;
      default:
        return undefined;
    }
  }

  private legState(w: Work, e: LegStateEvent): void {
    const r = w.rec;
    let lw = w.legs.get(e.leg);
    if (lw === undefined) {
      const direction = e.to === 'ringing' ? 'inbound' : 'outbound';
      lw = {
        rec: { legId: e.leg, interactionId: r.interactionId, party: { ...e.party }, direction, state: e.from, createdAt: e.at, holdMs: 0, holdCount: 0, durationMs: 0, lastSeq: 0 },
      };
      w.legs.set(e.leg, lw);
      if (!r.parties.some((p) => p.kind === e.party.kind && p.id === e.party.id)) r.parties.push({ ...e.party });
      if (e.party.kind === 'customer' && w.customerLeg === undefined) {
        w.customerLeg = e.leg;
        r.customer = e.party.id;
        r.direction = direction;
        if (e.to === 'dialing') w.state ??= 'ringing';
      }
      if (e.party.kind === 'ivr' && e.to === 'connected') w.state ??= 'ivr';
    }
    const l = lw.rec;
    l.state = e.to;
    if (e.to === 'dialing') l.dialAt ??= e.at;
    if (e.to === 'ringing') l.ringAt ??= e.at;
    if (e.to === 'early') {
      l.earlyAt ??= e.at;
      l.ringAt ??= e.at;
    }
    if (e.to === 'connected' && e.from !== 'held') l.answerAt = e.at;
    if (e.to === 'held') {
      l.holdCount++;
      lw.heldSince = e.at;
    }
    if (e.from === 'held' && lw.heldSince !== undefined) {
      l.holdMs += e.at - lw.heldSince;
      delete lw.heldSince;
    }
    if (e.to === 'terminated') {
      l.endAt = e.at;
      l.durationMs = l.answerAt === undefined ? 0 : e.at - l.answerAt;
      if (e.by !== undefined) l.endedBy = e.by;
      if (e.cause !== undefined) l.cause = e.cause;
      w.endBatch.push(e.leg);
    }
    if (e.leg === w.customerLeg) {
      r.holdMs = l.holdMs;
      r.holdCount = l.holdCount;
    }
  }

  private closeSpan(w: Work, state: string, at: number): void {
    const ms = Math.max(0, at - w.since);
    w.since = at;
    if (state === 'ivr') w.rec.ivrMs += ms;
    else if (state === 'queued') w.rec.queueMs += ms;
    else if (state === 'ringing') w.rec.ringMs += ms;
    else if (HANDLED.has(state)) w.handledMs += ms;
  }

  private end(w: Work, by: HangupSide, cause: string, at: number): RecordBundle {
    const r = w.rec;
    const last = w.state ?? 'ivr';
    this.closeSpan(w, last, at);
    r.talkMs = Math.max(0, w.handledMs - r.holdMs);
    r.status = 'ended';
    r.endedAt = at;
    r.endedBy = by;
    r.cause = cause;
    // endAll drops supervisors first, then the leg that ended the call, then the rest.
    const batch = w.endBatch.map((id) => w.legs.get(id)!);
    const ender = batch.find((l) => l.rec.party.kind !== 'supervisor') ?? batch[0];
    const surveyor = w.surveyed ? w.lastReleased : undefined;
    if (surveyor !== undefined) {
      // The agent's hang-up ended the conversation; the survey that followed ended the call.
      r.hungUpBy = 'agent';
      r.hungUpParty = surveyor.agentId;
    } else if (by === 'system' || ender === undefined) r.hungUpBy = 'system';
    else {
      r.hungUpBy = ender.rec.party.kind;
      r.hungUpParty = ender.rec.party.id;
    }
    const other: HangupSide = by === 'party' ? 'peer' : by;
    for (const l of batch) {
      if (l.rec.cause !== undefined) continue;
      l.rec.endedBy = l === ender ? by : other;
      l.rec.cause = cause;
    }
    r.disposition = disposition(r, last);
    this.work.delete(r.interactionId);
    if (r.wrapups.some((s) => s.endedAt === undefined)) this.awaiting.set(r.interactionId, w);
    return bundle(w);
  }

  private wrapupEnded(interaction: string, agentId: string, at: number, seq: number): RecordBundle | undefined {
    const w = this.awaiting.get(interaction) ?? this.work.get(interaction);
    const span = w?.rec.wrapups.find((s) => s.agentId === agentId && s.endedAt === undefined);
    if (w === undefined || span === undefined) return undefined;
    span.endedAt = Math.max(at, span.startedAt);
    w.rec.wrapupMs += span.endedAt - span.startedAt;
    w.rec.lastSeq = seq;
    if (w.rec.status !== 'ended') return undefined;
    if (w.rec.wrapups.every((s) => s.endedAt !== undefined)) this.awaiting.delete(interaction);
    return bundle(w);
  }

  /** CRM-3: an agent's wrap-up note; a record already dropped is the recorder's business (contact-log.ts). */
  private contactLogged(e: ContactLogged, seq: number): RecordBundle | undefined {
    const w = this.awaiting.get(e.interaction) ?? this.work.get(e.interaction);
    if (w === undefined) return undefined;
    w.rec.contacts = withContactLog(w.rec.contacts, contactOf(e));
    w.rec.lastSeq = seq;
    return w.rec.status === 'ended' ? bundle(w) : undefined;
  }

  private evictStale(now: number): void {
    for (const [id, w] of this.awaiting) {
      if ((w.rec.endedAt ?? 0) + this.maxWrapupMs >= now) break;
      this.awaiting.delete(id);
    }
  }
}

function disposition(r: CallRecord, last: string): Disposition {
  if (r.answeredAt !== undefined) return r.transfers > 0 ? 'transferred' : r.conferences > 0 ? 'conferenced' : 'answered';
  const by = r.endedBy;
  if (FAILURE_CAUSES.has(r.cause ?? '')) return 'failed';
  if (REFUSAL_CAUSES.has(r.cause ?? '')) return 'refused';
  if (r.direction === 'outbound') return by === 'system' ? 'failed' : 'no-answer';
  if (last === 'ivr') return by === 'system' ? 'ivr-completed' : 'abandoned-ivr';
  if (last === 'queued' || last === 'ringing') {
    const customerLeft = by === 'party' && r.hungUpBy === 'customer';
    return customerLeft && r.queuedAt !== undefined ? 'abandoned-queue' : 'no-answer';
  }
  return 'failed';
}

function bundle(w: Work): RecordBundle {
  const r = w.rec;
  return {
    record: {
      ...r, parties: r.parties.map((p) => ({ ...p })), agents: [...r.agents], wrapups: r.wrapups.map((s) => ({ ...s })),
      ...(r.contacts ? { contacts: r.contacts.map((c) => ({ ...c, ...(c.customer ? { customer: { ...c.customer } } : {}) })) } : {}),
    },
    // Every row of one bundle carries the bundle's sequence: the store's "older never wins" guard.
    legs: [...w.legs.values()].map((l) => ({ ...l.rec, party: { ...l.rec.party }, lastSeq: r.lastSeq })),
  };
}

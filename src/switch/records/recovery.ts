/**
 * Recovery after a crash (OPS-3; issue 4: "after a crash the server
 * rebuilds from the log, ends dialogs that died and keeps every record,
 * none twice").
 *
 *   1. Replay the log (from the saved checkpoint, else the start) into the record and live projections, writing
 *      every record the replay finishes (upserts: a record already stored
 *      is replaced by the same content, never duplicated).
 *   2. Every interaction still live had its process die under it: close it
 *      with system events (each live leg terminated and each agent released
 *      by `system`, cause `server-restart`, its wrap-up ended at once; then
 *      `interaction.ended`),
 *      appended to the log so a later replay reaches the same state.
 *   3. Write their records; return the legs whose SIP dialogs must be ended
 *      (the gateway sends BYE from its persisted dialog data). IVR legs are
 *      internal (no dialog) and are not returned.
 *
 * A wrap-up note (CRM-3) filed after its record left memory is merged into
 * the stored record again (a no-op when it is there already).
 *
 * Running it again finds nothing live: it appends nothing and rewrites the
 * same records.
 */
import type { Logger } from '../../shared/logger.ts';
import { RESTART_CAUSE, type RecordBundle } from './call-record.ts';
import { CallRecordProjection } from './call-record-projection.ts';
import { LiveCallsProjection, type LiveInteraction, type LiveLeg } from './live-calls-projection.ts';
import { replay, type CallRecordStore, type EventLog, type ReplayCheckpoint } from './ports.ts';
import { mergeLateContact } from './contact-log.ts';
import { asRecordEvent, type LogEntry, type LogEvent, type RecordEvent } from './record-events.ts';

export interface DeadLeg extends LiveLeg {
  interactionId: string;
}

export interface RecoveryResult {
  /** Interactions found live and closed now. */
  closed: string[];
  /** Legs with a SIP dialog (or WebRTC session) to end: customers, agents, supervisors, external parties. */
  legsToEnd: DeadLeg[];
  /** Call records written (ended during replay or closed now). */
  recordsWritten: number;
  /** Entries replayed from the log. */
  replayed: number;
  /** Sequence of the last entry, the system events included. */
  lastSeq: number;
  /** The projections, warm: the running server continues with them. */
  records: CallRecordProjection;
  live: LiveCallsProjection;
}

export interface RecoveryOptions {
  logger?: Logger;
  /** Records written per transaction during replay (default 500). */
  batch?: number;
  /** Start the replay at the saved point instead of the log's start; saved again at the end. */
  checkpoint?: ReplayCheckpoint;
}

/** The system events that close one live interaction at `now`. */
export function closingEvents(ix: LiveInteraction, now: number, cause = RESTART_CAUSE): RecordEvent[] {
  const out: RecordEvent[] = [];
  const interaction = ix.interactionId;
  for (const s of ix.supervisors) out.push({ type: 'supervision.changed', interaction, at: now, supervisorId: s.supervisorId, agentId: s.agentId, mode: 'ended' });
  const order = (l: LiveLeg) => (l.party.kind === 'supervisor' ? 0 : l.party.kind === 'customer' ? 2 : 1);
  for (const l of [...ix.legs].sort((a, b) => order(a) - order(b))) {
    out.push({ type: 'leg.state', interaction, at: now, leg: l.legId, party: l.party, from: l.state, to: 'terminated', by: 'system', cause });
    if (l.party.kind === 'agent') {
      out.push({ type: 'agent.released', interaction, at: now, agentId: l.party.id, leg: l.legId, by: 'system', cause });
      // No wrap-up follows a call cut by the restart (the new ACD knows nothing of it).
      out.push({ type: 'agent.wrapup-ended', interaction, at: now, agentId: l.party.id });
    }
  }
  out.push({ type: 'interaction.ended', interaction, at: now, by: 'system', cause });
  out.push({ type: 'interaction.state', interaction, at: now, from: ix.state, to: 'ended', action: 'end' });
  return out;
}

export async function recover(log: EventLog, store: CallRecordStore, now: number, opts: RecoveryOptions = {}): Promise<RecoveryResult> {
  const batchSize = opts.batch ?? 500;
  const records = new CallRecordProjection();
  const live = new LiveCallsProjection();
  let pending: RecordBundle[] = [];
  let written = 0;
  let replayed = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await store.upsert(pending);
    written += pending.length;
    pending = [];
  };
  /** True when the entry is a wrap-up note (CRM-3) for a record no longer held: merged into the stored one. */
  const apply = (e: LogEntry): boolean => {
    live.apply(e);
    const b = records.apply(e);
    if (b !== undefined) pending.push(b);
    return b === undefined && e.event.type === 'contact.logged' && e.event.interaction !== undefined && !records.holds(e.event.interaction);
  };
  const from = Math.max(1, (await opts.checkpoint?.load()) ?? 1);
  let lastSeq = await replay(
    log,
    async (e) => {
      replayed++;
      if (apply(e)) {
        const c = asRecordEvent(e.event);
        await flush();
        if (c?.type === 'contact.logged') await mergeLateContact(store, c, e.seq);
      }
      if (pending.length >= batchSize) await flush();
    },
    from - 1,
  );

  const dead = live.list();
  const legsToEnd: DeadLeg[] = dead.flatMap((ix) => ix.legs.filter((l) => l.party.kind !== 'ivr').map((l) => ({ ...l, interactionId: ix.interactionId })));
  const closing: LogEvent[] = dead.flatMap((ix) => closingEvents(ix, now));
  if (closing.length > 0) {
    const entries = await log.append(closing);
    for (const e of entries) apply(e);
    lastSeq = entries[entries.length - 1]!.seq;
  }
  await flush();
  await opts.checkpoint?.save(records.safePoint());
  if (dead.length > 0) {
    opts.logger?.warn({ interactions: dead.length, legs: legsToEnd.length }, 'recovery: closed calls that were live when the server stopped');
  }
  opts.logger?.info({ from, replayed, records: written, lastSeq }, 'recovery: event log replayed');
  return { closed: dead.map((ix) => ix.interactionId), legsToEnd, recordsWritten: written, replayed, lastSeq, records, live };
}

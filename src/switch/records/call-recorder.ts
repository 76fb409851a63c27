/**
 * The running side of the event log: every event the switch publishes is
 * appended to the log, applied to the live and record projections, and the
 * records that finish are written. The composition root creates it from
 * `recover()`'s warm projections, so nothing is replayed twice.
 *
 * A record write that fails is kept and retried with the next one (and a
 * restart rewrites every record from the log anyway): a database hiccup
 * never loses a record and never stops a call.
 *
 * Digits are never logged: `dtmf` events (PINs and passwords typed in the
 * IVR, SEC-*) are dropped here, whoever feeds the recorder.
 */
import type { Logger } from '../../shared/logger.ts';
import type { RecordBundle } from './call-record.ts';
import { CallRecordProjection } from './call-record-projection.ts';
import { LiveCallsProjection } from './live-calls-projection.ts';
import type { CallRecordStore, EventLog, ReplayCheckpoint } from './ports.ts';
import { mergeLateContact } from './contact-log.ts';
import { asRecordEvent, type ContactLogged, type LogEntry, type LogEvent } from './record-events.ts';

/** Event types kept out of the log. */
export const NEVER_LOGGED: ReadonlySet<string> = new Set(['dtmf']);

export interface CallRecorderOptions {
  logger?: Logger;
  /** Saved after record writes, so a restart replays only from there. */
  checkpoint?: ReplayCheckpoint;
  /** Save the checkpoint at most once per this many events (default 2000). */
  checkpointEvery?: number;
}

export class CallRecorder {
  private unwritten: RecordBundle[] = [];
  private checkpointedAt = 0;
  private writing: Promise<void> = Promise.resolve();
  private buffered: LogEvent[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly store: CallRecordStore,
    readonly records: CallRecordProjection = new CallRecordProjection(),
    readonly live: LiveCallsProjection = new LiveCallsProjection(),
    private readonly opts: CallRecorderOptions = {},
  ) {
    this.checkpointedAt = records.lastSeq;
  }

  private get logger(): Logger | undefined {
    return this.opts.logger;
  }

  /** Appends the events (one batch, in order), updates the projections, writes finished records. */
  async publish(events: readonly LogEvent[]): Promise<LogEntry[]> {
    const entries = await this.log.append(events.filter((e) => !NEVER_LOGGED.has(e.type)));
    const late: { e: ContactLogged; seq: number }[] = [];
    for (const e of entries) {
      this.live.apply(e);
      const b = this.records.apply(e);
      if (b !== undefined) this.unwritten.push(b);
      else if (e.event.type === 'contact.logged' && e.event.interaction !== undefined && !this.records.holds(e.event.interaction)) {
        const c = asRecordEvent(e.event);
        if (c?.type === 'contact.logged') late.push({ e: c, seq: e.seq });
      }
    }
    if (this.unwritten.length > 0 || this.checkpointDue() || late.length > 0) await this.flush();
    for (const l of late) await this.mergeLate(l.e, l.seq);
    return entries;
  }

  /**
   * CRM-3: logs an agent's wrap-up note and resolves once it is in the
   * record (in memory while the call or its wrap-up lasts, else the stored
   * record); false when the interaction has no record at all.
   */
  async logContact(note: ContactLogged): Promise<boolean> {
    await this.drain();
    const known = this.records.holds(note.interaction) || (await this.store.get(note.interaction)) !== undefined;
    if (!known) return false;
    // Through the same queue as the switch's events: one writer, entries applied in log order.
    this.enqueue(note);
    await this.drain();
    return true;
  }

  /** The call record as it stands: the projection's while it holds the call, else the stored one. */
  async find(interactionId: string): Promise<RecordBundle | undefined> {
    await this.drain();
    return this.records.peek(interactionId) ?? (await this.store.get(interactionId));
  }

  private async mergeLate(e: ContactLogged, seq: number): Promise<void> {
    const run = this.writing.then(async () => {
      try {
        await mergeLateContact(this.store, e, seq);
      } catch (err) {
        this.logger?.error({ err: (err as Error).message, interaction: e.interaction }, 'call records: contact note not merged into the stored record (it stays in the event log)');
      }
    });
    this.writing = run;
    await run;
  }

  /**
   * For synchronous event listeners (the runtime's onEvent): events given in
   * the same tick are appended as one batch (one transaction) right after
   * it, in order. Failures are logged; `drain()` waits for the appends.
   */
  enqueue(event: LogEvent): void {
    if (NEVER_LOGGED.has(event.type)) return;
    this.buffered.push(event);
    this.draining ??= Promise.resolve().then(async () => {
      while (this.buffered.length > 0) {
        const batch = this.buffered;
        this.buffered = [];
        try {
          await this.publish(batch);
        } catch (err) {
          this.logger?.error({ err: (err as Error).message, events: batch.length }, 'event log: append failed, events lost');
        }
      }
      this.draining = undefined;
    });
  }

  /** Resolves when every enqueued event was appended and every record written (or kept for retry). */
  async drain(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
    await this.flush();
  }

  /** Resolves when every record handed out so far was written (or failed and is kept for retry). */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const batch = this.unwritten;
      this.unwritten = [];
      try {
        if (batch.length > 0) await this.store.upsert(batch);
      } catch (err) {
        this.unwritten = [...batch, ...this.unwritten];
        this.logger?.error({ err: (err as Error).message, records: batch.length }, 'call records: write failed, will retry');
        return;
      }
      // Every record handed out so far is written: the replay may start at the safe point.
      if (this.unwritten.length === 0 && this.checkpointDue()) await this.saveCheckpoint();
    });
    return this.writing;
  }

  private checkpointDue(): boolean {
    return this.opts.checkpoint !== undefined && this.records.lastSeq - this.checkpointedAt >= (this.opts.checkpointEvery ?? 2000);
  }

  private async saveCheckpoint(): Promise<void> {
    const at = this.records.lastSeq;
    try {
      await this.opts.checkpoint!.save(this.records.safePoint());
      this.checkpointedAt = at;
    } catch (err) {
      this.logger?.warn({ err: (err as Error).message }, 'event log: checkpoint not saved');
    }
  }

  /** Records still waiting to be written (after a failed write). */
  get backlog(): number {
    return this.unwritten.length;
  }
}

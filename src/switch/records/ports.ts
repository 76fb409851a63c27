/**
 * Storage ports of the event log and the call records (DESIGN.md "State and
 * events"). Adapters: src/store/kysely-event-log.ts (table `events`),
 * src/store/json-lines-event-log.ts (append-only file),
 * src/store/call-record-store.ts (tables `call_records`, `leg_records`).
 */
import type { CallRecord, Disposition, LegRecord, RecordBundle } from './call-record.ts';
import type { LogEntry, LogEvent } from './record-events.ts';

export interface EventLog {
  /**
   * Appends events in order, atomically as one batch, and returns them with
   * their sequence numbers: one more than the last, no gaps. Resolves once
   * the adapter's durability policy is met (stated by each adapter).
   */
  append(events: readonly LogEvent[]): Promise<LogEntry[]>;
  /** Entries with seq > `after`, ascending, at most `limit` (default 1000). */
  read(after: number, limit?: number): Promise<LogEntry[]>;
  /** Sequence of the last entry (0 when empty). */
  lastSeq(): Promise<number>;
}

/** Feeds every entry after `after` to `fn`, in order, page by page; returns the last seq seen. */
export async function replay(log: EventLog, fn: (e: LogEntry) => void | Promise<void>, after = 0, pageSize = 1000): Promise<number> {
  let last = after;
  for (;;) {
    const page = await log.read(last, pageSize);
    for (const e of page) {
      await fn(e);
      last = e.seq;
    }
    if (page.length < pageSize) return last;
  }
}

/**
 * Where the next recovery may start replaying (so a restart does not read
 * months of log): a sequence before which every interaction has ended and
 * has its record written. Saved by CallRecorder and by recover().
 */
export interface ReplayCheckpoint {
  /** The first sequence to replay (1 when never saved). */
  load(): Promise<number>;
  save(replayFrom: number): Promise<void>;
}

export interface CallRecordQuery {
  /** Started at or after (epoch ms). */
  from?: number;
  /** Started before (epoch ms). */
  to?: number;
  /** An agent who had a leg on the call. */
  agent?: string;
  /** The customer's number, or a number consulted or transferred to. */
  number?: string;
  disposition?: Disposition;
  /** Newest first; default 50. */
  limit?: number;
  offset?: number;
}

export interface CallRecordPage {
  items: CallRecord[];
  /** How many records match the filters in all. */
  total: number;
}

export interface CallRecordStore {
  /**
   * Writes records with their legs in one transaction, keyed by interaction
   * and leg id: a second write of the same id replaces the row only when it
   * carries a sequence at least as high (older writes never win), so a record
   * exists once however often it is written.
   */
  upsert(bundles: readonly RecordBundle[]): Promise<void>;
  get(interactionId: string): Promise<RecordBundle | undefined>;
  list(query?: CallRecordQuery): Promise<CallRecordPage>;
}

export type { CallRecord, LegRecord, LogEntry, LogEvent };

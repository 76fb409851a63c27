/**
 * Assembles the event log and call records over the stores, for the
 * composition root (issue 4 item 4): the `events` table as the primary
 * log, mirrored to `DATA/events.jsonl`; recovery from the replay checkpoint
 * kept in `meta`; then a CallRecorder, warm from the recovery, that the
 * switch's events are fed to. Call it BEFORE the switch takes calls: every
 * interaction live in the log at this point died with the previous process.
 */
import type { Logger } from '../shared/logger.ts';
import { CallRecorder, recover, TeeEventLog, type EventLog, type RecoveryResult } from '../switch/records/index.ts';
import { JsonLinesEventLog, type FsyncPolicy } from './json-lines-event-log.ts';
import { metaReplayCheckpoint } from './replay-checkpoint.ts';
import type { Stores } from './stores.ts';

export interface CallRecordingOptions {
  stores: Pick<Stores, 'events' | 'callRecords' | 'meta'>;
  /** The JSON-lines mirror, e.g. DATA/events.jsonl. */
  jsonlPath: string;
  /** Time stamped on the events that close calls left by the previous process. */
  now: number;
  fsync?: FsyncPolicy;
  logger?: Logger;
}

export interface CallRecording {
  /** The event log (table, mirrored to the file). */
  log: EventLog;
  /** Feed it the switch's events: runtime.onEvent((e) => recorder.enqueue(e)). */
  recorder: CallRecorder;
  /** What recovery found: closed interactions and the legs whose dialogs died. */
  recovery: RecoveryResult;
  /** Waits for pending appends and record writes, then closes the file. */
  close(): Promise<void>;
}

export async function startCallRecording(o: CallRecordingOptions): Promise<CallRecording> {
  const file = await JsonLinesEventLog.open(o.jsonlPath, { fsync: o.fsync ?? 'interval', ...(o.logger ? { logger: o.logger } : {}) });
  try {
    const log = new TeeEventLog(o.stores.events, file, o.logger);
    await log.catchUp();
    const checkpoint = metaReplayCheckpoint(o.stores.meta);
    const recovery = await recover(log, o.stores.callRecords, o.now, { checkpoint, ...(o.logger ? { logger: o.logger } : {}) });
    const recorder = new CallRecorder(log, o.stores.callRecords, recovery.records, recovery.live, { checkpoint, ...(o.logger ? { logger: o.logger } : {}) });
    return {
      log,
      recorder,
      recovery,
      async close() {
        await recorder.drain();
        await file.close();
      },
    };
  } catch (err) {
    await file.close();
    throw err;
  }
}

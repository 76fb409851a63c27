/**
 * Event log, call records and recovery (issue 4 item 4): pure projections of
 * the event stream, the storage ports, recovery after a crash, and the
 * recorder the composition root feeds with the switch's events.
 */
export { DISPOSITIONS, FAILURE_CAUSES, RESTART_CAUSE, SELF_EVALUATIONS, type ContactCustomer, type ContactLog, type SelfEvaluation, type CallRecord, type Disposition, type LegRecord, type RecordBundle, type WrapupSpan } from './call-record.ts';
export { CallRecordProjection, type ProjectionOptions } from './call-record-projection.ts';
export { contactOf, mergeLateContact, recordWithContact, withContactLog } from './contact-log.ts';
export { CallRecorder, NEVER_LOGGED, type CallRecorderOptions } from './call-recorder.ts';
export { LiveCallsProjection, type LiveInteraction, type LiveLeg } from './live-calls-projection.ts';
export { replay, type CallRecordPage, type CallRecordQuery, type CallRecordStore, type EventLog, type ReplayCheckpoint } from './ports.ts';
export {
  asRecordEvent,
  logEventsOf,
  type ContactLogged,
  type InteractionEntry,
  type IvrStarted,
  type LogEntry,
  type LogEvent,
  type QueueEntered,
  type RecordEvent,
  type RecordingChanged,
  type WrapupEnded,
} from './record-events.ts';
export { recordIvrEntries, recordQueueEntries, type EventSink } from './recording-ports.ts';
export { closingEvents, recover, type DeadLeg, type RecoveryOptions, type RecoveryResult } from './recovery.ts';
export { TeeEventLog, type MirrorLog } from './tee-event-log.ts';

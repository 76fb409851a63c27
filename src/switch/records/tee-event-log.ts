/**
 * One event log written twice (DESIGN.md: "table `events`, also written as
 * JSON lines"): the primary numbers and keeps the events; the mirror (the
 * JSON-lines file) gets the same entries with the same numbers. Reads come
 * from the primary. A mirror that fell behind (a crash between the two
 * writes, a full disk) is caught up from the primary on open and on the
 * next append; its failures are logged, never fatal to the primary.
 */
import type { Logger } from '../../shared/logger.ts';
import { replay, type EventLog } from './ports.ts';
import type { LogEntry, LogEvent } from './record-events.ts';

export interface MirrorLog {
  lastSeq(): Promise<number>;
  /** Writes entries numbered by the primary; skips those it has; refuses a gap. */
  appendEntries(entries: readonly LogEntry[]): Promise<void>;
}

export class TeeEventLog implements EventLog {
  private mirrorChain: Promise<unknown> = Promise.resolve();
  private behind = true;

  constructor(
    private readonly primary: EventLog,
    private readonly mirror: MirrorLog,
    private readonly logger?: Logger,
  ) {}

  /** Brings the mirror up to the primary (called by append when needed; call it at start). */
  catchUp(): Promise<void> {
    return this.onMirror(() => this.doCatchUp());
  }

  async append(events: readonly LogEvent[]): Promise<LogEntry[]> {
    const entries = await this.primary.append(events);
    if (entries.length === 0) return entries;
    // The mirror is written before append resolves, in order, but its failure does not fail the append.
    await this.onMirror(async () => {
      if (this.behind) await this.doCatchUp();
      else await this.mirror.appendEntries(entries);
    });
    return entries;
  }

  read(after: number, limit?: number): Promise<LogEntry[]> {
    return this.primary.read(after, limit);
  }

  lastSeq(): Promise<number> {
    return this.primary.lastSeq();
  }

  private onMirror(fn: () => Promise<void>): Promise<void> {
    const run = this.mirrorChain.then(fn).catch((err: Error) => {
      this.behind = true;
      this.logger?.warn({ err: err.message }, 'event log mirror: write failed, will catch up');
    });
    this.mirrorChain = run;
    return run;
  }

  private async doCatchUp(): Promise<void> {
    const from = await this.mirror.lastSeq();
    let batch: LogEntry[] = [];
    await replay(
      this.primary,
      async (e) => {
        batch.push(e);
        if (batch.length >= 1000) {
          await this.mirror.appendEntries(batch);
          batch = [];
        }
      },
      from,
    );
    await this.mirror.appendEntries(batch);
    this.behind = false;
  }
}

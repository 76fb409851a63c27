/**
 * The event log in table `events` (DESIGN.md "State and events", OPS-4).
 *
 * One writer (the active control node) assigns the sequence: the next
 * number after the highest stored, read once, then counted in memory.
 * Appends are serialised and each batch is one transaction, so sequences
 * are gapless and visible in order. A second writer would collide on the
 * primary key; the failed append rejects and the next one re-reads the end.
 *
 * Durability: an append resolves after its transaction commits. SQLite runs
 * WAL with synchronous=NORMAL (a commit survives kill -9; an OS crash may
 * lose the last commits); PostgreSQL per its synchronous_commit setting.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../shared/logger.ts';
import type { EventLog, LogEntry, LogEvent } from '../switch/records/ports.ts';
import type { HotlineDatabase } from './schema.ts';

const CHUNK = 500;

export class KyselyEventLog implements EventLog {
  private next: number | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<HotlineDatabase>,
    private readonly logger?: Logger,
  ) {}

  append(events: readonly LogEvent[]): Promise<LogEntry[]> {
    const run = this.chain.then(() => this.write(events));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async read(after: number, limit = 1000): Promise<LogEntry[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'data'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(Math.max(1, Math.floor(limit)))
      .execute();
    const out: LogEntry[] = [];
    for (const r of rows) {
      try {
        out.push({ seq: Number(r.seq), event: JSON.parse(r.data) as LogEvent });
      } catch (err) {
        this.logger?.warn({ seq: r.seq, err: (err as Error).message }, 'event log: unreadable row skipped');
      }
    }
    return out;
  }

  async lastSeq(): Promise<number> {
    const r = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return r?.m === null || r?.m === undefined ? 0 : Number(r.m);
  }

  private async write(events: readonly LogEvent[]): Promise<LogEntry[]> {
    if (events.length === 0) return [];
    this.next ??= (await this.lastSeq()) + 1;
    const first = this.next;
    const entries = events.map((event, i) => ({ seq: first + i, event }));
    const rows = entries.map((e) => ({
      seq: e.seq,
      at: e.event.at,
      type: e.event.type,
      interaction: e.event.interaction ?? null,
      data: JSON.stringify(e.event),
    }));
    try {
      await this.db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('events').values(rows.slice(i, i + CHUNK)).execute();
      });
    } catch (err) {
      this.next = undefined; // someone else may have written: read the end again next time
      throw err;
    }
    this.next = first + events.length;
    return entries;
  }
}

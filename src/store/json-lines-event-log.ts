/**
 * The event log as a JSON-lines file (DESIGN.md "State and events",
 * OPS-4: logs in open formats). One line per event:
 *
 *   {"seq":1,"event":{"type":"leg.state","interaction":"ix-1","at":...}}
 *
 * Append-only (O_APPEND, one write per batch). Durability, the `fsync`
 * option:
 *   'always'   append resolves after fdatasync: survives an OS crash.
 *   'interval' (default) append resolves after write(2): survives kill -9
 *              (the data is in the kernel); fdatasync runs every
 *              `fsyncIntervalMs` (1000) when something was written, so an
 *              OS crash or power loss loses at most that window.
 *   'never'    write(2) only; the OS flushes when it likes.
 *
 * A crash can leave a torn last line (no newline, or cut JSON). Opening
 * the log finds it, warns, and cuts it off so new lines start clean;
 * readers skip any line that does not parse (with a warning), never fail.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { EventLog, LogEntry, LogEvent } from '../switch/records/ports.ts';

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface JsonLinesEventLogOptions {
  fsync?: FsyncPolicy;
  fsyncIntervalMs?: number;
  logger?: Logger;
  clock?: Clock;
}

const NL = 0x0a;
const CHUNK = 64 * 1024;
/** One index point every this many entries: reads start near `after` instead of the file's start. */
const INDEX_EVERY = 1000;

/** The entry of a line, or undefined when the line is not one. */
function parseLine(line: Buffer): LogEntry | undefined {
  let x: unknown;
  try {
    x = JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
  const o = x as { seq?: unknown; event?: { type?: unknown; at?: unknown } };
  if (typeof o !== 'object' || o === null || !Number.isSafeInteger(o.seq) || (o.seq as number) < 1) return undefined;
  if (typeof o.event !== 'object' || o.event === null || typeof o.event.type !== 'string' || typeof o.event.at !== 'number') return undefined;
  return { seq: o.seq as number, event: o.event as LogEvent };
}

export class JsonLinesEventLog implements EventLog {
  private chain: Promise<unknown> = Promise.resolve();
  private dirty = false;
  private timer: TimerHandle | undefined;
  private closed = false;
  /** [seq, byte offset of its line], ascending, sparse. */
  private readonly index: [number, number][] = [];
  private readonly warned = new Set<number>();

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private last: number,
    private size: number,
    private readonly opts: Required<Omit<JsonLinesEventLogOptions, 'logger'>> & { logger?: Logger },
  ) {}

  /** Opens (creating) the file, repairs a torn tail, and finds the last sequence. */
  static async open(path: string, options: JsonLinesEventLogOptions = {}): Promise<JsonLinesEventLog> {
    const opts = { fsync: options.fsync ?? 'interval', fsyncIntervalMs: options.fsyncIntervalMs ?? 1000, clock: options.clock ?? systemClock, ...(options.logger ? { logger: options.logger } : {}) };
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(path, 'a+');
    try {
      let size = (await fh.stat()).size;
      const { end, last } = await tailOf(fh, size);
      if (end < size) {
        opts.logger?.warn({ path, bytes: size - end }, 'event log: torn last line after a crash, cut off');
        await fh.truncate(end);
        size = end;
      }
      return new JsonLinesEventLog(path, fh, last, size, opts);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  append(events: readonly LogEvent[]): Promise<LogEntry[]> {
    return this.serial(async () => {
      const entries = events.map((event, i) => ({ seq: this.last + 1 + i, event }));
      await this.write(entries);
      return entries;
    });
  }

  /**
   * Writes entries numbered elsewhere (the mirror of another log): those at
   * or below the last sequence are skipped; a gap is refused (RangeError).
   */
  appendEntries(entries: readonly LogEntry[]): Promise<void> {
    return this.serial(async () => {
      const todo = entries.filter((e) => e.seq > this.last);
      todo.forEach((e, i) => {
        if (e.seq !== this.last + 1 + i) throw new RangeError(`event log ${this.path}: entry ${e.seq} would leave a gap after ${this.last + i}`);
      });
      await this.write(todo);
    });
  }

  async lastSeq(): Promise<number> {
    return this.last;
  }

  async read(after: number, limit = 1000): Promise<LogEntry[]> {
    const max = Math.max(1, Math.floor(limit));
    const out: LogEntry[] = [];
    let prev = 0;
    await this.scan(this.startFor(after), (entry, offset) => {
      if (entry.seq <= prev) return true; // a repeated line: keep the first
      prev = entry.seq;
      this.remember(entry.seq, offset);
      if (entry.seq > after) out.push(entry);
      return out.length < max;
    });
    return out;
  }

  /** Flushes to disk and closes the file; further appends reject. */
  async close(): Promise<void> {
    await this.serial(async () => {
      this.closed = true;
      this.timer?.cancel();
      if (this.dirty && this.opts.fsync !== 'never') await this.fh.datasync();
      await this.fh.close();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(() => {
      if (this.closed) throw new Error(`event log ${this.path} is closed`);
      return fn();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const lines = entries.map((e) => Buffer.from(`${JSON.stringify({ seq: e.seq, event: e.event })}\n`, 'utf8'));
    await this.fh.appendFile(Buffer.concat(lines));
    lines.forEach((line, i) => {
      this.remember(entries[i]!.seq, this.size);
      this.size += line.length;
    });
    this.last = entries[entries.length - 1]!.seq;
    if (this.opts.fsync === 'always') await this.fh.datasync();
    else if (this.opts.fsync === 'interval') this.scheduleSync();
  }

  private scheduleSync(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.closed || !this.dirty) return;
      this.dirty = false;
      void this.serial(() => this.fh.datasync()).catch((err: Error) => this.opts.logger?.warn({ path: this.path, err: err.message }, 'event log: fdatasync failed'));
    }, this.opts.fsyncIntervalMs);
  }

  private remember(seq: number, offset: number): void {
    const lastIdx = this.index[this.index.length - 1];
    if (lastIdx !== undefined && lastIdx[0] >= seq) return;
    if (lastIdx === undefined || seq - lastIdx[0] >= INDEX_EVERY) this.index.push([seq, offset]);
  }

  /** Offset of the line of the highest indexed sequence <= after + 1. */
  private startFor(after: number): number {
    let lo = 0;
    let hi = this.index.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [seq, offset] = this.index[mid]!;
      if (seq <= after + 1) {
        best = offset;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Calls fn for each valid line from offset until it returns false; warns once per bad line. */
  private async scan(from: number, fn: (e: LogEntry, offset: number) => boolean): Promise<void> {
    const size = this.size;
    let pos = from;
    let carry = Buffer.alloc(0);
    let carryAt = from;
    while (pos < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
      const { bytesRead } = await this.fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NL, start); nl >= 0; nl = data.indexOf(NL, start)) {
        const line = data.subarray(start, nl);
        const offset = carryAt + start;
        start = nl + 1;
        if (line.length === 0) continue;
        const entry = parseLine(line);
        if (entry === undefined) {
          if (!this.warned.has(offset)) {
            this.warned.add(offset);
            this.opts.logger?.warn({ path: this.path, offset }, 'event log: unreadable line skipped');
          }
          continue;
        }
        if (!fn(entry, offset)) return;
      }
      carry = Buffer.from(data.subarray(start));
      carryAt += start;
    }
  }
}

/**
 * Where the valid content ends (after the last newline) and the last
 * sequence in it, reading backwards from the end in growing windows.
 */
async function tailOf(fh: FileHandle, size: number): Promise<{ end: number; last: number }> {
  let window = CHUNK;
  for (;;) {
    const start = Math.max(0, size - window);
    const buf = Buffer.alloc(size - start);
    if (buf.length > 0) await fh.read(buf, 0, buf.length, start);
    const lastNl = buf.lastIndexOf(NL);
    if (lastNl < 0 && start > 0) {
      window *= 4;
      continue;
    }
    const end = lastNl < 0 ? 0 : start + lastNl + 1;
    // Walk complete lines backwards to the last one that parses.
    let stop = lastNl;
    while (stop > 0) {
      const prevNl = buf.lastIndexOf(NL, stop - 1);
      if (prevNl < 0 && start > 0) break; // the line may begin before the window
      const entry = parseLine(buf.subarray(prevNl + 1, stop));
      if (entry !== undefined) return { end, last: entry.seq };
      stop = prevNl;
    }
    if (start === 0) return { end, last: 0 };
    window *= 4;
  }
}

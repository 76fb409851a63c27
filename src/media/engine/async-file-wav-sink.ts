import { close, openSync, write } from 'node:fs';
import { promisify } from 'node:util';
import type { WavSink } from '../wav/wav-sink.ts';

const writeP = promisify(write);
const closeP = promisify(close);

/**
 * A WAV file written off the media thread: appends are copied into one
 * preallocated chunk that goes to disk when full (`flushBytes`, 64 KiB: two
 * seconds of a two-party 8 kHz recording, so 800 recorded calls make about
 * 400 writes a second) through libuv's thread pool, in order, so a slow disk
 * never stalls the 20 ms clock (a synchronous write per frame did, by tens
 * of ms, under load). The header fix-up and close queue behind the data;
 * `closed` resolves when the file is complete. A crash loses at most the
 * unflushed chunk. The file is opened synchronously, so a bad path fails at
 * once; a later write error is kept in `error` and ends further writes (the
 * file is still closed).
 *
 * A chunk whose write has completed is kept for reuse (at most
 * `SPARE_CHUNKS`), so a steady recording does not allocate a new 64 KiB
 * buffer every two seconds: at hundreds of recorded calls those buffers were
 * most of a worker's external memory churn, and V8 answers external memory
 * growth with full (mark-compact) collections. When a recording is closed,
 * its chunks go to a pool of the thread (`POOL_MAX` chunks, 16 MiB at the
 * default size) that the next recordings take from, so calls that come and
 * go do not allocate either.
 */
const SPARE_CHUNKS = 2;
const DEFAULT_FLUSH_BYTES = 64 * 1024;
const POOL_MAX = 256;
/** Chunks of closed recordings (default size only), shared by this thread's next recordings. */
const pool: Buffer[] = [];

function takeChunk(bytes: number): Buffer {
  return (bytes === DEFAULT_FLUSH_BYTES ? pool.pop() : undefined) ?? Buffer.allocUnsafe(bytes);
}

/** Chunks a thread's recordings hold in its pool now (for tests and stats). */
export function pooledChunks(): number {
  return pool.length;
}

export class AsyncFileWavSink implements WavSink {
  private chain: Promise<void> = Promise.resolve();
  private readonly fd: number;
  /** The chunk being filled; handed to the write queue whole and replaced when full. */
  private chunk: Buffer;
  private used = 0;
  private pos = 0;
  /** Chunks already on disk, ready to be filled again. */
  private readonly spare: Buffer[] = [];
  error: Error | undefined;
  closed: Promise<void> | undefined;
  private ended = false;

  constructor(
    path: string,
    private readonly flushBytes = DEFAULT_FLUSH_BYTES,
  ) {
    this.fd = openSync(path, 'w');
    this.chunk = takeChunk(flushBytes);
  }

  append(data: Uint8Array): void {
    this.assertOpen();
    let from = 0;
    while (from < data.length) {
      const n = Math.min(data.length - from, this.flushBytes - this.used);
      this.chunk.set(from === 0 && n === data.length ? data : data.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      if (this.used === this.flushBytes) this.flush();
    }
  }

  writeAt(offset: number, data: Uint8Array): void {
    this.assertOpen();
    this.flush();
    const copy = Buffer.from(data);
    this.queue((fd) => writeP(fd, copy, 0, copy.length, offset).then(() => undefined));
  }

  close(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    // closed even after a write error (the queue skips everything else then)
    this.chain = this.chain.then(() => closeP(this.fd).catch((err: Error) => void (this.error ??= err)));
    // every write is done once the close has run: the chunks serve the thread's next recordings
    this.closed = this.chain.then(() => {
      this.release(this.chunk);
      for (const c of this.spare.splice(0)) this.release(c);
    });
  }

  /** After close the chunks belong to the pool: a late write must not land in another recording. */
  private assertOpen(): void {
    if (this.ended) throw new Error('the recording is closed');
  }

  private release(chunk: Buffer): void {
    if (chunk.length === DEFAULT_FLUSH_BYTES && pool.length < POOL_MAX) pool.push(chunk);
  }

  private flush(): void {
    if (this.used === 0) return;
    const whole = this.chunk;
    const chunk = this.used === this.flushBytes ? whole : whole.subarray(0, this.used);
    const at = this.pos;
    this.pos += this.used;
    this.chunk = this.spare.pop() ?? takeChunk(this.flushBytes);
    this.used = 0;
    this.queue(async (fd) => {
      await writeP(fd, chunk, 0, chunk.length, at);
      // written: the bytes are on their way to disk and the buffer may be filled again
      if (this.spare.length < SPARE_CHUNKS) this.spare.push(whole);
      else this.release(whole);
    });
  }

  private queue(op: (fd: number) => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      try {
        await op(this.fd);
      } catch (err) {
        this.error = err as Error;
      }
    });
  }
}

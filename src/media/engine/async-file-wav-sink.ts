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
 * once; a later write error is kept in `error` and ends further writes.
 *
 * A full chunk whose write has completed is kept for reuse (at most
 * `SPARE_CHUNKS`), so a steady recording does not allocate a new 64 KiB
 * buffer every two seconds: at hundreds of recorded calls those buffers were
 * most of a worker's external memory churn, and V8 answers external memory
 * growth with full (mark-compact) collections.
 */
const SPARE_CHUNKS = 2;

export class AsyncFileWavSink implements WavSink {
  private chain: Promise<void> = Promise.resolve();
  private readonly fd: number;
  /** The chunk being filled; handed to the write queue whole and replaced when full. */
  private chunk: Buffer;
  private used = 0;
  private pos = 0;
  /** Full chunks already on disk, ready to be filled again. */
  private readonly spare: Buffer[] = [];
  error: Error | undefined;
  closed: Promise<void> | undefined;

  constructor(
    path: string,
    private readonly flushBytes = 64 * 1024,
  ) {
    this.fd = openSync(path, 'w');
    this.chunk = Buffer.allocUnsafe(flushBytes);
  }

  append(data: Uint8Array): void {
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
    this.flush();
    const copy = Buffer.from(data);
    this.queue((fd) => writeP(fd, copy, 0, copy.length, offset).then(() => undefined));
  }

  close(): void {
    this.flush();
    this.queue((fd) => closeP(fd));
    this.closed = this.chain;
  }

  private flush(): void {
    if (this.used === 0) return;
    const full = this.used === this.flushBytes;
    const whole = this.chunk;
    const chunk = full ? whole : whole.subarray(0, this.used);
    const at = this.pos;
    this.pos += this.used;
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(this.flushBytes);
    this.used = 0;
    this.queue(async (fd) => {
      await writeP(fd, chunk, 0, chunk.length, at);
      // written: the bytes are on their way to disk and the buffer may be filled again
      if (full && this.spare.length < SPARE_CHUNKS) this.spare.push(whole);
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

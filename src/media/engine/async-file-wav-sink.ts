import { close, openSync, write } from 'node:fs';
import { promisify } from 'node:util';
import type { WavSink } from '../wav/wav-sink.ts';

const writeP = promisify(write);
const closeP = promisify(close);

/**
 * A WAV file written off the media thread: appends collect in memory and go
 * to disk in `flushBytes` chunks through libuv's thread pool, in order, so a
 * slow disk never stalls the 20 ms clock (a synchronous write per frame did,
 * by tens of ms, under load). The header fix-up and close queue behind the
 * data; `closed` resolves when the file is complete. A crash loses at most
 * the unflushed chunk (about one second of a two-channel 8 kHz recording).
 * The file is opened synchronously, so a bad path fails at once; a later
 * write error is kept in `error` and ends further writes.
 */
export class AsyncFileWavSink implements WavSink {
  private chain: Promise<void> = Promise.resolve();
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pos = 0;
  error: Error | undefined;
  closed: Promise<void> | undefined;

  constructor(
    path: string,
    private readonly flushBytes = 32 * 1024,
  ) {
    this.fd = openSync(path, 'w');
  }

  append(data: Uint8Array): void {
    this.pending.push(Buffer.from(data));
    this.pendingBytes += data.length;
    if (this.pendingBytes >= this.flushBytes) this.flush();
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
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    const at = this.pos;
    this.pos += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.queue((fd) => writeP(fd, chunk, 0, chunk.length, at).then(() => undefined));
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

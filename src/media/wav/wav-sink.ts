import { closeSync, openSync, writeSync } from 'node:fs';

/** Where a recorder writes: append, overwrite at an offset (header fix-up), close. */
export interface WavSink {
  /**
   * `data` is only valid during the call: the recorder reuses the buffer for
   * its next frame, so a sink that keeps the bytes keeps a copy.
   */
  append(data: Uint8Array): void;
  writeAt(offset: number, data: Uint8Array): void;
  close(): void;
}

/** A file on disk, written synchronously (the recorder runs in a media worker). */
export class FileWavSink implements WavSink {
  private fd: number;
  private pos = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  append(data: Uint8Array): void {
    writeSync(this.fd, data, 0, data.length, this.pos);
    this.pos += data.length;
  }

  writeAt(offset: number, data: Uint8Array): void {
    writeSync(this.fd, data, 0, data.length, offset);
  }

  close(): void {
    closeSync(this.fd);
  }
}

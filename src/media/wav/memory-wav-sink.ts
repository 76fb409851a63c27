import type { WavSink } from './wav-sink.ts';

/** In memory, for tests and for uploads that go elsewhere. */
export class MemoryWavSink implements WavSink {
  private chunks: Buffer = Buffer.alloc(0);
  closed = false;

  append(data: Uint8Array): void {
    this.chunks = Buffer.concat([this.chunks, data]);
  }

  writeAt(offset: number, data: Uint8Array): void {
    Buffer.from(data).copy(this.chunks, offset);
  }

  close(): void {
    this.closed = true;
  }

  bytes(): Buffer {
    return this.chunks;
  }
}

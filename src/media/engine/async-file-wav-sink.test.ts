import { fstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav } from '../wav/wav-reader.ts';
import { WavRecorder } from '../wav/wav-recorder.ts';
import { AsyncFileWavSink, pooledChunks } from './async-file-wav-sink.ts';

const dir = mkdtempSync(join(tmpdir(), 'async-sink-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('AsyncFileWavSink: recordings written off the media thread - TEL-5', () => {
  it.each([64, 1000, 32 * 1024])('keeps order across flushes of %i bytes and fixes the header', async (flush) => {
    const path = join(dir, `r-${flush}.wav`);
    const sink = new AsyncFileWavSink(path, flush);
    const rec = new WavRecorder(sink, { channels: 2 });
    rec.start();
    for (let f = 0; f < 120; f++) rec.processInput([new Int16Array(160).fill(f), new Int16Array(160).fill(-f)]);
    rec.stop();
    await sink.closed;
    const raw = readFileSync(path);
    expect(raw.readUInt32LE(40)).toBe(120 * 160 * 4);
    const wav = readWav(raw);
    expect(wav.channels[0]![119 * 160]).toBe(119);
    expect(wav.channels[1]![50 * 160 + 3]).toBe(-50);
    expect(sink.error).toBeUndefined();
  });

  it('reuses written chunks without mixing up their bytes (issue 3)', async () => {
    const path = join(dir, 'recycled.wav');
    const sink = new AsyncFileWavSink(path, 640); // one two-channel frame per chunk
    const rec = new WavRecorder(sink, { channels: 2 });
    rec.start();
    for (let f = 0; f < 60; f++) {
      rec.processInput([Int16Array.from({ length: 160 }, (_, i) => f * 100 + i), new Int16Array(160).fill(-f)]);
      if (f % 3 === 0) await new Promise((r) => setTimeout(r, 1)); // let writes complete, so chunks come back for reuse
    }
    rec.stop();
    await sink.closed;
    const wav = readWav(readFileSync(path));
    const wrong: number[] = [];
    for (let f = 0; f < 60; f++) for (let i = 0; i < 160; i++) if (wav.channels[0]![f * 160 + i] !== f * 100 + i || wav.channels[1]![f * 160 + i] !== -f) wrong.push(f);
    expect(wrong).toEqual([]);
    expect(sink.error).toBeUndefined();
  });

  it("hands a closed recording's chunks to the next recording of the thread, bytes intact (issue 3)", async () => {
    const frames = 250; // 160 KB of two-channel audio: more than two 64 KiB chunks
    const record = async (name: string, base: number) => {
      const sink = new AsyncFileWavSink(join(dir, name));
      const rec = new WavRecorder(sink, { channels: 2 });
      rec.start();
      for (let f = 0; f < frames; f++) {
        rec.processInput([Int16Array.from({ length: 160 }, (_, i) => base + f * 10 + (i % 10)), new Int16Array(160).fill(base - f)]);
        if (f % 50 === 0) await new Promise((r) => setTimeout(r, 2)); // writes complete, chunks come back
      }
      rec.stop();
      await sink.closed;
      expect(sink.error).toBeUndefined();
      expect(() => sink.append(new Uint8Array(4))).toThrow(/closed/);
      return join(dir, name);
    };
    const before = pooledChunks();
    const a = await record('pool-a.wav', 1000);
    const afterA = pooledChunks();
    expect(afterA).toBeGreaterThan(before);
    const b = await record('pool-b.wav', 20000);
    // B took A's chunks (and returned them when it closed)
    expect(pooledChunks()).toBeLessThanOrEqual(afterA + 1);
    for (const [path, base] of [[a, 1000], [b, 20000]] as const) {
      const wav = readWav(readFileSync(path));
      expect(wav.channels[0]!.length).toBe(frames * 160);
      const wrong: number[] = [];
      for (let f = 0; f < frames; f++) for (let i = 0; i < 160; i++) if (wav.channels[0]![f * 160 + i] !== base + f * 10 + (i % 10) || wav.channels[1]![f * 160 + i] !== base - f) wrong.push(f);
      expect(wrong).toEqual([]);
    }
  });

  it('a write error is kept, ends the writes, and the file is still closed', async () => {
    const sink = new AsyncFileWavSink('/dev/full', 640); // every write: ENOSPC
    const rec = new WavRecorder(sink, { channels: 2 });
    rec.start();
    for (let f = 0; f < 5; f++) rec.processInput([new Int16Array(160), new Int16Array(160)]);
    rec.stop();
    await sink.closed;
    expect(sink.error?.message).toMatch(/ENOSPC/);
    const fd = (sink as unknown as { fd: number }).fd;
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('a bad path fails at once', () => {
    expect(() => new AsyncFileWavSink(join(dir, 'no', 'such', 'dir.wav'))).toThrow(/ENOENT/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { toneDbfs } from '../../../test/audio/analysis.ts';
import { MemoryWavSink } from './memory-wav-sink.ts';
import { readWav } from './wav-reader.ts';
import { RecorderError, WavRecorder } from './wav-recorder.ts';
import { FileWavSink } from './wav-sink.ts';

const sine = (f: number, start: number) => Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * f * (start + i)) / 8000)));

describe('WAV recorder - TEL-5', () => {
  it('writes one channel per party to a file, pauses mid-call, and fixes the header on stop', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'call.wav');
    const rec = new WavRecorder(new FileWavSink(path), { channels: 2 });
    expect(() => rec.pause()).toThrow(RecorderError);
    rec.start();
    for (let f = 0; f < 50; f++) rec.processInput([sine(400, f * 160), sine(700, f * 160)]);
    rec.pause();
    for (let f = 0; f < 25; f++) rec.processInput([sine(1500, 0), sine(1500, 0)]);
    rec.resume();
    for (let f = 0; f < 50; f++) rec.processInput([sine(400, f * 160), sine(700, f * 160)]);
    rec.stop();
    expect(() => rec.resume()).toThrow(RecorderError);
    const wav = readWav(readFileSync(path));
    expect(wav.sampleRate).toBe(8000);
    expect(wav.channels).toHaveLength(2);
    expect(wav.channels[0]!.length).toBe(100 * 160);
    expect(toneDbfs(wav.channels[0]!, 400)).toBeGreaterThan(-15);
    expect(toneDbfs(wav.channels[0]!, 700)).toBeLessThan(-60);
    expect(toneDbfs(wav.channels[1]!, 700)).toBeGreaterThan(-15);
    expect(toneDbfs(wav.channels[1]!, 1500)).toBeLessThan(-60); // nothing from the pause
    const raw = readFileSync(path);
    expect(raw.readUInt32LE(4)).toBe(raw.length - 8);
    expect(raw.readUInt32LE(40)).toBe(raw.length - 44);
    expect(rec.toJSON()).toMatchObject({ framesWritten: 100, framesDroppedPaused: 25, seconds: 2 });
  });

  it('a recording never stopped is still readable up to its last frame', () => {
    const sink = new MemoryWavSink();
    const rec = new WavRecorder(sink);
    rec.start();
    for (let f = 0; f < 10; f++) rec.processInput([sine(1000, f * 160)]);
    const wav = readWav(sink.bytes());
    expect(wav.channels[0]!.length).toBe(1600);
    expect(() => rec.processInput([sine(1, 0), sine(1, 0)])).toThrow(RecorderError);
  });

  it('hands the sink one reused buffer per frame, so a sink keeps copies (issue 3)', () => {
    const given: Uint8Array[] = [];
    const mem = new MemoryWavSink();
    const rec = new WavRecorder({ append: (d) => (given.push(d), mem.append(d)), writeAt: (o, d) => mem.writeAt(o, d), close: () => mem.close() }, { channels: 2 });
    rec.start();
    for (let f = 0; f < 3; f++) rec.processInput([new Int16Array(160).fill(f + 1), new Int16Array(160).fill(-(f + 1))]);
    rec.stop();
    expect(given[2]).toBe(given[1]); // the frames after the header: one buffer, overwritten per frame
    const wav = readWav(mem.bytes());
    expect([0, 1, 2].map((f) => [wav.channels[0]![f * 160 + 5], wav.channels[1]![f * 160 + 5]])).toEqual([[1, -1], [2, -2], [3, -3]]);
  });
});

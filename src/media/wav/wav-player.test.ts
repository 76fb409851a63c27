import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toneDbfs } from '../../../test/audio/analysis.ts';
import { WavPlayer } from './wav-player.ts';

/** A real WAV from sox: 1 kHz sine, given rate/channels/encoding. */
const soxWav = (rate: number, channels: number, encoding: string[], seconds = 0.5) =>
  execFileSync('sox', ['-n', '-r', String(rate), '-c', String(channels), ...encoding, '-t', 'wav', '-', 'synth', String(seconds), 'sine', '1000', 'vol', '0.5']);

describe('WAV player to 8 kHz mono - TEL-3', () => {
  it.each([
    [8000, 1, ['-b', '16']],
    [16000, 1, ['-b', '16']],
    [22050, 2, ['-b', '16']],
    [44100, 2, ['-b', '16']],
    [48000, 1, ['-b', '16']],
    [8000, 1, ['-e', 'a-law']],
    [8000, 1, ['-e', 'u-law']],
  ])('plays %i Hz x%i %j as 8 kHz frames with the tone intact', (rate, ch, enc) => {
    const p = new WavPlayer(soxWav(rate, ch, enc));
    const frames: Int16Array[] = [];
    for (let f = p.processInput(); f; f = p.processInput()) frames.push(f);
    expect(frames.length).toBe(25);
    expect(p.done).toBe(true);
    const all = Int16Array.from(frames.flatMap((f) => Array.from(f)));
    expect(toneDbfs(all.subarray(400, 3600), 1000)).toBeGreaterThan(-8);
  });

  it('loops music on hold without end', () => {
    const p = new WavPlayer(soxWav(8000, 1, ['-b', '16'], 0.05), { loop: true });
    for (let i = 0; i < 100; i++) expect(p.processInput()).toBeDefined();
    expect(p.toJSON().loops).toBeGreaterThan(30);
    expect(p.done).toBe(false);
  });
});

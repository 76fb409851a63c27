import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WavPlayer } from '../../media/wav/wav-player.ts';
import { MELODY_FREQUENCIES, prepareSounds, renderMelody, renderRingback } from './hold-music.ts';

/** Level (dBFS) of one frequency over a span (Goertzel, Hann window). */
function level(x: Int16Array, f: number): number {
  const w = (2 * Math.PI * f) / 8000;
  let s1 = 0;
  let s2 = 0;
  let wsum = 0;
  for (let i = 0; i < x.length; i++) {
    const win = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (x.length - 1));
    wsum += win;
    const s0 = x[i]! * win + 2 * Math.cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const re = s1 - s2 * Math.cos(w);
  const im = s2 * Math.sin(w);
  return 20 * Math.log10(Math.max((2 * Math.hypot(re, im)) / wsum, 1e-9) / 32767);
}

describe('switch sounds: music on hold and ringback rendered in code (CTI-2)', () => {
  it('the melody is several notes, none near the test tones, never clipping', () => {
    const pcm = renderMelody();
    expect(pcm.length / 8000).toBeGreaterThan(5);
    expect(MELODY_FREQUENCIES.length).toBeGreaterThanOrEqual(4);
    for (const f of MELODY_FREQUENCIES) for (const probe of [400, 700, 1100, 1500]) expect(Math.abs(f - probe)).toBeGreaterThan(40);
    expect(Math.max(...pcm.map(Math.abs))).toBeLessThan(32767);
    // Different notes dominate at different times: it is a melody, not a steady tone.
    const loudest = (from: number) => MELODY_FREQUENCIES.reduce((best, f) => (level(pcm.subarray(from, from + 1600), f) > level(pcm.subarray(from, from + 1600), best) ? f : best));
    const notes = new Set(Array.from({ length: 20 }, (_, i) => loudest(i * 2400)));
    expect(notes.size).toBeGreaterThanOrEqual(4);
  });

  it('ringback follows the CN cadence: 1 s of 450 Hz, 4 s of silence', () => {
    const pcm = renderRingback('CN');
    expect(pcm.length).toBe(5 * 8000);
    expect(level(pcm.subarray(0, 8000), 450)).toBeGreaterThan(-25);
    expect(Math.max(...pcm.subarray(8000).map(Math.abs))).toBe(0);
  });

  it('prepareSounds writes WAVs the media engine plays, and keeps a configured music file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sounds-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const s = prepareSounds(dir);
    const player = new WavPlayer(readFileSync(s.musicOnHold), { loop: true });
    expect(player.pcm.length).toBe(renderMelody().length);
    expect(new WavPlayer(readFileSync(s.ringback)).pcm.length).toBe(40000);
    writeFileSync(join(dir, 'mine.wav'), readFileSync(s.musicOnHold));
    expect(prepareSounds(dir, { musicOnHold: join(dir, 'mine.wav') })).toMatchObject({ musicOnHold: join(dir, 'mine.wav'), queueMusic: join(dir, 'mine.wav') });
  });
});

/**
 * The switch's own sounds, rendered in code into WAV files at start (no sox
 * at run time): music on hold (a short melody with soft attack and decay, so
 * it is music rather than a test tone) and ringback (the CN or US plan with
 * its cadence). A configured WAV replaces the rendered music.
 *
 * The melody keeps its notes away from the test-tone frequencies (400, 700,
 * 1100, 1500 Hz, DESIGN.md "How audio is checked in tests") so a test can
 * tell music from a party's voice.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wavHeader } from '../../media/wav/wav-format.ts';
import { COUNTRY_TONES } from '../../media/tone/tone-plans.ts';

const RATE = 8000;

/** Note frequencies (Hz) of the melody, with beats; 0 is a rest. Pentatonic around C5. */
const MELODY: readonly [number, number][] = [
  [523.25, 1], [587.33, 1], [659.25, 1], [783.99, 2], [659.25, 1], [587.33, 1], [523.25, 2],
  [587.33, 1], [659.25, 1], [880.0, 2], [783.99, 1], [659.25, 1], [587.33, 2], [0, 1],
  [523.25, 1], [659.25, 1], [783.99, 1], [880.0, 1], [783.99, 2], [659.25, 1], [587.33, 1], [523.25, 3], [0, 1],
];
/** The frequencies the melody uses (for tests that recognise it). */
export const MELODY_FREQUENCIES: readonly number[] = [...new Set(MELODY.map(([f]) => f).filter((f) => f > 0))];

const BEAT_S = 0.3;

/** Renders the melody as 16-bit mono PCM at 8 kHz, about -16 dBFS peak. */
export function renderMelody(): Int16Array {
  const total = MELODY.reduce((n, [, beats]) => n + Math.round(beats * BEAT_S * RATE), 0);
  const pcm = new Int16Array(total);
  let at = 0;
  const peak = 0.16 * 32767;
  for (const [freq, beats] of MELODY) {
    const n = Math.round(beats * BEAT_S * RATE);
    if (freq > 0) {
      const attack = Math.round(0.02 * RATE);
      for (let i = 0; i < n; i++) {
        const env = i < attack ? i / attack : Math.exp((-3 * (i - attack)) / n);
        const t = i / RATE;
        // Fundamental plus a quiet octave: a soft, bell-like timbre.
        const s = Math.sin(2 * Math.PI * freq * t) + 0.25 * Math.sin(4 * Math.PI * freq * t);
        pcm[at + i] = Math.round((peak * env * s) / 1.25);
      }
    }
    at += n;
  }
  return pcm;
}

/** Ringback with its cadence (one full cycle), 16-bit mono PCM at 8 kHz, -20 dBFS per tone. */
export function renderRingback(country: 'CN' | 'US'): Int16Array {
  const plan = COUNTRY_TONES[country]!.ringback;
  const [on = 1000, off = 4000] = plan.cadence;
  const n = Math.round(((on + off) / 1000) * RATE);
  const onSamples = Math.round((on / 1000) * RATE);
  const amp = 0.1 * 32767;
  const pcm = new Int16Array(n);
  for (let i = 0; i < onSamples; i++) {
    let s = 0;
    for (const f of plan.frequencies) s += Math.sin((2 * Math.PI * f * i) / RATE);
    pcm[i] = Math.round(amp * s);
  }
  return pcm;
}

export function wavBytes(pcm: Int16Array): Buffer {
  const body = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return Buffer.concat([wavHeader(1, RATE, body.length), body]);
}

export interface SwitchSounds {
  musicOnHold: string;
  queueMusic: string;
  ringback: string;
}

/**
 * Writes the rendered sounds into `dir` (once; existing files are kept) and
 * returns their paths; a configured music file is used as is.
 */
export function prepareSounds(dir: string, opts: { musicOnHold?: string; queueMusic?: string; country?: 'CN' | 'US' } = {}): SwitchSounds {
  mkdirSync(dir, { recursive: true });
  const melody = join(dir, 'music-on-hold.wav');
  if (!existsSync(melody)) writeFileSync(melody, wavBytes(renderMelody()));
  const country = opts.country ?? 'CN';
  const ringback = join(dir, `ringback-${country.toLowerCase()}.wav`);
  if (!existsSync(ringback)) writeFileSync(ringback, wavBytes(renderRingback(country)));
  const moh = opts.musicOnHold ?? melody;
  return { musicOnHold: moh, queueMusic: opts.queueMusic ?? moh, ringback };
}

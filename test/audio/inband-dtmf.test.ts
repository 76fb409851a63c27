// In-band DTMF against real noise (sox) and real speech (espeak-ng).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector.ts';
import { ToneGenerator } from '../../src/media/tone/tone-generator.ts';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { rmsDbfs } from './analysis.ts';
import { speech } from './speech-corpus.ts';

const DIGITS = '0123456789*#ABCD';

function noise(seconds: number, vol: number): Int16Array {
  const wav = execFileSync('sox', ['-n', '-r', '8000', '-b', '16', '-c', '1', '-t', 'wav', '-', 'synth', String(seconds), 'whitenoise', 'vol', String(vol)]);
  return readWav(wav).channels[0]!;
}

function digitsSignal(): Int16Array {
  const g = new ToneGenerator({ levelDbfs: -12 });
  const frames: Int16Array[] = [];
  for (const d of DIGITS) {
    g.dtmf(d);
    for (let i = 0; i < 3; i++) frames.push(g.processInput(160)); // 60 ms tone
    g.stop();
    for (let i = 0; i < 3; i++) frames.push(g.processInput(160)); // 60 ms pause
  }
  const out = new Int16Array(frames.length * 160);
  frames.forEach((f, i) => out.set(f, i * 160));
  return out;
}

function detect(samples: Int16Array): string {
  const det = new InbandDtmfDetector();
  const out: string[] = [];
  for (let off = 0; off < samples.length; off += 160) out.push(...det.processInput(samples.subarray(off, off + 160)).filter((e) => e.type === 'begin').map((e) => e.digit));
  return out.join('');
}

describe('in-band DTMF in noise and speech - TEL-3', () => {
  const tones = digitsSignal();
  it.each([0.01, 0.05, 0.1])('all 16 digits detected in sox white noise at vol %s', (vol) => {
    const n = noise(tones.length / 8000 + 0.1, vol);
    const mixed = Int16Array.from(tones, (v, i) => Math.max(-32768, Math.min(32767, v + n[i]!)));
    const snr = rmsDbfs(tones) - rmsDbfs(n);
    expect(snr).toBeGreaterThan(vol === 0.1 ? 10 : 15);
    expect(detect(mixed)).toBe(DIGITS);
  });

  it('no false digits over about a minute of Mandarin and English speech (espeak-ng)', () => {
    const s = speech(60);
    expect(s.length).toBeGreaterThan(60 * 8000);
    expect(rmsDbfs(s)).toBeGreaterThan(-35);
    expect(detect(s)).toBe('');
  });
});

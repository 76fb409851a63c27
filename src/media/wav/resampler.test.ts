import { describe, expect, it } from 'vitest';
import { toneDbfs } from '../../../test/audio/analysis.ts';
import { resample } from './resampler.ts';

const sine = (f: number, rate: number, seconds: number, a = 10000) => Int16Array.from({ length: rate * seconds }, (_, i) => Math.round(a * Math.sin((2 * Math.PI * f * i) / rate)));

describe('windowed-sinc resampler to 8 kHz - TEL-3', () => {
  it.each([16000, 22050, 44100, 48000])('from %i Hz: keeps 1 kHz, removes what would alias', (rate) => {
    const pass = resample(sine(1000, rate, 1), rate, 8000);
    expect(pass.length).toBe(8000);
    expect(toneDbfs(pass.subarray(400, 7600), 1000)).toBeCloseTo(20 * Math.log10(10000 / 32767), 0);
    // 5 kHz would fold to 3 kHz under naive decimation
    const alias = resample(sine(5000, rate, 1), rate, 8000);
    expect(toneDbfs(alias.subarray(400, 7600), 3000)).toBeLessThan(-70);
  });
});

import { describe, expect, it } from 'vitest';
import { dtmfFrequencies } from '../tone/tone-plans.ts';
import { InbandDtmfDetector } from './inband-dtmf-detector.ts';

function pair(digit: string, ms: number, { dev = 0, db = -12, twist = 0 } = {}): number[] {
  const [lo, hi] = dtmfFrequencies(digit);
  const a = 32767 * 10 ** (db / 20);
  return Array.from({ length: ms * 8 }, (_, i) =>
    Math.round(a * 10 ** (-twist / 40) * Math.sin((2 * Math.PI * lo * (1 + dev) * i) / 8000) + a * 10 ** (twist / 40) * Math.sin((2 * Math.PI * hi * (1 + dev) * i) / 8000 + 1)),
  );
}
const gap = (ms: number) => new Array<number>(ms * 8).fill(0);
function detect(samples: number[], opts = {}): string {
  const det = new InbandDtmfDetector(opts);
  const out: string[] = [];
  // feed in odd-sized chunks: framing must not matter
  for (let off = 0; off < samples.length; off += 97) out.push(...det.processInput(Int16Array.from(samples.slice(off, off + 97))).filter((e) => e.type === 'begin').map((e) => e.digit));
  return out.join('');
}

describe('in-band DTMF detection, ITU-T Q.24 limits - TEL-3', () => {
  it.each([0, 0.015, -0.015])('accepts all 16 digits at %s frequency deviation', (dev) => {
    const s = [...'0123456789*#ABCD'].flatMap((d) => [...pair(d, 60, { dev }), ...gap(60)]);
    expect(detect(s)).toBe('0123456789*#ABCD');
  });

  it.each([0.035, -0.035, 0.05, -0.05])('rejects every digit at %s deviation', (dev) => {
    const s = [...'0123456789*#ABCD'].flatMap((d) => [...pair(d, 60, { dev }), ...gap(60)]);
    expect(detect(s)).toBe('');
  });

  it.each([
    ['normal twist 6 dB', 6, '5'],
    ['normal twist 10 dB', 10, ''],
    ['reverse twist 3 dB', -3, '5'],
    ['reverse twist 6 dB', -6, ''],
  ])('%s', (_n, twist, want) => {
    expect(detect([...pair('5', 80, { twist }), ...gap(50)])).toBe(want);
  });

  it('needs 40 ms of tone and 40 ms of pause: 40/40 gives two digits, 20 ms tone none, a 10 ms break is bridged', () => {
    expect(detect([...pair('7', 40), ...gap(40), ...pair('7', 40), ...gap(40)])).toBe('77');
    expect(detect([...pair('7', 20), ...gap(100)])).toBe('');
    expect(detect([...pair('7', 60), ...gap(10), ...pair('7', 60), ...gap(60)])).toBe('7');
  });

  it('ignores tones below the level floor and single tones', () => {
    expect(detect([...pair('1', 80, { db: -45 }), ...gap(50)])).toBe('');
    const single = Array.from({ length: 640 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 697 * i) / 8000)));
    expect(detect(single)).toBe('');
  });

  it('reports begin and end with duration', () => {
    const det = new InbandDtmfDetector();
    const ev = det.processInput(Int16Array.from([...gap(20), ...pair('9', 100), ...gap(60)]));
    expect(ev.map((e) => e.type)).toEqual(['begin', 'end']);
    const end = ev[1]!;
    expect(end.type === 'end' && Math.abs(end.durationMs - 100)).toBeLessThanOrEqual(10);
    expect(det.toJSON().digits).toBe(1);
  });
});

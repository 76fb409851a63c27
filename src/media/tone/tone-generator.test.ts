import { describe, expect, it } from 'vitest';
import { rmsDbfs, toneDbfs } from '../../../test/audio/analysis.ts';
import { ToneGenerator } from './tone-generator.ts';

function render(g: ToneGenerator, ms: number): Int16Array {
  const out = new Int16Array((ms * 8000) / 1000);
  for (let off = 0; off < out.length; off += 160) out.set(g.processInput(160), off);
  return out;
}
/** On/off pattern in 50 ms steps. */
function pattern(x: Int16Array): string {
  let s = '';
  for (let off = 0; off + 400 <= x.length; off += 400) s += rmsDbfs(x.subarray(off, off + 400)) > -40 ? '#' : '.';
  return s;
}

describe('tone generator (China default, US second) - TEL-3', () => {
  it.each([
    ['CN dial', 'CN', 'dial', [450], '#'.repeat(40)],
    ['CN ringback 1 s on 4 s off', 'CN', 'ringback', [450], '#'.repeat(20) + '.'.repeat(80) + '#'.repeat(20)],
    ['CN busy 0.35/0.35', 'CN', 'busy', [450], '#######.......#######.......'],
    ['CN congestion 0.7/0.7', 'CN', 'congestion', [450], '#'.repeat(14) + '.'.repeat(14) + '#'.repeat(14)],
    ['US busy 480+620 0.5/0.5', 'US', 'busy', [480, 620], '##########..........##########'],
    ['US dial 350+440', 'US', 'dial', [350, 440], '#'.repeat(20)],
  ] as const)('%s', (_n, country, tone, freqs, want) => {
    const g = new ToneGenerator({ country }).progress(tone);
    const x = render(g, want.length * 50);
    expect(pattern(x)).toBe(want);
    const on = x.subarray(0, 1600);
    for (const f of freqs) expect(toneDbfs(on, f)).toBeGreaterThan(-13);
    expect(toneDbfs(on, 1000)).toBeLessThan(-60);
  });

  it('DTMF pairs with twist and continuous phase across frames', () => {
    const g = new ToneGenerator({ levelDbfs: -10, twistDb: 4 }).dtmf('5');
    const x = render(g, 200);
    expect(toneDbfs(x, 770) + 4).toBeCloseTo(toneDbfs(x, 1336), 0);
    expect(toneDbfs(x, 697)).toBeLessThan(-35);
    // no discontinuity at frame seams: neighbouring samples never jump by more than the sine slope allows
    let jump = 0;
    for (let i = 1; i < x.length; i++) jump = Math.max(jump, Math.abs(x[i]! - x[i - 1]!));
    expect(jump).toBeLessThan(2 * Math.PI * 1336 / 8000 * 32767 * 10 ** (-10 / 20) * 2);
    expect(() => new ToneGenerator().dtmf('X')).toThrow(RangeError);
    expect(() => new ToneGenerator({ country: 'ZZ' })).toThrow(RangeError);
  });
});

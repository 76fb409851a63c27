import { describe, expect, it } from 'vitest';
import { PacketLossConcealer } from './packet-loss-concealer.ts';

const sine = (f: number, start: number, n = 160, a = 8000) => Int16Array.from({ length: n }, (_, i) => Math.round(a * Math.sin((2 * Math.PI * f * (start + i)) / 8000)));
const rms = (x: Int16Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('packet-loss concealment (G.711 Appendix I style) - TEL-3', () => {
  it('continues a periodic signal through one lost frame with its pitch, then fades and goes silent', () => {
    const plc = new PacketLossConcealer();
    for (let f = 0; f < 5; f++) plc.processInput(sine(200, f * 160)); // 200 Hz: 40-sample period
    const c1 = plc.processInput(null);
    const truth = sine(200, 5 * 160);
    let err = 0;
    for (let i = 0; i < 80; i++) err = Math.max(err, Math.abs(c1[i]! - truth[i]!));
    expect(err).toBeLessThan(300); // first 10 ms: an exact period repeat
    const levels = [rms(c1)];
    for (let k = 0; k < 3; k++) levels.push(rms(plc.processInput(null)));
    expect(levels[1]!).toBeLessThan(levels[0]!);
    expect(levels[3]!).toBe(0); // 80 ms lost: past the 60 ms limit
    expect(plc.toJSON()).toMatchObject({ concealed: 4, maxBurst: 4 });
  });

  it('passes good frames through untouched and cross-fades only the first after a loss', () => {
    const plc = new PacketLossConcealer();
    const a = sine(300, 0);
    expect(Array.from(plc.processInput(a))).toEqual(Array.from(a));
    plc.processInput(null);
    const b = sine(300, 320);
    const out = plc.processInput(b);
    expect(Array.from(out.subarray(32))).toEqual(Array.from(b.subarray(32)));
    const next = sine(300, 480);
    expect(Array.from(plc.processInput(next))).toEqual(Array.from(next));
  });

  it('conceals silence as silence', () => {
    const plc = new PacketLossConcealer();
    expect(rms(plc.processInput(null))).toBe(0);
  });

  it('writes into a caller buffer when given one, with the same samples as the allocating form', () => {
    const a = new PacketLossConcealer();
    const b = new PacketLossConcealer();
    const out = new Int16Array(160);
    const frames = [sine(250, 0), sine(250, 160), null, null, sine(250, 640), sine(250, 800)];
    for (const f of frames) {
      const expected = Array.from(a.processInput(f));
      const got = b.processInput(f, out);
      expect(got).toBe(out);
      expect(Array.from(got)).toEqual(expected);
    }
  });
});

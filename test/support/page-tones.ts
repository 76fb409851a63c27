/**
 * What a browser page hears, per probe frequency, with a Hann window
 * (DESIGN.md "How audio is checked in tests"). Like page-audio.ts (WebAudio
 * AnalyserNode on the MediaStream of an <audio> element, Goertzel per
 * probe, dBFS with a full-scale sine at 0), but each block is windowed
 * first: with three tones in a mix (a supervised call), a rectangular block
 * leaks a loud tone into a probe a few hundred hertz away at about -36 dB,
 * right at the "absent" line; the Hann window puts that leakage below
 * -80 dB. (The in-page code is a string: the tests' tsconfig has no DOM
 * types.)
 */
import type { Page } from 'playwright-core';

const IN_PAGE = `async ({ selector, hz, duration }) => {
  const el = document.querySelector(selector);
  const stream = el && el.srcObject;
  if (!(stream instanceof MediaStream)) throw new Error(selector + ' plays no MediaStream');
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 4096;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const n = analyser.fftSize;
  const block = new Float32Array(n);
  const win = new Float32Array(n);
  for (let i = 0; i < n; i++) win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  const power = {};
  for (const f of hz) power[f] = 0;
  let blocks = 0;
  const end = Date.now() + duration;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 90));
    analyser.getFloatTimeDomainData(block);
    for (const f of hz) {
      const c = 2 * Math.cos((2 * Math.PI * f) / ctx.sampleRate);
      let s1 = 0, s2 = 0;
      for (let i = 0; i < n; i++) {
        const s0 = block[i] * win[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      // The Hann window's coherent gain is 1/2: amplitude = 2|X| / (n/2).
      const amplitude = (4 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / n;
      power[f] += amplitude * amplitude;
    }
    blocks++;
  }
  await ctx.close();
  const out = {};
  for (const f of hz) out[f] = blocks === 0 ? -999 : Math.round(100 * Math.log10(power[f] / blocks + 1e-20)) / 10;
  return out;
}`;

/** dBFS at each probe frequency of what `audioSelector`'s stream plays, over `ms` (a full-scale sine reads 0, as in page-audio.ts). */
export async function pageToneLevelsHann(page: Page, audioSelector: string, probes: number[], ms: number): Promise<Record<number, number>> {
  const args = JSON.stringify({ selector: audioSelector, hz: probes, duration: ms });
  return (await page.evaluate(`(${IN_PAGE})(${args})`)) as Record<number, number>;
}

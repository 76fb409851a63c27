/**
 * What a browser page hears, analysed in the page (DESIGN.md "How audio is
 * checked in tests"): the MediaStream of an <audio> element (e.g. the far
 * end of a WebRTC call) through WebAudio's AnalyserNode, sampled for a
 * while.
 *   - pageToneLevels: dBFS at each probe frequency (a full-scale sine reads
 *     0), Goertzel on Hann-windowed blocks: with several tones in a mix (or
 *     the hold music's notes), a rectangular block leaks a loud tone into a
 *     probe a few hundred hertz away at about -36 dB, right at the "absent"
 *     line; the window puts that leakage below -80 dB.
 *   - pageSoundShare: the share of short blocks louder than a floor (speech
 *     or music playing).
 * (The in-page code is a string: the tests' tsconfig has no DOM types.)
 */
import type { Page } from 'playwright-core';

/** In-page prelude: `ctx` and `analyser` tapping the element's stream, `block` of fftSize samples. */
const TAP = (fftSize: number) => `
  const el = document.querySelector(selector);
  const stream = el && el.srcObject;
  if (!(stream instanceof MediaStream)) throw new Error(selector + ' plays no MediaStream');
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = ${fftSize};
  ctx.createMediaStreamSource(stream).connect(analyser);
  const n = analyser.fftSize;
  const block = new Float32Array(n);
  const end = Date.now() + duration;
  let blocks = 0;`;

const TONES_IN_PAGE = `async ({ selector, hz, duration }) => {${TAP(4096)}
  const win = new Float32Array(n);
  for (let i = 0; i < n; i++) win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  const power = {};
  for (const f of hz) power[f] = 0;
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

const SOUND_IN_PAGE = `async ({ selector, duration, floor }) => {${TAP(2048)}
  let loud = 0;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 60));
    analyser.getFloatTimeDomainData(block);
    let e = 0;
    for (let i = 0; i < n; i++) e += block[i] * block[i];
    const dbfs = 10 * Math.log10(e / n + 1e-20) + 3.01;
    blocks++;
    if (dbfs > floor) loud++;
  }
  await ctx.close();
  return blocks === 0 ? 0 : loud / blocks;
}`;

/** dBFS at each probe frequency of what `audioSelector`'s stream plays, over `ms`. */
export async function pageToneLevels(page: Page, audioSelector: string, probes: number[], ms: number): Promise<Record<number, number>> {
  const args = JSON.stringify({ selector: audioSelector, hz: probes, duration: ms });
  return (await page.evaluate(`(${TONES_IN_PAGE})(${args})`)) as Record<number, number>;
}

/** Share of short blocks (about 43 ms) of what the page hears that are louder than `floorDbfs` (speech playing: most of them). */
export async function pageSoundShare(page: Page, audioSelector: string, ms: number, floorDbfs = -45): Promise<number> {
  const args = JSON.stringify({ selector: audioSelector, duration: ms, floor: floorDbfs });
  return (await page.evaluate(`(${SOUND_IN_PAGE})(${args})`)) as number;
}

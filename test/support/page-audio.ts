/**
 * What a browser page hears, analysed in the page (DESIGN.md "How audio is
 * checked in tests"): the MediaStream of an <audio> element (e.g. the far
 * end of a WebRTC call) through WebAudio's AnalyserNode, sampled for `ms`
 * and measured with Goertzel at each probe frequency. dBFS per frequency:
 * a full-scale sine is 0 dBFS. (The in-page code is a string: the tests'
 * tsconfig has no DOM types.)
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
  const block = new Float32Array(analyser.fftSize);
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
      for (let i = 0; i < block.length; i++) {
        const s0 = block[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      const amplitude = (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / block.length;
      power[f] += amplitude * amplitude;
    }
    blocks++;
  }
  await ctx.close();
  const out = {};
  for (const f of hz) out[f] = blocks === 0 ? -999 : Math.round(100 * Math.log10(power[f] / blocks + 1e-20)) / 10;
  return out;
}`;

export async function pageToneLevels(page: Page, audioSelector: string, probes: number[], ms: number): Promise<Record<number, number>> {
  const args = JSON.stringify({ selector: audioSelector, hz: probes, duration: ms });
  return (await page.evaluate(`(${IN_PAGE})(${args})`)) as Record<number, number>;
}

const SPEECH_IN_PAGE = `async ({ selector, duration, floor }) => {
  const el = document.querySelector(selector);
  const stream = el && el.srcObject;
  if (!(stream instanceof MediaStream)) throw new Error(selector + ' plays no MediaStream');
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const block = new Float32Array(analyser.fftSize);
  let blocks = 0, loud = 0;
  const end = Date.now() + duration;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 60));
    analyser.getFloatTimeDomainData(block);
    let e = 0;
    for (let i = 0; i < block.length; i++) e += block[i] * block[i];
    const dbfs = 10 * Math.log10(e / block.length + 1e-20) + 3.01;
    blocks++;
    if (dbfs > floor) loud++;
  }
  await ctx.close();
  return blocks === 0 ? 0 : loud / blocks;
}`;

/** Share of short blocks (about 43 ms) of what the page hears that are louder than `floorDbfs` (speech playing: most of them). */
export async function pageSoundShare(page: Page, audioSelector: string, ms: number, floorDbfs = -45): Promise<number> {
  const args = JSON.stringify({ selector: audioSelector, duration: ms, floor: floorDbfs });
  return (await page.evaluate(`(${SPEECH_IN_PAGE})(${args})`)) as number;
}

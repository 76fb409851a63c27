/**
 * How much sound a browser page hears (DESIGN.md "How audio is checked in
 * tests"): the MediaStream of an <audio> element (e.g. the far end of a
 * WebRTC call) through WebAudio's AnalyserNode, sampled for `ms`. Tone
 * levels per probe frequency are in page-tones.ts. (The in-page code is a
 * string: the tests' tsconfig has no DOM types.)
 */
import type { Page } from 'playwright-core';

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

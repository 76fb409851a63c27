// TEL-6: an error ends at most the calls it hit. Killing one media worker
// fails only that worker's legs; the other worker keeps its media flowing and
// a new worker takes the dead one's place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from './engine-protocol.ts';
import { MediaEngine } from './media-engine.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, ok: () => boolean, ms = 10000) {
  for (const end = Date.now() + ms; !ok(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}
let engine: MediaEngine;
const events: EngineEvent[] = [];

beforeAll(async () => {
  engine = new MediaEngine({ workers: 2, rtpPortMin: 32000, rtpPortMax: 32999, bindAddress: '127.0.0.1' });
  await engine.start();
  engine.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await engine.stop();
});

async function packetsIn(legId: string): Promise<number> {
  const legs = (await engine.stats()).flatMap((w) => w.legs);
  return legs.find((l) => l.legId === legId)?.packetsIn ?? -1;
}

/** A call between two legs of one worker, each sending a tone to the other. */
async function call(prefix: string, near?: string) {
  const a = await engine.createLeg({ legId: `${prefix}-a`, near, inbandDtmf: false });
  const b = await engine.createLeg({ legId: `${prefix}-b`, near: a.legId, remote: { address: '127.0.0.1', port: a.localPort }, inbandDtmf: false });
  await engine.updateLeg(a.legId, { remote: { address: '127.0.0.1', port: b.localPort } });
  for (const l of [a, b]) await engine.play({ legId: l.legId }, { kind: 'tone', frequencies: [440], levelDbfs: -20 });
  return { a, b };
}

describe('media engine: a crashed worker loses only its own legs - TEL-6', () => {
  it('kill worker 0: its legs fail, worker 1 keeps flowing, a new worker 0 serves new legs', async () => {
    const one = await call('one');
    const two = await call('two');
    expect(one.a.workerIndex).not.toBe(two.a.workerIndex);
    const victim = one.a.workerIndex;
    const survivor = two.a.legId;
    await sleep(300);
    await engine.killWorker(victim);
    await waitFor('worker-restarted', () => events.some((e) => e.type === 'worker-restarted'));
    const failed = events.filter((e) => e.type === 'leg-failed').map((e) => e.type === 'leg-failed' && e.legId);
    expect(failed.sort()).toEqual(['one-a', 'one-b']);
    expect(events.some((e) => e.type === 'worker-restarted' && e.workerIndex === victim)).toBe(true);
    await expect(engine.destroyLeg('one-a')).rejects.toMatchObject({ code: 'unknown-leg' });
    const before = await packetsIn(survivor);
    await sleep(400);
    const after = await packetsIn(survivor);
    expect(after - before).toBeGreaterThan(12); // ~20 expected in 400 ms at 50 packets/s
    // the new worker takes calls (and the failed legs' ports went back to the pool)
    const three = await call('three', undefined);
    expect(three.a.workerIndex).toBe(victim);
    await sleep(300);
    expect(await packetsIn('three-a')).toBeGreaterThan(5);
  });
});

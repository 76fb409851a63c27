// The tone matrix over the wire (DESIGN.md "How audio is checked in tests"):
// two phones (engine legs of their own, on real UDP sockets over loopback)
// each send their own tone to a leg of a bridge and record what they hear.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { between, toneDbfs } from '../../../test/audio/analysis.ts';
import { readWav } from '../wav/wav-reader.ts';
import type { EngineEvent } from './engine-protocol.ts';
import { MediaEngine } from './media-engine.ts';

const PRESENT = -30;
const ABSENT = -55;
const dir = mkdtempSync(join(tmpdir(), 'engine-bridge-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let engine: MediaEngine;
const events: EngineEvent[] = [];

beforeAll(async () => {
  engine = new MediaEngine({ workers: 2, rtpPortMin: 31000, rtpPortMax: 31999, bindAddress: '127.0.0.1' });
  await engine.start();
  engine.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A phone: a leg of its own sending `freq` to `to`, recording what it receives (channel 0). */
async function phone(name: string, freq: number, to: number) {
  const leg = await engine.createLeg({ legId: name, remote: { address: '127.0.0.1', port: to }, codec: 'PCMA', inbandDtmf: false });
  await engine.play({ legId: leg.legId }, { kind: 'tone', frequencies: [freq], levelDbfs: -12 });
  const path = join(dir, `${name}.wav`);
  const rec = await engine.record({ legId: leg.legId }, path, 'channels');
  return { leg, path, rec };
}

function levelsOf(part: Int16Array, freqs: Record<string, number>) {
  return Object.fromEntries(Object.entries(freqs).map(([k, f]) => [k, toneDbfs(part, f)]));
}

function heard(path: string, fromS: number, toS: number, freqs: Record<string, number>) {
  const rx = readWav(readFileSync(path)).channels[0]!;
  return levelsOf(between(rx, fromS, toS), freqs);
}

function expectHears(levels: Record<string, number>, present: string[]) {
  for (const [who, db] of Object.entries(levels)) {
    if (present.includes(who)) expect(db, `${who} should be heard`).toBeGreaterThan(PRESENT);
    else expect(db, `${who} should not be heard`).toBeLessThan(ABSENT);
  }
}

describe('media engine: a bridge over real UDP - TEL-3, TEL-4, TEL-5, CTI-2', () => {
  it('customer and agent hear each other, not themselves; on hold the customer hears music and the agent still hears the customer', async () => {
    const bridge = await engine.createBridge();
    const c = await engine.createLeg({ legId: 'customer', near: bridge, codec: 'PCMA', inbandDtmf: false });
    const a = await engine.createLeg({ legId: 'agent', near: bridge, codec: 'PCMA', inbandDtmf: false });
    await engine.join(bridge, c.legId);
    await engine.join(bridge, a.legId);
    const tones = { customer: 400, agent: 700, music: 1500 };
    const cp = await phone('customer-phone', tones.customer, c.localPort);
    const ap = await phone('agent-phone', tones.agent, a.localPort);
    // the call recorded on the bridge: one channel per party, and mixed (TEL-5)
    const perParty = join(dir, 'call-channels.wav');
    const mixed = join(dir, 'call-mixed.wav');
    const recCh = await engine.record({ bridgeId: bridge, members: [c.legId, a.legId] }, perParty, 'channels');
    const recMix = await engine.record({ bridgeId: bridge, members: [] }, mixed, 'mixed');
    await sleep(1500);
    await engine.controlRecording(recCh, 'stop');
    await engine.controlRecording(recMix, 'stop');
    await engine.setRole(bridge, c.legId, 'hold');
    await engine.play({ bridgeId: bridge }, { kind: 'wav', path: musicWav(), loop: true });
    await sleep(1500);
    await engine.controlRecording(cp.rec, 'stop');
    await engine.controlRecording(ap.rec, 'stop');
    // talking: skip the first 0.4 s (latching, jitter buffer fill)
    expectHears(heard(cp.path, 0.4, 1.4, tones), ['agent']);
    expectHears(heard(ap.path, 0.4, 1.4, tones), ['customer']);
    const [chCustomer, chAgent] = readWav(readFileSync(perParty)).channels;
    expectHears(levelsOf(between(chCustomer!, 0.4, 1.4), tones), ['customer']);
    expectHears(levelsOf(between(chAgent!, 0.4, 1.4), tones), ['agent']);
    const mono = readWav(readFileSync(mixed));
    expect(mono.channels).toHaveLength(1);
    expectHears(levelsOf(between(mono.channels[0]!, 0.4, 1.4), tones), ['customer', 'agent']);
    // on hold
    expectHears(heard(cp.path, 1.8, 2.8, tones), ['music']);
    expectHears(heard(ap.path, 1.8, 2.8, tones), ['customer']);
    expect(events.filter((e) => e.type === 'latched').map((e) => e.type === 'latched' && e.legId)).toEqual(expect.arrayContaining(['customer', 'agent']));
    const legs = (await engine.stats()).flatMap((w) => w.legs);
    for (const l of legs) expect(l.lostIn, l.legId).toBe(0);
  });

  it('a leg on another worker cannot join the bridge (cross-worker); unknown IDs are typed errors', async () => {
    const bridge = await engine.createBridge();
    const here = engine.workerOf(bridge);
    let other = await engine.createLeg({ inbandDtmf: false });
    while (other.workerIndex === here) other = await engine.createLeg({ inbandDtmf: false });
    await expect(engine.join(bridge, other.legId)).rejects.toMatchObject({ code: 'cross-worker' });
    await expect(engine.destroyLeg('nope')).rejects.toMatchObject({ code: 'unknown-leg' });
    const local = await engine.createLeg({ near: bridge, inbandDtmf: false });
    await engine.join(bridge, local.legId);
    await expect(engine.join(bridge, local.legId)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(engine.play({ legId: local.legId }, { kind: 'wav', path: join(dir, 'missing.wav'), loop: false })).rejects.toMatchObject({ code: 'bad-request' });
  });
});

function musicWav(): string {
  const path = join(dir, 'music.wav');
  // 1 s of a 1500 Hz "music" tone written as a real WAV, looped by the player
  const n = 8000;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 1500 * i) / 8000)), 44 + 2 * i);
  writeFileSync(path, b);
  return path;
}

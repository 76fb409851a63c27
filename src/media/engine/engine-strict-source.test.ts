// Strict-source legs (trunks with a fixed address): the socket is connected
// to the remote from the SDP, so RTP from anyone else never reaches the leg,
// and a new remote from a re-INVITE moves both directions.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import type { LegStats } from './engine-protocol.ts';
import { MediaEngine } from './media-engine.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let engine: MediaEngine;
const sockets: Socket[] = [];

beforeAll(async () => {
  engine = new MediaEngine({ workers: 1, rtpPortMin: 35200, rtpPortMax: 35249, bindAddress: '127.0.0.1' });
  await engine.start();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await engine.stop();
});

async function udp(): Promise<{ s: Socket; port: number; got: Buffer[] }> {
  const s = createSocket('udp4');
  sockets.push(s);
  const got: Buffer[] = [];
  s.on('message', (m) => got.push(m));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { s, port: s.address().port, got };
}

const pcmu = (seq: number) => new RtpPacket({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 7, payload: new Uint8Array(160).fill(0xff) }).serialize();

async function legStats(legId: string): Promise<LegStats> {
  const l = (await engine.stats()).flatMap((w) => w.legs).find((x) => x.legId === legId);
  if (!l) throw new Error(`no stats for ${legId}`);
  return l;
}

describe('strict-source legs - TEL-3, TEL-6', () => {
  it('hears only its remote, sends to it, and follows a new remote', async () => {
    const trunk = await udp();
    const other = await udp();
    const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: trunk.port }, strictSource: true, inbandDtmf: false });
    for (let i = 0; i < 3; i++) trunk.s.send(pcmu(i), leg.localPort, '127.0.0.1');
    for (let i = 0; i < 6; i++) other.s.send(pcmu(100 + i), leg.localPort, '127.0.0.1'); // would latch a symmetric leg
    await sleep(150);
    expect((await legStats(leg.legId)).packetsIn).toBe(3);
    expect(trunk.got.length).toBeGreaterThan(3);
    expect(other.got.length).toBe(0);

    await engine.updateLeg(leg.legId, { remote: { address: '127.0.0.1', port: other.port } });
    await sleep(100);
    const trunkBefore = trunk.got.length;
    other.s.send(pcmu(200), leg.localPort, '127.0.0.1');
    trunk.s.send(pcmu(3), leg.localPort, '127.0.0.1');
    await sleep(150);
    expect((await legStats(leg.legId)).packetsIn).toBe(4);
    expect(other.got.length).toBeGreaterThan(0);
    expect(trunk.got.length - trunkBefore).toBeLessThanOrEqual(1); // at most a frame in flight at the switch
    await engine.destroyLeg(leg.legId);
  });

  it('a remote that goes away (ICMP port unreachable) is not a leg error', async () => {
    const errors: string[] = [];
    const off = engine.onEvent((e) => e.type === 'leg-error' && errors.push(e.message));
    const trunk = await udp();
    const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: trunk.port }, strictSource: true, inbandDtmf: false });
    await sleep(60);
    trunk.s.close();
    sockets.splice(sockets.indexOf(trunk.s), 1);
    await sleep(150);
    off();
    expect(errors).toEqual([]);
    expect((await legStats(leg.legId)).packetsOut).toBeGreaterThan(5); // still running
    await engine.destroyLeg(leg.legId);
  });

  it('without strictSource a leg still hears anyone (asymmetric peers)', async () => {
    const peer = await udp();
    const other = await udp();
    const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: peer.port }, symmetricRtp: false, inbandDtmf: false });
    other.s.send(pcmu(1), leg.localPort, '127.0.0.1');
    await sleep(100);
    expect((await legStats(leg.legId)).packetsIn).toBe(1);
    await engine.destroyLeg(leg.legId);
  });
});

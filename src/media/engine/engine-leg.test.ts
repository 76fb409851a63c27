// One leg's behaviour over real UDP: symmetric RTP latching (phones behind
// NAT), RTP inactivity, RFC 4733 sending and receiving between two legs,
// in-band DTMF detection, and typed refusals.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import type { EngineEvent } from './engine-protocol.ts';
import { MediaEngine } from './media-engine.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let engine: MediaEngine;
const events: EngineEvent[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  engine = new MediaEngine({ workers: 1, rtpPortMin: 34000, rtpPortMax: 34999, bindAddress: '127.0.0.1' });
  await engine.start();
  engine.onEvent((e) => events.push(e));
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

function pcmu(seq: number): Buffer {
  return new RtpPacket({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 42, payload: new Uint8Array(160).fill(0xff) }).serialize();
}

describe('engine leg - TEL-3, TEL-6', () => {
  it('latches to where RTP comes from (NAT), and moves only after 5 packets from a new source', async () => {
    const stale = await udp(); // the address in the SDP: behind NAT, nothing arrives there
    const nat = await udp(); // where the phone's packets really come from
    const intruder = await udp();
    const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: stale.port }, inbandDtmf: false });
    await sleep(100);
    expect(stale.got.length).toBeGreaterThan(0); // sends to the SDP address until it learns better
    for (let i = 0; i < 3; i++) nat.s.send(pcmu(i), leg.localPort, '127.0.0.1');
    await sleep(100);
    const natBefore = nat.got.length;
    expect(natBefore).toBeGreaterThan(0);
    expect(events).toContainEqual({ type: 'latched', legId: leg.legId, remote: { address: '127.0.0.1', port: nat.port } });
    // the phone is quiet now: 60 ms later its leg's socket is no longer locked to it (a later test shows the lock)
    for (let i = 0; i < 40 && (await engine.stats({ legs: true })).flatMap((w) => w.legs).find((l) => l.legId === leg.legId)!.locked; i++) await sleep(50);
    // 4 stray packets from elsewhere do not hijack the stream
    for (let i = 0; i < 4; i++) intruder.s.send(pcmu(100 + i), leg.localPort, '127.0.0.1');
    await sleep(100);
    expect(intruder.got.length).toBe(0);
    expect(nat.got.length).toBeGreaterThan(natBefore);
    // the fifth consecutive one does: the phone really moved (new NAT binding)
    intruder.s.send(pcmu(104), leg.localPort, '127.0.0.1');
    await sleep(100);
    expect(intruder.got.length).toBeGreaterThan(0);
    await engine.destroyLeg(leg.legId);
  });

  it('locks to the latched source while it sends (a burst injected from elsewhere is dropped, not latched), and hears every source again after its silence', async () => {
    const phone = await udp();
    const intruder = await udp();
    // a long unlock silence, so a test process stalled under load cannot unlock the leg mid-test (the default is 60 ms)
    const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: phone.port }, inbandDtmf: false, unlockSilenceMs: 1000 });
    const legStats = async () => (await engine.stats({ legs: true })).flatMap((w) => w.legs).find((l) => l.legId === leg.legId)!;
    let seq = 0;
    const talking = setInterval(() => phone.s.send(pcmu(seq++), leg.localPort, '127.0.0.1'), 20);
    await sleep(200);
    const locked = await legStats();
    expect(locked.locked).toBe(true);
    expect(locked.locks).toBe(1);
    const inBefore = locked.packetsIn;
    // ten packets in a row from elsewhere would move an unlocked leg (five are enough); here the kernel drops them
    for (let i = 0; i < 10; i++) intruder.s.send(pcmu(1000 + i), leg.localPort, '127.0.0.1');
    await sleep(200);
    expect(intruder.got.length).toBe(0);
    const after = await legStats();
    expect(after.packetsIn - inBefore).toBeLessThanOrEqual(12); // the phone's own 10 or so, none of the intruder's
    expect(events).not.toContainEqual({ type: 'latched', legId: leg.legId, remote: { address: '127.0.0.1', port: intruder.port } });
    clearInterval(talking);
    // the phone went quiet (or moved): after the unlock silence every source is heard again
    await sleep(1200);
    expect((await legStats()).locked).toBe(false);
    // the phone's new binding (here the other socket) streams: the leg moves to it and locks again
    let seq2 = 2000;
    const moved = setInterval(() => intruder.s.send(pcmu(seq2++), leg.localPort, '127.0.0.1'), 20);
    await sleep(200);
    expect(events).toContainEqual({ type: 'latched', legId: leg.legId, remote: { address: '127.0.0.1', port: intruder.port } });
    expect(intruder.got.length).toBeGreaterThan(0);
    const relocked = await legStats();
    clearInterval(moved);
    expect(relocked.locked).toBe(true);
    expect(relocked.locks).toBe(2);
    await engine.destroyLeg(leg.legId);
  });

  it('raises inactive once after the configured silence, and again after RTP resumes and stops', async () => {
    const peer = await udp();
    const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: peer.port }, inactivityMs: 200, inbandDtmf: false });
    await sleep(350);
    const mine = () => events.filter((e) => e.type === 'inactive' && e.legId === leg.legId);
    expect(mine()).toHaveLength(1);
    peer.s.send(pcmu(1), leg.localPort, '127.0.0.1');
    await sleep(100);
    expect(mine()).toHaveLength(1);
    await sleep(250);
    expect(mine()).toHaveLength(2);
    await engine.destroyLeg(leg.legId);
  });

  it('RFC 4733 digits sent by one leg are received in order by another', async () => {
    const a = await engine.createLeg({ telephoneEventPt: 101, inbandDtmf: false });
    const b = await engine.createLeg({ telephoneEventPt: 101, inbandDtmf: false, remote: { address: '127.0.0.1', port: a.localPort } });
    await engine.updateLeg(a.legId, { remote: { address: '127.0.0.1', port: b.localPort } });
    await engine.sendDtmf(b.legId, '12*#9D', 80);
    await sleep(1300);
    const got = events.filter((e) => e.type === 'dtmf' && e.legId === a.legId);
    expect(got.map((e) => e.type === 'dtmf' && e.digit).join('')).toBe('12*#9D');
    for (const e of got) expect(e).toMatchObject({ source: 'rfc4733', durationMs: 80 });
  });

  it('detects in-band DTMF in received audio', async () => {
    const a = await engine.createLeg({ inbandDtmf: true });
    const b = await engine.createLeg({ inbandDtmf: false, remote: { address: '127.0.0.1', port: a.localPort } });
    const player = await engine.play({ legId: b.legId }, { kind: 'tone', frequencies: [852, 1477], levelDbfs: -10 });
    await sleep(300);
    await engine.stopPlayer(player);
    await sleep(300);
    expect(events.filter((e) => e.type === 'dtmf' && e.legId === a.legId)).toEqual([expect.objectContaining({ digit: '9', source: 'inband' })]);
  });

  it('leaves in-band detection to legs without RFC 4733: with telephone-event negotiated the tones pass as audio; a re-negotiation without it turns detection on', async () => {
    const a = await engine.createLeg({ inbandDtmf: true, telephoneEventPt: 101 });
    const b = await engine.createLeg({ inbandDtmf: false, remote: { address: '127.0.0.1', port: a.localPort } });
    const tone = async () => {
      const player = await engine.play({ legId: b.legId }, { kind: 'tone', frequencies: [852, 1477], levelDbfs: -10 });
      await sleep(300);
      await engine.stopPlayer(player);
      await sleep(300);
    };
    await tone();
    expect(events.filter((e) => e.type === 'dtmf' && e.legId === a.legId)).toEqual([]);
    await engine.updateLeg(a.legId, { telephoneEventPt: undefined });
    await tone();
    expect(events.filter((e) => e.type === 'dtmf' && e.legId === a.legId)).toEqual([expect.objectContaining({ digit: '9', source: 'inband' })]);
  });

  it.each([
    ['unknown leg', () => engine.updateLeg('leg-none', {}), 'unknown-leg'],
    ['unknown bridge', () => engine.join('bridge-none', 'leg-none'), 'unknown-bridge'],
    ['port in use', async () => {
      const a = await engine.createLeg({ inbandDtmf: false });
      return engine.createLeg({ localPort: a.localPort, inbandDtmf: false });
    }, 'bind-failed'],
    ['stop an unknown player', async () => {
      const a = await engine.createLeg({ inbandDtmf: false });
      return engine.play({ legId: a.legId }, { kind: 'tone', frequencies: [400], levelDbfs: -10 }).then(async (p) => {
        await engine.stopPlayer(p);
        return engine.stopPlayer(p);
      });
    }, 'unknown-player'],
  ] as const)('refuses %s with a typed error', async (_name, fn, code) => {
    await expect(fn()).rejects.toMatchObject({ code });
  });
});

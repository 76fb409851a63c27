import { createSocket } from 'node:dgram';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import type { LegSpec } from './engine-protocol.ts';
import { ipv4Number, ipv4String, parseRtp, RtpLeg } from './rtp-leg.ts';

const payload = Uint8Array.from({ length: 160 }, (_, i) => (i * 7) & 0xff);

describe('leg receive parsing: fast path for the plain header - TEL-3', () => {
  it.each<[string, ConstructorParameters<typeof RtpPacket>[0]]>([
    ['plain PCMU', { payloadType: 0, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0x89abcdef, payload }],
    ['marker and telephone-event', { payloadType: 101, marker: true, sequenceNumber: 7, timestamp: 160, ssrc: 1, payload: Uint8Array.of(5, 0x8a, 0, 160) }],
    ['CSRCs', { payloadType: 8, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [10, 11], payload }],
    ['extension', { payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, extension: { profile: 0xbede, data: new Uint8Array(4) }, payload }],
    ['padding', { payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, padding: RtpPacket.makePadding(4), payload }],
  ])('%s reads as RtpPacket.deserialize reads it', (_name, init) => {
    const wire = new RtpPacket(init).serialize();
    const full = RtpPacket.deserialize(wire);
    const fast = parseRtp(wire)!;
    expect({ pt: fast.payloadType, seq: fast.sequenceNumber, ts: fast.timestamp, ssrc: fast.ssrc, payload: Array.from(fast.payload) }).toEqual({
      pt: full.payloadType,
      seq: full.sequenceNumber,
      ts: full.timestamp,
      ssrc: full.ssrc,
      payload: Array.from(full.payload),
    });
  });

  it.each([
    ['too short', Buffer.from([0x80, 0, 0, 1])],
    ['version 1', Buffer.concat([Buffer.from([0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]), Buffer.alloc(160)])],
    ['CSRC list past the end', Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])],
  ])('%s is not RTP', (_name, wire) => {
    expect(parseRtp(wire)).toBeUndefined();
  });
});

describe('leg addresses as numbers (issue 3)', () => {
  it.each(['0.0.0.0', '127.0.0.1', '10.20.30.40', '192.168.255.1', '255.255.255.255'])('%s round-trips', (a) => {
    expect(ipv4String(ipv4Number(a))).toBe(a);
  });
  it('is the network-order number', () => {
    expect(ipv4Number('1.2.3.4')).toBe(0x01020304);
    expect(ipv4Number('255.0.0.1')).toBe(0xff000001);
  });
});

describe('leg receive buffers are reused safely (issue 3)', () => {
  it('parseRtp fills the object it is given; the payload stays a view of its own datagram', () => {
    const into = parseRtp(new RtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 9, payload }).serialize())!;
    const first = into.payload;
    const again = parseRtp(new RtpPacket({ payloadType: 8, sequenceNumber: 2, timestamp: 320, ssrc: 9, payload: new Uint8Array(160) }).serialize(), into);
    expect(again).toBe(into);
    expect([into.payloadType, into.sequenceNumber, into.timestamp]).toEqual([8, 2, 320]);
    expect(Array.from(first)).toEqual(Array.from(payload)); // what the jitter buffer holds is not overwritten
  });
});

describe('legs keep one hidden class (issue 3)', () => {
  it('after latching, every leg\'s spec still shares one V8 map: its per-frame reads stay monomorphic', async () => {
    // Object-spread copies of the spec got a map per leg once latching added `remote` (V8 gives spread
    // results maps without shared transitions): at hundreds of legs the spec reads went megamorphic and
    // the stub cache's misses allocated in old space every frame. 100 legs are well past where that began.
    setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;
    const legs: RtpLeg[] = [];
    const ports: number[] = [];
    for (let i = 0; i < 100; i++) {
      const spec: LegSpec = { legId: `l${i}`, bindAddress: '127.0.0.1', localPort: 0, codec: 'PCMU', payloadType: 0, inbandDtmf: false, inactivityMs: 0, symmetricRtp: true };
      const leg = new RtpLeg(spec, () => 0, () => undefined);
      ports.push(await leg.open());
      legs.push(leg);
    }
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const wire = new RtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 7, payload }).serialize();
    await Promise.all(ports.map((p) => new Promise<void>((r, j) => peer.send(wire, p, '127.0.0.1', (e) => (e ? j(e) : r())))));
    await new Promise((r) => setTimeout(r, 50));
    for (const l of legs) l.poll();
    try {
      expect(legs.filter((l) => l.remote?.port === peer.address().port).length).toBe(100); // all latched
      const specs = legs.map((l) => (l as unknown as { spec: LegSpec }).spec);
      const maps: unknown[] = [];
      for (const s of specs) if (!maps.some((m) => sameMap(m, s))) maps.push(s);
      expect(maps.length).toBe(1);
    } finally {
      for (const l of legs) l.close();
      peer.close();
    }
  });
});

describe('leg arrival times (issue 3, TEL-3)', () => {
  it('a datagram arrived when it was read minus its age, not at the start of the tick that read it', async () => {
    // The media clock below is a fake that jumps 60 ms between the tick's start and the poll (the sends
    // and the legs before this one take that long in a loaded tick); the datagram's age is real.
    let clock = 1000;
    const events: { type: string; silentMs?: number }[] = [];
    const spec: LegSpec = { legId: 'a', bindAddress: '127.0.0.1', localPort: 0, codec: 'PCMU', payloadType: 0, inbandDtmf: false, inactivityMs: 100, symmetricRtp: true };
    const leg = new RtpLeg(spec, () => clock, (e) => events.push(e));
    const port = await leg.open();
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    try {
      RtpLeg.tickAt(clock);
      const sentAt = performance.now();
      const wire = new RtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 7, payload }).serialize();
      await new Promise<void>((r, j) => peer.send(wire, port, '127.0.0.1', (e) => (e ? j(e) : r())));
      await new Promise((r) => setTimeout(r, 20));
      clock = 1060;
      const age = performance.now() - sentAt; // at least the datagram's age when poll reads it
      leg.poll();
      expect(leg.stats().packetsIn).toBe(1);
      clock = 1180;
      RtpLeg.tickAt(clock);
      leg.receiveFrame();
      const inactive = events.find((e) => e.type === 'inactive');
      // arrival = 1060 - age, so 1180 - arrival = 120 + age; counted from the tick's start it would be 180 + age
      expect(inactive?.silentMs).toBeGreaterThanOrEqual(120);
      expect(inactive!.silentMs!).toBeLessThanOrEqual(Math.round(120 + age) + 2);
      expect(inactive!.silentMs!).toBeLessThan(180);
    } finally {
      leg.close();
      peer.close();
    }
  });
});

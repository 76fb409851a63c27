/**
 * WebRtcTerminator against a second werift peer standing in for the
 * browser (real ICE, DTLS and SRTP on loopback), and a UDP socket in the
 * engine leg's place: RTP both ways, telephone-event kept, offers made and
 * accepted, bad SDP refused with typed errors, close() frees the relay.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { SdpNegotiationError } from '../../protocol/sdp/sdp-errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { isWebRtcSdp } from './webrtc-offer.ts';
import { WebRtcTerminator } from './webrtc-terminator.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** The browser's codecs as Chrome numbers them (opus first, G.711, telephone-event 126). */
function browserPeer(opts: { opusOnly?: boolean } = {}): RTCPeerConnection {
  const audio = [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })];
  if (!opts.opusOnly) {
    audio.push(
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
      new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: 126 }),
    );
  }
  return new RTCPeerConnection({ codecs: { audio }, iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false });
}

async function complete(pc: RTCPeerConnection): Promise<string> {
  while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 20));
  return pc.localDescription!.sdp;
}

async function engineSocket(): Promise<{ socket: Socket; port: number; got: RtpPacket[] }> {
  const socket = createSocket('udp4');
  const got: RtpPacket[] = [];
  socket.on('message', (b) => got.push(RtpPacket.deSerialize(b)));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, port: socket.address().port, got };
}

function rtp(pt: number, seq: number, payload: Buffer): Buffer {
  return new RtpPacket(new RtpHeader({ payloadType: pt, sequenceNumber: seq, timestamp: seq * 160, ssrc: 0x1234, marker: false }), payload).serialize();
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const toClose: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of toClose.splice(0)) await c();
});

function terminator(): WebRtcTerminator {
  const t = new WebRtcTerminator({ logger: silent, extraHostAddresses: ['127.0.0.1'] });
  toClose.push(() => t.closeAll());
  return t;
}

/** Push packets from the engine socket to the relay and from the browser to the terminator until both sides saw some. */
function received(bt: RTCRtpTransceiver): RtpPacket[] {
  const fromEngine: RtpPacket[] = [];
  bt.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((p) => fromEngine.push(p)));
  return fromEngine;
}

async function exchange(bt: RTCRtpTransceiver, fromEngine: RtpPacket[], engine: Awaited<ReturnType<typeof engineSocket>>, relay: { address: string; port: number }, enginePt: number) {
  const track = new MediaStreamTrack({ kind: 'audio' });
  bt.sender.replaceTrack(track);
  let seq = 1;
  const timer = setInterval(() => {
    seq++;
    engine.socket.send(rtp(enginePt, seq, Buffer.alloc(160, 0x55)), relay.port, relay.address);
    track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160 }), Buffer.alloc(160, 0x2a)));
  }, 20);
  try {
    await until(() => fromEngine.length >= 5 && engine.got.length >= 5);
  } finally {
    clearInterval(timer);
  }
  return fromEngine;
}

describe('WebRtcTerminator (TEL-2)', () => {
  it('answers a browser offer and relays RTP both ways; telephone-event keeps the agreed payload type', async () => {
    const t = terminator();
    const engine = await engineSocket();
    const browser = browserPeer();
    toClose.push(() => browser.close(), () => engine.socket.close());
    const bt = browser.addTransceiver('audio', { direction: 'sendrecv' });
    const fromEngine = received(bt);
    await browser.setLocalDescription(await browser.createOffer());
    const offer = await complete(browser);
    expect(isWebRtcSdp(offer)).toBe(true);

    const media = await t.answer('leg-1', offer, { address: '127.0.0.1', port: engine.port });
    expect(media.codec).toBe('PCMU');
    expect(media.payloadType).toBe(0);
    expect(media.telephoneEventPt).toBe(126);
    expect(media.remoteHold).toBe(false);
    expect(media.sdp).toMatch(/a=candidate:/);
    expect(media.sdp).toMatch(/a=fingerprint:/);
    expect(media.sdp).not.toMatch(/opus/i);
    await browser.setRemoteDescription({ type: 'answer', sdp: media.sdp });
    await until(() => browser.connectionState === 'connected');

    await exchange(bt, fromEngine, engine, media.relay, 0);
    expect(fromEngine[0]!.header.payloadType).toBe(0);
    expect(fromEngine[0]!.payload.equals(Buffer.alloc(160, 0x55))).toBe(true);
    expect(engine.got[0]!.header.payloadType).toBe(0);
    expect(engine.got[0]!.payload.equals(Buffer.alloc(160, 0x2a))).toBe(true);

    // An RFC 4733 event from the browser reaches the engine leg with its payload type.
    const before = engine.got.length;
    const event = Buffer.from([5, 0x80 | 10, 0x03, 0x20]); // digit 5, end, volume 10, duration 800
    await bt.sender.dtlsTransport.sendRtp(event, new RtpHeader({ payloadType: 126, sequenceNumber: 999, timestamp: 1, ssrc: bt.sender.ssrc, marker: true }));
    await until(() => engine.got.slice(before).some((p) => p.header.payloadType === 126));
    const ev = engine.got.slice(before).find((p) => p.header.payloadType === 126)!;
    expect(ev.payload[0]).toBe(5);
    expect(t.stats('leg-1')!.dtmfToEngine).toBe(1);

    expect(t.stats('leg-1')!.toBrowser).toBeGreaterThanOrEqual(5);
  }, 30_000);

  it('garbage on the ICE ports and the relay port neither breaks the session nor throws', async () => {
    const t = terminator();
    const engine = await engineSocket();
    const browser = browserPeer();
    toClose.push(() => browser.close(), () => engine.socket.close());
    const bt = browser.addTransceiver('audio', { direction: 'sendrecv' });
    const fromEngine = received(bt);
    await browser.setLocalDescription(await browser.createOffer());
    const media = await t.answer('leg-g', await complete(browser), { address: '127.0.0.1', port: engine.port });
    await browser.setRemoteDescription({ type: 'answer', sdp: media.sdp });
    await until(() => browser.connectionState === 'connected');
    const ports = [...media.sdp.matchAll(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/g)].map((m) => Number(m[1]));
    expect(ports.length).toBeGreaterThan(0);
    const noise = createSocket('udp4');
    toClose.push(() => noise.close());
    await new Promise<void>((r) => noise.bind(0, '127.0.0.1', r));
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let i = 0; i < 300; i++) {
      const len = 1 + (rand() % 200);
      const buf = Buffer.from(Array.from({ length: len }, rand));
      if (i % 3 === 0) buf[0] = 0x80 | (buf[0]! & 0x3f); // looks like RTP
      if (i % 3 === 1) buf[0] = 20 + (buf[0]! % 44); // looks like DTLS
      for (const p of ports) noise.send(buf, p, '127.0.0.1');
      noise.send(buf, media.relay.port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(browser.connectionState).toBe('connected');
    await exchange(bt, fromEngine, engine, media.relay, 0);
    expect(engine.got.every((p) => p.header.payloadType === 0)).toBe(true);
    // DTLS- and RTP-looking datagrams from an address ICE never validated were dropped before werift saw them.
    expect(t.stats('leg-g')!.unvalidatedDropped).toBeGreaterThan(100);
  }, 30_000);

  it('a hold re-offer (sendonly) is answered recvonly and reported as hold', async () => {
    const t = terminator();
    const engine = await engineSocket();
    const browser = browserPeer();
    toClose.push(() => browser.close(), () => engine.socket.close());
    const bt = browser.addTransceiver('audio', { direction: 'sendrecv' });
    await browser.setLocalDescription(await browser.createOffer());
    const first = await t.answer('leg-h', await complete(browser), { address: '127.0.0.1', port: engine.port });
    await browser.setRemoteDescription({ type: 'answer', sdp: first.sdp });
    await until(() => browser.connectionState === 'connected');
    bt.setDirection('sendonly');
    await browser.setLocalDescription(await browser.createOffer());
    const held = await t.answer('leg-h', browser.localDescription!.sdp);
    expect(held.remoteHold).toBe(true);
    expect(held.sdp).toMatch(/a=recvonly/);
    await browser.setRemoteDescription({ type: 'answer', sdp: held.sdp });
    expect(browser.connectionState).toBe('connected');
  }, 30_000);

  it('makes an offer (for a browser we call) and takes its answer', async () => {
    const t = terminator();
    const engine = await engineSocket();
    const browser = browserPeer();
    toClose.push(() => browser.close(), () => engine.socket.close());
    const offer = await t.offer('leg-2', { address: '127.0.0.1', port: engine.port });
    expect(offer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 8 101/m);
    expect(offer).toMatch(/a=rtpmap:101 telephone-event\/8000/);
    expect(offer).toMatch(/a=candidate:/);
    let bt: RTCRtpTransceiver | undefined;
    let fromEngine: RtpPacket[] = [];
    browser.onTransceiverAdded.subscribe((x) => {
      bt = x;
      fromEngine = received(x);
    });
    await browser.setRemoteDescription({ type: 'offer', sdp: offer });
    await browser.setLocalDescription(await browser.createAnswer());
    const answer = await complete(browser);
    const media = await t.accept('leg-2', answer);
    expect(media.codec).toBe('PCMU');
    expect(media.telephoneEventPt).toBe(101);
    await until(() => browser.connectionState === 'connected');
    await exchange(bt!, fromEngine, engine, media.relay, 0);
  }, 30_000);

  it('refuses bad offers with typed errors and leaves no session behind', async () => {
    const t = terminator();
    const bad = async (sdp: string) => {
      const err = await t.answer('x', sdp, { address: '127.0.0.1', port: 9 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SdpNegotiationError);
      return (err as SdpNegotiationError).code;
    };
    expect(await bad('garbage')).toBe('malformed');
    expect(await bad('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n')).toBe('no-audio');
    expect(await bad('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\n')).toBe('malformed');
    const opus = browserPeer({ opusOnly: true });
    toClose.push(() => opus.close());
    opus.addTransceiver('audio', { direction: 'sendrecv' });
    await opus.setLocalDescription(await opus.createOffer());
    expect(await bad(await complete(opus))).toBe('no-common-codec');
    expect(t.openSessions).toBe(0);
  }, 30_000);

  it('close() while an answer or offer is being made ends it: the call fails and no session is left', async () => {
    const t = terminator();
    const browser = browserPeer();
    toClose.push(() => browser.close());
    browser.addTransceiver('audio', { direction: 'sendrecv' });
    await browser.setLocalDescription(await browser.createOffer());
    const offer = await complete(browser);
    for (const delay of [0, 1, 5, 20]) {
      const answering = t.answer(`a${delay}`, offer, { address: '127.0.0.1', port: 9 });
      const offering = t.offer(`o${delay}`, { address: '127.0.0.1', port: 9 });
      await new Promise((r) => setTimeout(r, delay));
      t.close(`a${delay}`);
      t.close(`o${delay}`);
      const outcomes = await Promise.allSettled([answering, offering]);
      // Closed at once: both fail; later, a finished one may have won the race, but nothing stays open either way.
      if (delay === 0) expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(t.openSessions).toBe(0);
    }
  }, 30_000);

  it('close() frees the relay socket and the peer connection', async () => {
    const t = terminator();
    const offer = await t.offer('leg-3', { address: '127.0.0.1', port: 9 });
    expect(offer).toMatch(/a=fingerprint:/);
    expect(t.openSessions).toBe(1);
    t.close('leg-3');
    t.close('leg-3');
    expect(t.openSessions).toBe(0);
    await expect(t.accept('leg-3', offer)).rejects.toThrow(/no session/);
  }, 30_000);
});

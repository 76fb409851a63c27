/**
 * Browser legs through the gateway (TEL-2) with the real WebRtcTerminator
 * and a werift peer as the browser: a WebRTC INVITE is answered with
 * werift's answer and the engine leg pointed at the relay, a bad WebRTC
 * offer gets 488, a hold re-INVITE is answered by the terminator, an
 * outbound call to a contact registered over ws carries a WebRTC offer and
 * a plain one to the phone beside it, and the leg's end closes the session.
 */
import { parse } from 'sdp-transform';
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { WebRtcTerminator } from '../../media/webrtc/webrtc-terminator.ts';
import type { Flow } from '../../sip/transport/transport.ts';
import { quiet } from '../../sip/stack/test-support.ts';
import { HOST, binding, reply, settle, setup, sipRequest } from './test-support.ts';

const BROWSER: Flow = { protocol: 'ws', local: { address: HOST, port: 5066 }, remote: { address: '198.51.100.7', port: 50123 }, connectionId: 'ws1' };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function browserPeer(): RTCPeerConnection {
  const audio = [
    new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: 126 }),
  ];
  const pc = new RTCPeerConnection({ codecs: { audio }, iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false });
  cleanups.push(() => pc.close());
  return pc;
}

async function until<T>(get: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function sdpOf(pc: RTCPeerConnection): Promise<string> {
  await until(() => pc.iceGatheringState === 'complete' || undefined);
  return pc.localDescription!.sdp;
}

function gateway() {
  const webrtc = new WebRtcTerminator({ logger: quiet, extraHostAddresses: ['127.0.0.1'] });
  cleanups.push(() => webrtc.closeAll());
  return { s: setup({ webrtc, engineAddress: '127.0.0.1' }), webrtc };
}

describe('SIP gateway browser legs (TEL-2)', () => {
  it('a WebRTC INVITE is answered with the terminator\'s answer; the engine leg goes to the relay; hold re-INVITE; BYE closes the session', async () => {
    const { s, webrtc } = gateway();
    const browser = browserPeer();
    browser.addTransceiver('audio', { direction: 'sendrecv' });
    await browser.setLocalDescription(await browser.createOffer());
    s.inject(sipRequest('INVITE', { branch: 'z9hG4bKw1', body: await sdpOf(browser) }), BROWSER);
    await settle();
    const inbound = s.events.find((e) => e.type === 'inbound');
    expect(inbound?.type).toBe('inbound');
    const legId = inbound!.type === 'inbound' ? inbound!.call.legId : '';
    expect(s.media.legs.get(legId)!.remote).toBeUndefined();

    const done = s.gateway.answer(legId);
    const ok = await until(() => s.responses('INVITE').find((r) => r.status === 200));
    const answer = ok.body.toString();
    expect(parse(answer).media[0]!.protocol).toBe('UDP/TLS/RTP/SAVPF');
    expect(answer).toMatch(/a=candidate:.* 127\.0\.0\.1 /);
    expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 8 126/m);
    expect(s.media.legs.get(legId)).toMatchObject({ remote: { address: '127.0.0.1' }, codec: 'PCMA' });
    expect(webrtc.openSessions).toBe(1);
    const toTag = /tag=([^;>]+)/.exec(ok.headers.get('To')!)![1]!;
    s.inject(sipRequest('ACK', { branch: 'z9hG4bKw1a', toTag }), BROWSER);
    await done;
    await browser.setRemoteDescription({ type: 'answer', sdp: answer });
    await until(() => browser.connectionState === 'connected' || undefined);

    // Hold from the browser: a sendonly re-offer, answered recvonly by the terminator.
    browser.getTransceivers()[0]!.setDirection('sendonly');
    await browser.setLocalDescription(await browser.createOffer());
    s.inject(sipRequest('INVITE', { branch: 'z9hG4bKw2', cseq: 2, toTag, body: browser.localDescription!.sdp }), BROWSER);
    const held = await until(() => s.responses('INVITE').find((r) => r.status === 200 && (r.headers.get('CSeq') ?? '').startsWith('2 ')));
    expect(held.body.toString()).toMatch(/a=recvonly/);
    expect(s.events).toContainEqual({ type: 'remote-hold', legId, held: true });
    s.inject(sipRequest('ACK', { branch: 'z9hG4bKw2a', cseq: 2, toTag }), BROWSER);

    s.inject(sipRequest('BYE', { branch: 'z9hG4bKw3', cseq: 3, toTag }), BROWSER);
    await settle();
    expect(s.events.at(-1)).toEqual({ type: 'hangup', legId, cause: 'bye' });
    expect(webrtc.openSessions).toBe(0);
  }, 30_000);

  it('a WebRTC offer without DTLS fingerprint gets 488 and no leg; without the port WebRTC gets 488 as before', async () => {
    const { s } = gateway();
    const bad = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n';
    s.inject(sipRequest('INVITE', { branch: 'z9hG4bKb1', body: bad }), BROWSER);
    await settle();
    expect(s.responses('INVITE').map((r) => r.status)).toEqual([488]);
    expect(s.events).toEqual([]);

    const plain = setup();
    const browser = browserPeer();
    browser.addTransceiver('audio', { direction: 'sendrecv' });
    await browser.setLocalDescription(await browser.createOffer());
    plain.inject(sipRequest('INVITE', { branch: 'z9hG4bKb2', body: await sdpOf(browser) }), BROWSER);
    await settle();
    expect(plain.responses('INVITE').map((r) => r.status)).toEqual([488]);
  }, 30_000);

  it('dialling an extension registered over ws and over udp: WebRTC offer to the browser, plain RTP to the phone; the browser\'s 2xx goes to the terminator', async () => {
    const { s, webrtc } = gateway();
    await s.registrations.put(binding('sip:8001@hotline', 'sip:abc@df7jal23ls0d.invalid;transport=ws', '198.51.100.7', 50123, 'ws'));
    await s.registrations.put(binding('sip:8001@hotline', 'sip:8001@10.0.0.21:5070', '198.51.100.21', 5070, 'udp', 1_700_000_000_500));
    await s.gateway.dial('out-1', { kind: 'extension', extension: '8001' }, { callerId: { number: '95000' } });
    await settle();
    const invites = s.requests('INVITE');
    const toBrowser = invites.find((r) => r.uri.includes('.invalid'))!;
    const toPhone = invites.find((r) => r.uri.includes('10.0.0.21'))!;
    expect(toBrowser.body.toString()).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 8 101/m);
    expect(toPhone.body.toString()).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(webrtc.openSessions).toBe(1);

    const browser = browserPeer();
    await browser.setRemoteDescription({ type: 'offer', sdp: toBrowser.body.toString() });
    await browser.setLocalDescription(await browser.createAnswer());
    s.inject(reply(toBrowser, 200, { toTag: 'br1', body: await sdpOf(browser), contact: 'sip:abc@df7jal23ls0d.invalid;transport=ws' }), BROWSER);
    await settle();
    expect(s.events.map((e) => e.type)).toContain('answered');
    await until(() => (s.media.legs.get('out-1')!.remote?.address === '127.0.0.1' ? true : undefined));
    expect(s.media.legs.get('out-1')!.codec).toBe('PCMA');
    await until(() => browser.connectionState === 'connected' || undefined);

    s.gateway.hangup('out-1', 'normal');
    expect(s.requests('BYE')).toHaveLength(1);
    expect(webrtc.openSessions).toBe(0);
  }, 30_000);
});

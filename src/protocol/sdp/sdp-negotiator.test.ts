import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { acceptAnswer, capabilities, createOffer, negotiate } from './sdp-negotiator.ts';

const local = capabilities({ address: '192.0.2.10', port: 20000 });

function offer(lines: string[], session = ['c=IN IP4 198.51.100.7']): string {
  return ['v=0', 'o=alice 1 1 IN IP4 198.51.100.7', 's=-', ...session, 't=0 0', ...lines, ''].join('\r\n');
}

const pcmuPcmaTe = ['m=audio 4000 RTP/AVP 0 8 101', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:30'];

function ok(r: ReturnType<typeof negotiate>) {
  if (!r.ok) throw r.error;
  return r;
}

describe('SDP offer/answer (RFC 3264) - TEL-3, CTI-2', () => {
  it('answers a plain G.711 offer with the offerer first codec, telephone-event and our ptime', () => {
    const r = ok(negotiate(offer(pcmuPcmaTe), local));
    expect(r.audio).toMatchObject({ codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 101, remoteAddress: '198.51.100.7', remotePort: 4000, remotePtime: 30, direction: 'sendrecv', remoteHold: false, rtcpMux: false });
    const a = parse(r.answer);
    expect(a.media).toHaveLength(1);
    expect(a.media[0]!.port).toBe(20000);
    expect(a.media[0]!.payloads).toBe('0 101');
    expect(a.media[0]!.fmtp).toEqual([{ payload: 101, config: '0-15' }]);
    expect(a.media[0]!.ptime).toBe(20);
    expect(a.media[0]!.direction).toBe('sendrecv');
    expect(a.connection).toEqual({ version: 4, ip: '192.0.2.10' });
  });

  it.each([
    ['offerer preference', 'offerer', ['PCMU', 'PCMA'], 'm=audio 4000 RTP/AVP 8 0', 'PCMA'],
    ['local preference', 'local', ['PCMU', 'PCMA'], 'm=audio 4000 RTP/AVP 8 0', 'PCMU'],
    ['only A-law locally', 'offerer', ['PCMA'], 'm=audio 4000 RTP/AVP 0 8', 'PCMA'],
    ['dynamic PT named PCMA', 'offerer', ['PCMU', 'PCMA'], 'm=audio 4000 RTP/AVP 96\r\na=rtpmap:96 pcma/8000', 'PCMA'],
  ] as const)('codec choice: %s', (_n, preference, codecs, mline, want) => {
    const r = ok(negotiate(offer([mline]), { ...local, preference, codecs: [...codecs] }));
    expect(r.audio.codec).toBe(want);
    expect(r.audio.telephoneEventPayloadType).toBeUndefined();
    expect(parse(r.answer).media[0]!.rtp.map((x) => x.codec.toUpperCase())).toEqual([want]);
  });

  it('no common codec is a typed error that maps to 488', () => {
    const r = negotiate(offer(['m=audio 4000 RTP/AVP 9 18', 'a=rtpmap:9 G722/8000', 'a=rtpmap:18 G729/8000']), local);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('no-common-codec');
    expect(r.error.sipStatus).toBe(488);
  });

  it('a PCMU at the wrong clock rate is not a common codec', () => {
    const r = negotiate(offer(['m=audio 4000 RTP/AVP 97', 'a=rtpmap:97 PCMU/16000']), local);
    expect(r.ok ? 'ok' : r.error.code).toBe('no-common-codec');
  });

  it.each([
    ['sendonly (hold)', 'a=sendonly', 'recvonly', true],
    ['inactive', 'a=inactive', 'inactive', true],
    ['recvonly', 'a=recvonly', 'sendonly', false],
    ['sendrecv (resume)', 'a=sendrecv', 'sendrecv', false],
  ])('hold offers: %s is answered %s', (_n, attr, want, hold) => {
    const r = ok(negotiate(offer([...pcmuPcmaTe, attr]), local));
    expect(r.audio.direction).toBe(want);
    expect(r.audio.remoteHold).toBe(hold);
    expect(parse(r.answer).media[0]!.direction).toBe(want);
  });

  it('session-level direction and RFC 2543 hold (c=0.0.0.0)', () => {
    const sess = ok(negotiate(offer(pcmuPcmaTe, ['c=IN IP4 198.51.100.7', 'a=sendonly']), local));
    expect(sess.audio.direction).toBe('recvonly');
    const old = ok(negotiate(offer(pcmuPcmaTe, ['c=IN IP4 0.0.0.0']), local));
    expect(old.audio.remoteHold).toBe(true);
    expect(old.audio.direction).toBe('recvonly');
  });

  it('our own hold (sendonly) intersects with the offer', () => {
    const r = ok(negotiate(offer(pcmuPcmaTe), { ...local, direction: 'sendonly' }));
    expect(r.audio.direction).toBe('sendonly');
    const both = ok(negotiate(offer([...pcmuPcmaTe, 'a=sendonly']), { ...local, direction: 'sendonly' }));
    expect(both.audio.direction).toBe('inactive');
  });

  it('rejected streams (port 0) stay rejected, and a later audio stream is used', () => {
    const r = ok(negotiate(offer(['m=audio 0 RTP/AVP 0', 'm=audio 5000 RTP/AVP 8']), local));
    expect(r.audio.mediaIndex).toBe(1);
    expect(r.audio.codec).toBe('PCMA');
    expect(parse(r.answer).media.map((m) => m.port)).toEqual([0, 20000]);
  });

  it('only audio is accepted among several m-lines; the answer keeps their number and order', () => {
    const r = ok(negotiate(offer(['m=video 6000 RTP/AVP 96', 'a=rtpmap:96 H264/90000', ...pcmuPcmaTe, 'm=audio 7000 RTP/AVP 0', 'm=application 8000 UDP/BFCP *']), local));
    expect(r.audio.mediaIndex).toBe(1);
    const a = parse(r.answer);
    expect(a.media.map((m) => [m.type, m.port])).toEqual([
      ['video', 0],
      ['audio', 20000],
      ['audio', 0],
      ['application', 0],
    ]);
  });

  it('an offer without audio is 488 no-audio; secure RTP profiles are not accepted', () => {
    const v = negotiate(offer(['m=video 6000 RTP/AVP 96']), local);
    expect(v.ok ? 'ok' : [v.error.code, v.error.sipStatus]).toEqual(['no-audio', 488]);
    const s = negotiate(offer(['m=audio 6000 RTP/SAVP 0']), local);
    expect(s.ok ? 'ok' : s.error.code).toBe('no-audio');
  });

  it('IPv6 c= lines: remote address read, our IPv6 address answered', () => {
    const r = ok(negotiate(offer(pcmuPcmaTe, ['c=IN IP6 2001:db8::7']), { ...local, address: '2001:db8::10' }));
    expect(r.audio.remoteAddress).toBe('2001:db8::7');
    expect(r.answer).toContain('c=IN IP6 2001:db8::10');
    expect(r.answer).toContain('o=hotline 1 1 IN IP6 2001:db8::10');
    const media = ok(negotiate(offer(['m=audio 4000 RTP/AVP 0', 'c=IN IP6 2001:db8::8'], []), local));
    expect(media.audio.remoteAddress).toBe('2001:db8::8');
  });

  it('rtcp-mux is accepted only when both sides want it', () => {
    expect(ok(negotiate(offer([...pcmuPcmaTe, 'a=rtcp-mux']), local)).answer).toContain('a=rtcp-mux');
    const off = ok(negotiate(offer([...pcmuPcmaTe, 'a=rtcp-mux']), { ...local, rtcpMux: false }));
    expect(off.audio.rtcpMux).toBe(false);
    expect(off.answer).not.toContain('rtcp-mux');
  });

  it('telephone-event is left out when we do not support it', () => {
    const r = ok(negotiate(offer(pcmuPcmaTe), { ...local, telephoneEvent: false }));
    expect(r.audio.telephoneEventPayloadType).toBeUndefined();
    expect(r.answer).not.toContain('telephone-event');
  });

  it.each([
    ['not SDP', 'hello'],
    ['no c= anywhere', ['v=0', 'o=a 1 1 IN IP4 1.2.3.4', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n')],
    ['bad port', offer(['m=audio 99999 RTP/AVP 0'])],
  ])('malformed offers are typed 400 errors: %s', (_n, text) => {
    const r = negotiate(text, local);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.sipStatus).toBe(400);
  });

  it('createOffer and acceptAnswer close the loop between two Hotline sides', () => {
    const a = capabilities({ address: '192.0.2.1', port: 30000, codecs: ['PCMA', 'PCMU'], direction: 'sendonly' });
    const b = capabilities({ address: '192.0.2.2', port: 40000 });
    const o = createOffer(a);
    expect(o).toContain('m=audio 30000 RTP/AVP 8 0 101');
    const answered = ok(negotiate(o, b));
    expect(answered.audio).toMatchObject({ codec: 'PCMA', direction: 'recvonly', remoteHold: true, rtcpMux: true, remotePort: 30000 });
    const back = acceptAnswer(answered.answer, a);
    expect(back.ok && back.audio).toMatchObject({ codec: 'PCMA', telephoneEventPayloadType: 101, direction: 'sendonly', remoteAddress: '192.0.2.2', remotePort: 40000 });
    const rejected = acceptAnswer(answered.answer.replace('m=audio 40000', 'm=audio 0'), a);
    expect(rejected.ok ? 'ok' : rejected.error.code).toBe('no-audio');
  });
});

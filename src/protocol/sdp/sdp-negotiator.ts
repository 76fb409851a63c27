import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import {
  DEFAULT_CAPABILITIES,
  type G711Codec,
  type MediaCapabilities,
  type MediaDirection,
  type NegotiatedAudio,
  STATIC_PAYLOAD_TYPES,
} from './media-capabilities.ts';
import { SdpNegotiationError } from './sdp-errors.ts';

/**
 * SDP offer/answer for G.711 audio (RFC 3264) on sdp-transform, as pure
 * functions of strings and capabilities.
 *
 * Answering (RFC 3264 section 6): the answer has one m-line per offered
 * m-line, in the same order. The first audio RTP/AVP stream with a common
 * codec is accepted; every other stream (video, a second audio, port 0 in the
 * offer) is rejected with port 0. Payload type numbers are the offerer's.
 * Direction is the mirror of the offer's, intersected with ours.
 */
export type NegotiationResult = { ok: true; answer: string; audio: NegotiatedAudio } | { ok: false; error: SdpNegotiationError };

export function capabilities(init: Partial<MediaCapabilities> & Pick<MediaCapabilities, 'address' | 'port'>): MediaCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...init };
}

export function negotiate(offer: string, local: MediaCapabilities): NegotiationResult {
  try {
    return negotiateOrThrow(offer, local);
  } catch (e) {
    if (e instanceof SdpNegotiationError) return { ok: false, error: e };
    return { ok: false, error: new SdpNegotiationError('malformed', e instanceof Error ? e.message : String(e)) };
  }
}

/** Builds our offer (we list our codecs, telephone-event as PT 101). */
export function createOffer(local: MediaCapabilities): string {
  const pts: Offered[] = local.codecs.map((c) => ({ payload: STATIC_PAYLOAD_TYPES[c], codec: c, rate: 8000 }));
  if (local.telephoneEvent) pts.push({ payload: 101, codec: 'telephone-event', rate: 8000 });
  return write(session(local, [audioSection(local, pts, local.direction, local.rtcpMux)]));
}

/** Reads the peer's answer to our offer into the negotiated stream. */
export function acceptAnswer(answer: string, local: MediaCapabilities): NegotiationResult {
  try {
    const sdp = parseSdp(answer);
    const index = sdp.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
    if (index < 0) throw new SdpNegotiationError('no-audio', 'the answer rejected the audio stream');
    const m = sdp.media[index]!;
    const pick = chooseCodec(offeredCodecs(m), local.codecs, 'offerer');
    if (!pick) throw new SdpNegotiationError('no-common-codec', 'the answer holds none of our codecs');
    const remoteDir = m.direction ?? sdp.direction ?? 'sendrecv';
    const audio = describe(sdp, m, index, pick, telephoneEventPt(m, local), intersect(local.direction, mirror(remoteDir)), Boolean(m.rtcpMux && local.rtcpMux));
    return { ok: true, answer, audio };
  } catch (e) {
    if (e instanceof SdpNegotiationError) return { ok: false, error: e };
    return { ok: false, error: new SdpNegotiationError('malformed', String(e)) };
  }
}

function negotiateOrThrow(offer: string, local: MediaCapabilities): NegotiationResult {
  const sdp = parseSdp(offer);
  let accepted: { index: number; codec: { codec: G711Codec; payload: number }; te: number | undefined } | undefined;
  let sawAudio = false;
  sdp.media.forEach((m, index) => {
    if (accepted || m.type !== 'audio' || m.port === 0 || !/^RTP\/AVP$/i.test(m.protocol)) return;
    sawAudio = true;
    const codec = chooseCodec(offeredCodecs(m), local.codecs, local.preference);
    if (codec) accepted = { index, codec, te: telephoneEventPt(m, local) };
  });
  if (!accepted) {
    if (!sawAudio) throw new SdpNegotiationError('no-audio', 'the offer has no usable RTP/AVP audio stream');
    throw new SdpNegotiationError('no-common-codec', `none of ${local.codecs.join(', ')} offered`);
  }
  const m = sdp.media[accepted.index]!;
  const offerDir: MediaDirection = m.direction ?? sdp.direction ?? 'sendrecv';
  const answerDir = intersect(local.direction, mirror(offerDir));
  const rtcpMux = Boolean(m.rtcpMux) && local.rtcpMux;
  const audio = describe(sdp, m, accepted.index, accepted.codec, accepted.te, answerDir, rtcpMux);

  const media = sdp.media.map((om, i): MediaDescription => {
    if (i !== accepted!.index) return { type: om.type, port: 0, protocol: om.protocol, payloads: om.payloads ?? '', rtp: [], fmtp: [] };
    const pts: Offered[] = [{ payload: accepted!.codec.payload, codec: accepted!.codec.codec, rate: 8000 }];
    if (accepted!.te !== undefined) pts.push({ payload: accepted!.te, codec: 'telephone-event', rate: 8000 });
    return audioSection(local, pts, answerDir, rtcpMux);
  });
  return { ok: true, answer: write(session(local, media)), audio };
}

function parseSdp(text: string): SessionDescription {
  if (!/^v=0\r?$/m.test(text.split('\n')[0] ?? '')) throw new SdpNegotiationError('malformed', 'SDP must start with v=0');
  const sdp = parse(text);
  if (!Array.isArray(sdp.media)) throw new SdpNegotiationError('malformed', 'no m= lines');
  for (const m of sdp.media) {
    if (typeof m.port !== 'number' || !Number.isInteger(m.port) || m.port < 0 || m.port > 65535) {
      throw new SdpNegotiationError('malformed', `bad port in m=${m.type}`);
    }
  }
  return sdp;
}

interface Offered {
  codec: string;
  payload: number;
  rate: number;
}

/** Payload types of an m-line in its order, static ones named even without a=rtpmap. */
function offeredCodecs(m: MediaDescription): Offered[] {
  const pts = String(m.payloads ?? '').split(/\s+/).filter(Boolean).map(Number);
  return pts.map((pt) => {
    const map = m.rtp.find((r) => r.payload === pt);
    if (map) return { codec: map.codec, payload: pt, rate: map.rate ?? 0 };
    if (pt === 0) return { codec: 'PCMU', payload: 0, rate: 8000 };
    if (pt === 8) return { codec: 'PCMA', payload: 8, rate: 8000 };
    return { codec: '', payload: pt, rate: 0 };
  });
}

function chooseCodec(offered: Offered[], ours: G711Codec[], preference: 'local' | 'offerer'): { codec: G711Codec; payload: number } | undefined {
  const usable = offered.filter((o) => o.rate === 8000 && ours.some((c) => c.toUpperCase() === o.codec.toUpperCase()));
  if (preference === 'local') usable.sort((a, b) => rank(ours, a.codec) - rank(ours, b.codec));
  const first = usable[0];
  return first ? { codec: first.codec.toUpperCase() as G711Codec, payload: first.payload } : undefined;
}

function rank(ours: G711Codec[], codec: string): number {
  return ours.findIndex((c) => c === codec.toUpperCase());
}

function telephoneEventPt(m: MediaDescription, local: MediaCapabilities): number | undefined {
  if (!local.telephoneEvent) return undefined;
  return offeredCodecs(m).find((o) => o.codec.toLowerCase() === 'telephone-event' && o.rate === 8000)?.payload;
}

function mirror(d: MediaDirection): MediaDirection {
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d;
}

/** Both may send only if both allow it; likewise receive. */
function intersect(a: MediaDirection, b: MediaDirection): MediaDirection {
  const send = canSend(a) && canSend(b);
  const recv = canRecv(a) && canRecv(b);
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

const canSend = (d: MediaDirection) => d === 'sendrecv' || d === 'sendonly';
const canRecv = (d: MediaDirection) => d === 'sendrecv' || d === 'recvonly';

function describe(
  sdp: SessionDescription,
  m: MediaDescription,
  index: number,
  codec: { codec: G711Codec; payload: number },
  te: number | undefined,
  direction: MediaDirection,
  rtcpMux: boolean,
): NegotiatedAudio {
  const conn = m.connection ?? sdp.connection;
  if (!conn) throw new SdpNegotiationError('no-address', 'no c= line for the audio stream');
  const remoteDir = m.direction ?? sdp.direction ?? 'sendrecv';
  const nullAddress = conn.ip === '0.0.0.0' || conn.ip === '::';
  return {
    codec: codec.codec,
    payloadType: codec.payload,
    telephoneEventPayloadType: te,
    remoteAddress: conn.ip,
    remotePort: m.port,
    remotePtime: m.ptime ?? 20,
    rtcpMux,
    direction: nullAddress ? intersect(direction, 'recvonly') : direction,
    remoteHold: nullAddress || remoteDir === 'sendonly' || remoteDir === 'inactive',
    mediaIndex: index,
  };
}

function session(local: MediaCapabilities, media: MediaDescription[]): SessionDescription {
  const ipVer = local.address.includes(':') ? 6 : 4;
  return {
    version: 0,
    origin: { username: local.username, sessionId: local.sessionId, sessionVersion: local.sessionVersion, netType: 'IN', ipVer, address: local.address },
    name: 'Hotline',
    connection: { version: ipVer, ip: local.address },
    timing: { start: 0, stop: 0 },
    media,
  };
}

function audioSection(local: MediaCapabilities, pts: Offered[], direction: MediaDirection, rtcpMux: boolean): MediaDescription {
  const m: MediaDescription = {
    type: 'audio',
    port: local.port,
    protocol: 'RTP/AVP',
    payloads: pts.map((p) => p.payload).join(' '),
    rtp: pts.map((p) => ({ payload: p.payload, codec: p.codec, rate: p.rate })),
    fmtp: pts.filter((p) => p.codec === 'telephone-event').map((p) => ({ payload: p.payload, config: '0-15' })),
    ptime: local.ptime,
    direction,
  };
  if (rtcpMux) m.rtcpMux = 'rtcp-mux';
  return m;
}

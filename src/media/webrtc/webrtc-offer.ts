/**
 * Reading a WebRTC SDP without terminating it: whether an offer is WebRTC
 * (RTP/SAVPF or a DTLS fingerprint or ICE credentials, RFC 8829/8839/8842),
 * whether it can be taken (an audio stream with PCMU or PCMA at 8 kHz), and
 * what an answer agreed on (codec, payload types, direction). Malformed or
 * unusable SDP gives an SdpNegotiationError, so the gateway answers 488
 * with the same Warning codes as for plain RTP.
 */
import { parse, type MediaDescription } from 'sdp-transform';
import type { G711Codec, MediaDirection } from '../../protocol/sdp/media-capabilities.ts';
import { SdpNegotiationError } from '../../protocol/sdp/sdp-errors.ts';

const STATIC: Record<number, G711Codec> = { 0: 'PCMU', 8: 'PCMA' };

/** True when the SDP asks for WebRTC media (secure RTP profile, DTLS fingerprint or ICE ufrag). */
export function isWebRtcSdp(sdp: string): boolean {
  if (/^m=audio\s+\d+\s+(UDP\/TLS\/)?RTP\/SAVPF?\b/im.test(sdp)) return true;
  return /^a=(fingerprint|ice-ufrag):/im.test(sdp);
}

export interface WebRtcAudio {
  codec: G711Codec;
  payloadType: number;
  telephoneEventPt: number | undefined;
  /** The direction the SDP's author asked for on the audio stream. */
  direction: MediaDirection;
}

function parsed(sdp: string): ReturnType<typeof parse> {
  if (typeof sdp !== 'string' || !/^v=0/m.test(sdp)) throw new SdpNegotiationError('malformed', 'no v= line');
  try {
    return parse(sdp);
  } catch (err) {
    throw new SdpNegotiationError('malformed', err instanceof Error ? err.message : String(err));
  }
}

function audioOf(sdp: string): { m: MediaDescription; session: ReturnType<typeof parse> } {
  const session = parsed(sdp);
  const m = (session.media ?? []).find((x) => x.type === 'audio' && x.port !== 0);
  if (!m) throw new SdpNegotiationError('no-audio', 'no active audio stream');
  return { m, session };
}

/** The codecs an audio m-line lists, in its order. */
function codecsOf(m: MediaDescription): { audio: Array<{ codec: G711Codec; pt: number }>; telephoneEventPt: number | undefined } {
  const audio: Array<{ codec: G711Codec; pt: number }> = [];
  let telephoneEventPt: number | undefined;
  const pts = String(m.payloads ?? '')
    .split(/\s+/)
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
  for (const pt of pts) {
    const map = (m.rtp ?? []).find((r) => r.payload === pt);
    const name = map ? map.codec.toUpperCase() : STATIC[pt];
    const rate = map ? map.rate : 8000;
    if ((name === 'PCMU' || name === 'PCMA') && rate === 8000) audio.push({ codec: name, pt });
    else if (name === 'TELEPHONE-EVENT' && rate === 8000 && telephoneEventPt === undefined) telephoneEventPt = pt;
  }
  return { audio, telephoneEventPt };
}

function directionOf(m: MediaDescription, session: ReturnType<typeof parse>): MediaDirection {
  const d = m.direction ?? (session as { direction?: MediaDirection }).direction;
  return d ?? 'sendrecv';
}

/** Check a WebRTC offer we are about to answer: throws SdpNegotiationError when it cannot be taken. */
export function checkWebRtcOffer(sdp: string): WebRtcAudio {
  const { m, session } = audioOf(sdp);
  if (!/SAVPF?$/i.test(m.protocol)) throw new SdpNegotiationError('no-audio', `audio profile ${m.protocol} is not WebRTC`);
  const fingerprint = m.fingerprint ?? session.fingerprint;
  const ufrag = m.iceUfrag ?? session.iceUfrag;
  if (!fingerprint || !ufrag) throw new SdpNegotiationError('malformed', 'WebRTC offer without DTLS fingerprint or ICE ufrag');
  const { audio, telephoneEventPt } = codecsOf(m);
  const first = audio[0];
  if (!first) throw new SdpNegotiationError('no-common-codec', 'no PCMU or PCMA at 8 kHz');
  return { codec: first.codec, payloadType: first.pt, telephoneEventPt, direction: directionOf(m, session) };
}

/** What an answer (ours or the browser's) agreed on: its first G.711 codec and telephone-event. */
export function agreedAudio(answer: string): WebRtcAudio {
  const { m, session } = audioOf(answer);
  const { audio, telephoneEventPt } = codecsOf(m);
  const first = audio[0];
  if (!first) throw new SdpNegotiationError('no-common-codec', 'the answer keeps no PCMU or PCMA');
  return { codec: first.codec, payloadType: first.pt, telephoneEventPt, direction: directionOf(m, session) };
}

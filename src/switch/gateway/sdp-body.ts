/**
 * SDP in SIP bodies: reading an offer or answer out of a request or
 * response, and the 488 a failed negotiation is answered with (with a
 * Warning code from RFC 3261 section 20.43 that names why).
 */
import type { SipMessage } from '../../protocol/sip/message.ts';
import type { SdpNegotiationError } from '../../protocol/sdp/sdp-errors.ts';

export type SdpBody = { kind: 'none' } | { kind: 'sdp'; text: string } | { kind: 'unsupported'; type: string };

export function sdpBodyOf(msg: SipMessage): SdpBody {
  if (msg.body.length === 0) return { kind: 'none' };
  const type = (msg.headers.get('Content-Type') ?? 'application/sdp').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/sdp') return { kind: 'unsupported', type };
  return { kind: 'sdp', text: msg.body.toString('utf8') };
}

const WARNING: Record<SdpNegotiationError['code'], string> = {
  malformed: '399',
  'no-address': '399',
  'no-audio': '304',
  'no-common-codec': '305',
};

/** Header for a 488 Not Acceptable Here after a failed offer/answer. */
export function warningFor(err: SdpNegotiationError, host: string): [string, string] {
  return ['Warning', `${WARNING[err.code]} ${host} "${err.code}"`];
}

/**
 * The ACK the INVITE client transaction sends for a 300-699 final response
 * (RFC 3261 section 17.1.1.3): same Request-URI, Call-ID, From and CSeq
 * number as the INVITE, To from the response (it carries the UAS tag), one
 * Via equal to the INVITE's top Via (same branch), and the INVITE's Route
 * header fields copied.
 */
import { Headers, createRequest, type SipRequest, type SipResponse } from '../../protocol/sip/message.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { splitList } from '../../protocol/sip/params.ts';

export function topViaValue(message: { headers: Headers }): string | undefined {
  const line = message.headers.get('Via');
  if (line === undefined) return undefined;
  return splitList(line, 'bad-via')[0];
}

export function buildAckForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const h = new Headers();
  const via = topViaValue(invite);
  if (via !== undefined) h.append('Via', via);
  for (const route of invite.headers.getAll('Route')) h.append('Route', route);
  h.append('Max-Forwards', '70');
  const from = invite.headers.get('From');
  if (from !== undefined) h.append('From', from);
  const to = response.headers.get('To') ?? invite.headers.get('To');
  if (to !== undefined) h.append('To', to);
  const callId = invite.headers.get('Call-ID');
  if (callId !== undefined) h.append('Call-ID', callId);
  h.append('CSeq', `${cseqOf(invite).seq} ACK`);
  return createRequest('ACK', invite.uri, h);
}

/**
 * CANCEL built from the INVITE it cancels (RFC 3261 section 9.1): same
 * Request-URI, Call-ID, To, From and CSeq number (method CANCEL), one Via
 * equal to the INVITE's top Via (so it shares the branch), and the INVITE's
 * Route header fields.
 */
import { Headers, createRequest, type SipRequest } from '../../protocol/sip/message.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { topViaValue } from './ack-for-non2xx.ts';

export function buildCancel(invite: SipRequest, reason?: string): SipRequest {
  const h = new Headers();
  const via = topViaValue(invite);
  if (via !== undefined) h.append('Via', via);
  for (const route of invite.headers.getAll('Route')) h.append('Route', route);
  h.append('Max-Forwards', '70');
  for (const name of ['From', 'To', 'Call-ID']) {
    const v = invite.headers.get(name);
    if (v !== undefined) h.append(name, v);
  }
  h.append('CSeq', `${cseqOf(invite).seq} CANCEL`);
  // RFC 3326 Reason, e.g. `SIP;cause=200;text="Call completed elsewhere"`.
  if (reason !== undefined) h.append('Reason', reason);
  return createRequest('CANCEL', invite.uri, h);
}

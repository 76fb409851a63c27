/**
 * Transaction identifiers used for matching.
 *
 * Client side (RFC 3261 section 17.1.3): a response matches the client
 * transaction whose request carried the same top Via branch and whose
 * method equals the response's CSeq method (so a CANCEL and its INVITE,
 * which share a branch, stay apart).
 *
 * Server side (17.2.3): with an RFC 3261 branch (magic cookie plus at least
 * one more character) a request matches on branch + top Via sent-by +
 * method, where ACK counts as INVITE. Otherwise (RFC 2543 peers, and RFC
 * 4475 badbranch whose branch is the bare cookie, which is not unique) the
 * fallback compares Request-URI, From tag, Call-ID, CSeq number and method
 * (ACK as INVITE), the To tag for non-INVITE requests, and the whole top Via.
 * The To-tag rule for ACK (equal to the tag of the response we sent) is
 * checked by the layer against the transaction's last response.
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { cseqOf } from '../../protocol/sip/cseq.ts';
import { BRANCH_MAGIC_COOKIE, formatVia, topVia, viaBranch, type Via } from '../../protocol/sip/via.ts';
import { callId, fromTag, toTag } from '../../protocol/sip/name-addr.ts';

/** True when the branch follows RFC 3261 (cookie and a unique part after it). */
export function isRfc3261Branch(branch: string | undefined): branch is string {
  return branch !== undefined && branch.length > BRANCH_MAGIC_COOKIE.length && branch.startsWith(BRANCH_MAGIC_COOKIE);
}

export function clientKey(branch: string, method: string): string {
  return `c ${branch} ${method.toUpperCase()}`;
}

/** Key of the client transaction a response belongs to. Throws SipParseError on a bad Via or CSeq. */
export function clientKeyOfResponse(response: SipResponse): string | undefined {
  const branch = viaBranch(topVia(response));
  if (branch === undefined) return undefined;
  return clientKey(branch, cseqOf(response).method);
}

function sentBy(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

/** Method a server transaction is filed under: an ACK belongs to its INVITE. */
function transactionMethod(method: string): string {
  const m = method.toUpperCase();
  return m === 'ACK' ? 'INVITE' : m;
}

/**
 * Key of the server transaction a request belongs to; `asMethod` overrides
 * the method (CANCEL looks up the INVITE it cancels). Throws SipParseError
 * when Via, CSeq, From, To or Call-ID are unusable.
 */
export function serverKey(request: SipRequest, asMethod?: string): string {
  const via = topVia(request);
  const method = transactionMethod(asMethod ?? request.method);
  const branch = viaBranch(via);
  if (isRfc3261Branch(branch)) return `s ${branch} ${sentBy(via)} ${method}`;
  const cseq = cseqOf(request);
  const tagPart = method === 'INVITE' ? '' : (toTag(request) ?? '');
  const viaText = formatVia({ ...via, host: via.host.toLowerCase() });
  return ['s2543', request.uri, fromTag(request) ?? '', callId(request), String(cseq.seq), method, tagPart, viaText].join('\n');
}

/** True when the key was built with the RFC 2543 fallback. */
export function isLegacyKey(key: string): boolean {
  return key.startsWith('s2543');
}

/**
 * Request checks a UAS or registrar makes after parsing (RFC 3261 section
 * 8.2, RFC 4475 section 3.3), and the response checks that make a UA drop a
 * response silently. The parser has already proved the syntax of the
 * headers it validates; these are the semantic rules on top.
 *
 * Max-Forwards is not mandatory here: RFC 3261 8.2 lists no Max-Forwards
 * check for a UAS, and RFC 2543 peers (RFC 4475 inv2543) omit it.
 */
import { cseqOf } from './cseq.ts';
import { SipParseError } from './errors.ts';
import { isIPv4 } from './host.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { parseNameAddr } from './name-addr.ts';
import { uriScheme } from './uri.ts';
import { parseVia } from './via.ts';

export interface RequestRejection {
  status: number;
  reason: string;
  headers?: [string, string][];
}

export interface CheckOptions {
  /** Option tags this element supports (Require values outside it give 420). */
  supportedOptionTags?: readonly string[];
  /** Request-URI schemes accepted (default sip, sips, tel). */
  uriSchemes?: readonly string[];
}

const MANDATORY = ['To', 'From', 'Call-ID', 'CSeq', 'Via'] as const;
const SINGLE_VALUE = ['To', 'From', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires'] as const;
const DEFAULT_SCHEMES = ['sip', 'sips', 'tel'];

function splitTokens(v: string): string[] {
  return v
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function mediaType(v: string): string {
  const semi = v.indexOf(';');
  return (semi < 0 ? v : v.slice(0, semi)).trim().toLowerCase();
}

/** A multipart/mixed body holding an application/sdp part. */
function multipartHasSdp(ct: string, body: Buffer): boolean {
  if (!/boundary\s*=/i.test(ct)) return false;
  return /(^|\r?\n)content-type\s*:\s*application\/sdp/i.test(body.toString('latin1'));
}

function acceptsSdp(accept: string[]): boolean {
  for (const line of accept) {
    // an empty Accept means no format is acceptable (RFC 3261 20.1)
    for (const t of splitTokens(line)) {
      const mt = mediaType(t);
      if (mt === 'application/sdp' || mt === 'application/*' || mt === '*/*') return true;
    }
  }
  return false;
}

/** First failing check as a response to send, or undefined when the request may be processed. */
export function checkRequest(req: SipRequest, opts: CheckOptions = {}): RequestRejection | undefined {
  const h = req.headers;
  for (const name of MANDATORY) {
    if (!h.has(name)) return { status: 400, reason: `Bad Request - missing ${name}` };
  }
  for (const name of SINGLE_VALUE) {
    if (h.count(name) > 1) return { status: 400, reason: `Bad Request - several ${name} values` };
  }
  try {
    const cseq = cseqOf(req);
    if (cseq.method !== req.method) return { status: 400, reason: 'Bad Request - CSeq method does not match' };
    parseNameAddr(h.get('From')!);
    parseNameAddr(h.get('To')!);
    for (const v of h.getAll('Via')) parseVia(v);
  } catch (e) {
    if (e instanceof SipParseError) return { status: e.status, reason: e.reason };
    throw e;
  }
  const scheme = uriScheme(req.uri);
  if (scheme === undefined || !(opts.uriSchemes ?? DEFAULT_SCHEMES).includes(scheme)) {
    return { status: 416, reason: 'Unsupported URI Scheme' };
  }
  if (req.method !== 'ACK' && req.method !== 'CANCEL') {
    const supported = new Set((opts.supportedOptionTags ?? []).map((t) => t.toLowerCase()));
    const unsupported: string[] = [];
    for (const line of h.getAll('Require')) for (const t of splitTokens(line)) if (!supported.has(t.toLowerCase())) unsupported.push(t);
    if (unsupported.length > 0) return { status: 420, reason: 'Bad Extension', headers: [['Unsupported', unsupported.join(', ')]] };
  }
  if (req.method === 'INVITE') {
    if (req.body.length > 0) {
      const ct = h.get('Content-Type');
      if (ct === undefined) return { status: 400, reason: 'Bad Request - body without Content-Type' };
      const mt = mediaType(ct);
      const ok = mt === 'application/sdp' || (mt === 'multipart/mixed' && multipartHasSdp(ct, req.body));
      if (!ok) return { status: 415, reason: 'Unsupported Media Type', headers: [['Accept', 'application/sdp']] };
      const enc = h.get('Content-Encoding');
      if (enc !== undefined && splitTokens(enc).some((e) => e.toLowerCase() !== 'identity')) {
        return { status: 415, reason: 'Unsupported Media Type', headers: [['Accept-Encoding', 'identity']] };
      }
    }
    const accept = h.getAll('Accept');
    if (accept.length > 0 && !acceptsSdp(accept)) return { status: 406, reason: 'Not Acceptable', headers: [['Accept', 'application/sdp']] };
  }
  return undefined;
}

function isUnusableHost(host: string): boolean {
  if (!isIPv4(host)) return false;
  // limited broadcast, unspecified, and class D/E (multicast, reserved)
  return host === '255.255.255.255' || host === '0.0.0.0' || Number(host.split('.')[0]) >= 224;
}

export interface DropOptions {
  /** The receiver is a UA (not a proxy): a response with more than one Via is dropped (RFC 3261 8.1.3.3). */
  uac?: boolean;
}

/**
 * True when a response must be discarded silently: bad status, missing or
 * malformed Via/From/To/Call-ID/CSeq, a Via sent-by that is a broadcast,
 * multicast or unspecified address (RFC 4475 bcast), or several Vias at a UAC.
 */
export function isDroppableResponse(res: SipResponse, opts: DropOptions = {}): boolean {
  if (!Number.isInteger(res.status) || res.status < 100 || res.status > 699) return true;
  const h = res.headers;
  for (const name of MANDATORY) if (!h.has(name)) return true;
  try {
    cseqOf(res);
    parseNameAddr(h.get('From')!);
    parseNameAddr(h.get('To')!);
    let count = 0;
    for (const line of h.getAll('Via')) {
      for (const v of parseVia(line)) {
        count++;
        if (isUnusableHost(v.host)) return true;
      }
    }
    if (opts.uac && count > 1) return true;
  } catch (e) {
    if (e instanceof SipParseError) return true;
    throw e;
  }
  return false;
}

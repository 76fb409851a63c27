/**
 * Via header (RFC 3261 section 20.42): `SIP/2.0/UDP host:port;branch=...`.
 * One field line may carry several comma-separated Via values.
 */
import { SipParseError } from './errors.ts';
import { bareHost, formatHostPort, parseHostPort } from './host.ts';
import type { SipMessage } from './message.ts';
import { formatParams, isToken, parseParams, splitList, trimLws, type Params } from './params.ts';

export interface Via {
  /** `SIP/2.0` (protocol name and version, without LWS). */
  protocol: string;
  /** Transport upper-cased: UDP, TCP, TLS, WS, WSS, SCTP, or any token sent. */
  transport: string;
  /** Host as written; IPv6 in brackets. */
  host: string;
  port?: number;
  params: Params;
}

export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

function parseOne(value: string): Via {
  // sent-protocol: name SLASH version SLASH transport (LWS allowed around '/')
  const s1 = value.indexOf('/');
  const s2 = s1 < 0 ? -1 : value.indexOf('/', s1 + 1);
  if (s2 < 0) throw new SipParseError('bad-via', 'malformed Via');
  const name = trimLws(value.slice(0, s1));
  const version = trimLws(value.slice(s1 + 1, s2));
  let i = s2 + 1;
  const n = value.length;
  while (i < n && isLws(value.charCodeAt(i))) i++;
  const tStart = i;
  while (i < n && !isLws(value.charCodeAt(i))) i++;
  const transport = value.slice(tStart, i);
  if (!isToken(name) || !isToken(version) || !isToken(transport)) throw new SipParseError('bad-via', 'malformed Via');
  // sent-by up to the first ';' (IPv6 references hold no ';')
  const semi = value.indexOf(';', i);
  const sentBy = semi < 0 ? value.slice(i) : value.slice(i, semi);
  if (trimLws(sentBy).length === 0) throw new SipParseError('bad-via', 'malformed Via');
  const hp = parseHostPort(sentBy, 'bad-via');
  const params = semi < 0 ? new Map<string, string | null>() : parseParams(value.slice(semi), 'bad-via');
  const via: Via = { protocol: `${name.toUpperCase()}/${version}`, transport: transport.toUpperCase(), host: hp.host, params };
  if (hp.port !== undefined) via.port = hp.port;
  return via;
}

function isLws(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** All Via values of one field line. Throws SipParseError('bad-via'). */
export function parseVia(value: string): Via[] {
  const parts = splitList(value, 'bad-via');
  const out: Via[] = [];
  for (const p of parts) {
    if (p.length === 0) throw new SipParseError('bad-via', 'malformed Via');
    out.push(parseOne(p));
  }
  return out;
}

export function formatVia(v: Via): string {
  return `${v.protocol}/${v.transport} ${formatHostPort(v)}${formatParams(v.params)}`;
}

/** All Vias of a message, top first. */
export function viasOf(msg: SipMessage): Via[] {
  const out: Via[] = [];
  for (const line of msg.headers.getAll('Via')) out.push(...parseVia(line));
  return out;
}

/** The topmost Via. Throws SipParseError when missing or malformed. */
export function topVia(msg: SipMessage): Via {
  const line = msg.headers.get('Via');
  if (line === undefined) throw new SipParseError('missing-header', 'missing Via');
  const first = splitList(line, 'bad-via')[0] ?? '';
  if (first.length === 0) throw new SipParseError('bad-via', 'malformed Via');
  return parseOne(first);
}

export function viaBranch(v: Via): string | undefined {
  return v.params.get('branch') ?? undefined;
}

/** True when the branch carries the RFC 3261 magic cookie (else RFC 2543 matching applies). */
export function hasMagicCookie(v: Via): boolean {
  return viaBranch(v)?.startsWith(BRANCH_MAGIC_COOKIE) ?? false;
}

/** `received` without IPv6 brackets (RFC 5118 section 4.5 tolerates them). */
export function viaReceived(v: Via): string | undefined {
  const r = v.params.get('received');
  return r === undefined || r === null ? undefined : bareHost(r);
}

/** rport: undefined when absent, null when a flag (client asks for it), else the port. */
export function viaRport(v: Via): number | null | undefined {
  if (!v.params.has('rport')) return undefined;
  const r = v.params.get('rport');
  if (r === null || r === undefined || r === '') return null;
  const p = Number(r);
  return Number.isInteger(p) && p >= 0 && p <= 65535 ? p : null;
}

export function viaMaddr(v: Via): string | undefined {
  return v.params.get('maddr') ?? undefined;
}

export function viaTtl(v: Via): number | undefined {
  const t = v.params.get('ttl');
  return t === undefined || t === null ? undefined : Number(t);
}

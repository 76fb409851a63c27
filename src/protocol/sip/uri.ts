/**
 * URIs in SIP (RFC 3261 section 19.1, RFC 3966 tel:, RFC 5118 IPv6
 * references). SIP/SIPS URIs are split into their parts; the user part is
 * kept exactly as written (escapes included) so formatting gives it back,
 * and `decodedUser` gives the unescaped text. Other schemes are kept opaque.
 */
import { SipParseError } from './errors.ts';
import { formatHostPort, parseHostPort } from './host.ts';

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** User part as written, escapes kept (may hold `;` per RFC 4475 semiuri). */
  user?: string;
  password?: string;
  /** Host as written; IPv6 in brackets. */
  host: string;
  port?: number;
  /** uri-parameters, names lower-cased, values as written; `null` for a flag. */
  params: Map<string, string | null>;
  /** headers after `?`, names and values as written (escaped). */
  headers: Map<string, string>;
}

export interface TelUri {
  scheme: 'tel';
  /** Number as written, visual separators kept (`+1-201-555-0123`). */
  number: string;
  /** True for a global number (starts with `+`). */
  global: boolean;
  params: Map<string, string | null>;
}

export interface AbsoluteUri {
  /** Scheme lower-cased. */
  scheme: string;
  /** The whole URI as written. */
  raw: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

export function isSipUri(u: Uri): u is SipUri {
  return u.scheme === 'sip' || u.scheme === 'sips';
}

export function isTelUri(u: Uri): u is TelUri {
  return u.scheme === 'tel' && 'number' in u;
}

// character classes (RFC 3261 section 25.1)
const UNRESERVED = 1;
const USER_EXTRA = 2; // & = + $ , ; ? /
const PASS_EXTRA = 4; // & = + $ ,
const PARAM_EXTRA = 8; // [ ] / : & + $
const HEADER_EXTRA = 16; // [ ] / ? : + $
const URIC = 32; // any character an absolute URI may hold
const CLASS = new Uint8Array(128);
function mark(chars: string, bit: number): void {
  for (const ch of chars) CLASS[ch.charCodeAt(0)]! |= bit;
}
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = UNRESERVED;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = UNRESERVED;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = UNRESERVED;
mark("-_.!~*'()", UNRESERVED);
mark('&=+$,;?/', USER_EXTRA);
mark('&=+$,', PASS_EXTRA);
mark('[]/:&+$', PARAM_EXTRA);
mark('[]/?:+$', HEADER_EXTRA);
for (let c = 0x21; c < 0x7f; c++) CLASS[c]! |= URIC;
for (const ch of '<>"') CLASS[ch.charCodeAt(0)]! &= ~URIC;

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Every character is in `bits` or is a valid `%HH` escape. */
function allowed(s: string, bits: number): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= s.length) return false;
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      i += 2;
      continue;
    }
    if (c >= 128 || (CLASS[c]! & (bits | UNRESERVED)) === 0) return false;
  }
  return true;
}

/** Decode `%HH` escapes (bytes read as UTF-8); a `%` that is not an escape is kept. */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The user part with escapes decoded (e.g. `null-\0-null`), or undefined. */
export function decodedUser(u: SipUri): string | undefined {
  return u.user === undefined ? undefined : percentDecode(u.user);
}

function bad(detail: string): never {
  throw new SipParseError('bad-uri', detail);
}

function schemeEnd(s: string): number {
  const c0 = s.charCodeAt(0);
  if (!((c0 >= 0x41 && c0 <= 0x5a) || (c0 >= 0x61 && c0 <= 0x7a))) return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) return i;
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
    if (!ok) return -1;
  }
  return -1;
}

/** Lower-cased scheme of a URI string, or undefined when it has none. */
export function uriScheme(s: string): string | undefined {
  const e = schemeEnd(s);
  return e < 0 ? undefined : s.slice(0, e).toLowerCase();
}

function parseUriParams(s: string, out: Map<string, string | null>): void {
  // s: text after the first ';' of the parameter section
  for (const p of s.split(';')) {
    const eq = p.indexOf('=');
    const name = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? null : p.slice(eq + 1);
    if (name.length === 0 || !allowed(name, PARAM_EXTRA)) bad('malformed URI parameter');
    if (value !== null && (value.length === 0 || !allowed(value, PARAM_EXTRA))) bad('malformed URI parameter');
    out.set(name.toLowerCase(), value);
  }
}

function parseSipUri(s: string, schemeLen: number): SipUri {
  const scheme = s.slice(0, schemeLen).toLowerCase() as 'sip' | 'sips';
  const rest = s.slice(schemeLen + 1);
  const at = rest.indexOf('@');
  const uri: SipUri = { scheme, host: '', params: new Map(), headers: new Map() };
  let hostPart = rest;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    hostPart = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (user.length === 0 || !allowed(user, USER_EXTRA)) bad('malformed user part');
    uri.user = user;
    if (colon >= 0) {
      const pw = userinfo.slice(colon + 1);
      if (!allowed(pw, PASS_EXTRA)) bad('malformed password');
      uri.password = pw;
    }
  }
  // hostport ends at ';' or '?' (outside an IPv6 reference, which holds neither)
  let end = hostPart.length;
  for (let i = 0; i < hostPart.length; i++) {
    const c = hostPart.charCodeAt(i);
    if (c === 0x3b || c === 0x3f) {
      end = i;
      break;
    }
  }
  const hp = parseHostPort(hostPart.slice(0, end), 'bad-uri');
  if (hostPart.slice(0, end) !== hostPart.slice(0, end).trim()) bad('whitespace in URI');
  uri.host = hp.host;
  if (hp.port !== undefined) uri.port = hp.port;
  let tail = hostPart.slice(end);
  const q = tail.indexOf('?');
  const paramPart = q < 0 ? tail : tail.slice(0, q);
  if (paramPart.length > 0) parseUriParams(paramPart.slice(1), uri.params);
  if (q >= 0) {
    tail = tail.slice(q + 1);
    if (tail.length === 0) bad('empty URI headers');
    for (const h of tail.split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0) bad('malformed URI header');
      const name = h.slice(0, eq);
      const value = h.slice(eq + 1);
      if (!allowed(name, HEADER_EXTRA) || !allowed(value, HEADER_EXTRA)) bad('malformed URI header');
      uri.headers.set(name, value);
    }
  }
  return uri;
}

function parseTelUri(s: string, schemeLen: number): TelUri {
  const rest = s.slice(schemeLen + 1);
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  const global = number.startsWith('+');
  const digits = global ? number.slice(1) : number;
  if (digits.length === 0) bad('malformed tel number');
  let seen = 0;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    const isDigit = (c >= 0x30 && c <= 0x39) || (!global && (isHex(c) || c === 0x2a || c === 0x23));
    if (isDigit) seen++;
    else if (c !== 0x2d && c !== 0x2e && c !== 0x28 && c !== 0x29) bad('malformed tel number');
  }
  if (seen === 0) bad('malformed tel number');
  const params = new Map<string, string | null>();
  if (semi >= 0) parseUriParams(rest.slice(semi + 1), params);
  if (!global && !params.has('phone-context')) bad('local tel number without phone-context');
  return { scheme: 'tel', number, global, params };
}

/** Parse any URI. Throws SipParseError('bad-uri') on malformed text. */
export function parseUri(s: string): Uri {
  const e = schemeEnd(s);
  if (e <= 0) bad('URI without scheme');
  const scheme = s.slice(0, e).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(s, e);
  if (scheme === 'tel') return parseTelUri(s, e);
  if (e + 1 >= s.length) bad('empty URI');
  for (let i = e + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) bad('malformed escape in URI');
      i += 2;
    } else if (c >= 128 || (CLASS[c]! & URIC) === 0) bad('malformed URI');
  }
  return { scheme, raw: s };
}

function formatParamsOf(params: ReadonlyMap<string, string | null>): string {
  let out = '';
  for (const [k, v] of params) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}

export function formatUri(u: Uri): string {
  if ('raw' in u) return u.raw;
  if (u.scheme === 'tel') {
    const t = u as TelUri;
    return `tel:${t.number}${formatParamsOf(t.params)}`;
  }
  const s = u as SipUri;
  let out = `${s.scheme}:`;
  if (s.user !== undefined) out += s.password !== undefined ? `${s.user}:${s.password}@` : `${s.user}@`;
  out += formatHostPort(s);
  out += formatParamsOf(s.params);
  if (s.headers.size > 0) {
    const hs: string[] = [];
    for (const [k, v] of s.headers) hs.push(`${k}=${v}`);
    out += `?${hs.join('&')}`;
  }
  return out;
}

/** Parse a URI that must be sip: or sips:. */
export function parseSipUriStrict(s: string): SipUri {
  const u = parseUri(s);
  if (!isSipUri(u)) bad('not a SIP URI');
  return u;
}

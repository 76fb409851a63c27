/**
 * name-addr / addr-spec values (RFC 3261 section 20.10, 25.1) as used by
 * From, To, Contact, Route, Record-Route, Refer-To, Reply-To, P-Asserted-Identity.
 *   "Display Name" <sip:uri;uri-param>;header-param
 *   sip:uri;header-param            (addr-spec: no `,` `?` `;` in the URI)
 */
import { SipParseError } from './errors.ts';
import type { SipMessage } from './message.ts';
import { formatParams, isTokenChar, parseParams, quote, skipQuoted, splitList, trimLws, unquote, type Params } from './params.ts';
import { isSipUri, parseUri, uriScheme } from './uri.ts';

export interface NameAddr {
  /** Display name with quotes and escapes removed; undefined when absent. */
  displayName?: string;
  /** URI as written (without the angle brackets). */
  uri: string;
  /** Header parameters (tag, expires, q...), names lower-cased. */
  params: Params;
}

function bad(detail: string): never {
  throw new SipParseError('bad-name-addr', detail);
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Check the URI text: a scheme, and for sip/sips/tel a well-formed URI. */
function checkUri(uri: string): void {
  if (uri.length === 0) bad('empty URI');
  try {
    parseUri(uri);
  } catch (e) {
    if (e instanceof SipParseError) bad(`malformed URI (${e.reason.replace(/^Bad Request - /, '')})`);
    throw e;
  }
}

/** Parse one name-addr or addr-spec with its parameters. Throws SipParseError('bad-name-addr'). */
export function parseNameAddr(value: string): NameAddr {
  const s = value;
  const n = s.length;
  let i = 0;
  while (i < n && isWs(s.charCodeAt(i))) i++;
  if (i >= n) bad('empty address');
  let displayName: string | undefined;
  let uri: string;
  let rest: string;
  const c0 = s.charCodeAt(i);
  const lt = s.indexOf('<', i);
  if (c0 === 0x22) {
    const end = skipQuoted(s, i);
    if (end < 0) bad('unterminated quoted display name');
    displayName = unquote(s.slice(i, end));
    i = end;
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 0x3c) bad('quoted display name without <URI>');
  } else if (lt >= 0 && uriScheme(s.slice(i)) === undefined) {
    // display name as a sequence of tokens separated by LWS
    const words = trimLws(s.slice(i, lt));
    for (let k = 0; k < words.length; k++) {
      const c = words.charCodeAt(k);
      if (!isTokenChar(c) && !isWs(c)) bad('non-token character in display name');
    }
    if (words.length > 0) displayName = words.replace(/\s+/g, ' ');
    i = lt;
  } else if (c0 !== 0x3c) {
    // addr-spec: URI up to the first ';' (header parameters follow)
    const semi = s.indexOf(';', i);
    uri = trimLws(semi < 0 ? s.slice(i) : s.slice(i, semi));
    for (let k = 0; k < uri.length; k++) {
      const c = uri.charCodeAt(k);
      if (isWs(c) || c === 0x3c || c === 0x3e) bad('whitespace in addr-spec');
      if (c === 0x3f || c === 0x2c) bad('URI with ? or , must be enclosed in <>');
    }
    checkUri(uri);
    rest = semi < 0 ? '' : s.slice(semi);
    return { uri, params: parseParams(rest, 'bad-name-addr') };
  }
  // now at '<'
  const gt = s.indexOf('>', i + 1);
  if (gt < 0) bad('missing >');
  uri = s.slice(i + 1, gt);
  for (let k = 0; k < uri.length; k++) if (isWs(uri.charCodeAt(k))) bad('whitespace inside <URI>');
  checkUri(uri);
  rest = s.slice(gt + 1);
  let j = 0;
  while (j < rest.length && isWs(rest.charCodeAt(j))) j++;
  if (j < rest.length && rest.charCodeAt(j) !== 0x3b) bad('text after >');
  const out: NameAddr = { uri, params: parseParams(rest, 'bad-name-addr') };
  if (displayName !== undefined) out.displayName = displayName;
  return out;
}

/** Parse a comma-separated list (Contact, Route, Record-Route). */
export function parseNameAddrList(value: string): NameAddr[] {
  const out: NameAddr[] = [];
  for (const part of splitList(value, 'bad-name-addr')) {
    if (part.length === 0) bad('empty list element');
    out.push(parseNameAddr(part));
  }
  return out;
}

/** Contact value: `*` (remove all bindings) or a list of addresses. */
export function parseContactList(value: string): NameAddr[] | '*' {
  return trimLws(value) === '*' ? '*' : parseNameAddrList(value);
}

function needsQuotes(dn: string): boolean {
  if (dn.length === 0) return true;
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if (!isTokenChar(c) && c !== 0x20) return true;
  }
  return dn.startsWith(' ') || dn.endsWith(' ') || dn.includes('  ');
}

/** `"Display" <uri>;params` (always with angle brackets). */
export function formatNameAddr(na: NameAddr): string {
  let out = '';
  if (na.displayName !== undefined) out = `${needsQuotes(na.displayName) ? quote(na.displayName) : na.displayName} `;
  return `${out}<${na.uri}>${formatParams(na.params)}`;
}

function header(msg: SipMessage, name: string): NameAddr {
  const v = msg.headers.get(name);
  if (v === undefined) throw new SipParseError('missing-header', `missing ${name}`);
  return parseNameAddr(v);
}

/** From tag, or undefined (RFC 2543 peers may omit it). */
export function fromTag(msg: SipMessage): string | undefined {
  return header(msg, 'From').params.get('tag') ?? undefined;
}

export function toTag(msg: SipMessage): string | undefined {
  return header(msg, 'To').params.get('tag') ?? undefined;
}

export function fromOf(msg: SipMessage): NameAddr {
  return header(msg, 'From');
}

export function toOf(msg: SipMessage): NameAddr {
  return header(msg, 'To');
}

/** Call-ID (trimmed). Throws SipParseError when missing or empty. */
export function callId(msg: SipMessage): string {
  const raw = msg.headers.get('Call-ID');
  const v = raw === undefined ? undefined : trimLws(raw);
  if (v === undefined || v.length === 0) throw new SipParseError('missing-header', 'missing Call-ID');
  return v;
}

/** True when the name-addr's URI is sip: or sips:. */
export function hasSipUri(na: NameAddr): boolean {
  try {
    return isSipUri(parseUri(na.uri));
  } catch {
    return false;
  }
}

/** Every Contact of a message, in order (a `*` Contact gives none). */
export function contactsOf(msg: SipMessage): NameAddr[] {
  const out: NameAddr[] = [];
  for (const line of msg.headers.getAll('Contact')) {
    const c = parseContactList(line);
    if (c !== '*') out.push(...c);
  }
  return out;
}

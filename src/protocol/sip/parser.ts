/**
 * SIP message parser (RFC 3261 section 7, 18.3; RFC 4475 behaviour).
 *
 * Bytes in, a SipMessage out, or a SipParseError naming the fault with the
 * status a server answers (400, 505...). The start line, header framing and
 * scalars are always checked; with `validate` (the default) the headers a
 * transaction layer relies on (Via, From, To, Contact, Route, Record-Route,
 * CSeq, Call-ID, Max-Forwards, Expires) are parsed once to prove them
 * well-formed. Values are stored unfolded, as text; bodies stay bytes.
 */
import { MAX_SCALAR, parseCSeq } from './cseq.ts';
import { SipParseError } from './errors.ts';
import { canonicalHeaderName } from './header-names.ts';
import { Headers, SIP_VERSION, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
import { parseContactList, parseNameAddr, parseNameAddrList } from './name-addr.ts';
import { isToken, isTokenChar, trimLws } from './params.ts';
import { isSipUri, parseUri, uriScheme } from './uri.ts';
import { parseVia } from './via.ts';

export interface ParseOptions {
  /** true for TCP/TLS/WebSocket framing (Content-Length mandatory), false for datagrams. */
  stream: boolean;
  /** Check the syntax of the headers used for routing and transactions (default true). */
  validate?: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

/** Index of the first octet that is not CR or LF (keep-alives and stray line ends before a message). */
export function skipLeadingLineEnds(data: Buffer, from = 0): number {
  let i = from;
  while (i < data.length && (data[i] === CR || data[i] === LF)) i++;
  return i;
}

/**
 * End of the header section: `{ headEnd, bodyStart }`, or undefined when the
 * empty line has not arrived. Accepts CRLF and bare LF line ends.
 */
export function findHeaderEnd(data: Buffer, start: number): { headEnd: number; bodyStart: number } | undefined {
  const a = data.indexOf(CRLFCRLF, start);
  const b = data.indexOf(LFLF, start);
  if (a >= 0 && (b < 0 || b > a)) return { headEnd: a, bodyStart: a + 4 };
  if (b >= 0) {
    // "\n\n" or "\r\n\n"
    const headEnd = b > start && data[b - 1] === CR ? b - 1 : b;
    return { headEnd, bodyStart: b + 2 };
  }
  // "\n\r\n": a bare-LF line followed by a CRLF empty line
  const c = data.indexOf('\n\r\n', start);
  if (c >= 0) return { headEnd: c, bodyStart: c + 3 };
  return undefined;
}

/** Parse one SIP message. Throws SipParseError. */
export function parseMessage(data: Buffer, opts: ParseOptions): SipMessage {
  const start = skipLeadingLineEnds(data);
  if (start >= data.length) throw new SipParseError('incomplete', 'empty message');
  const end = findHeaderEnd(data, start);
  if (end === undefined) throw new SipParseError('incomplete', 'no empty line after the headers');
  const head = data.toString('utf8', start, end.headEnd);

  // start line
  let nl = head.indexOf('\n');
  const firstLine = stripCr(nl < 0 ? head : head.slice(0, nl));
  const isResponse = firstLine.startsWith('SIP/') || firstLine.startsWith('sip/');
  const headers = new Headers();
  const contentLengths: string[] = [];

  // header lines, with continuation (folding) lines joined by one SP
  let pos = nl < 0 ? head.length : nl + 1;
  let name: string | undefined;
  let value = '';
  while (pos < head.length) {
    nl = head.indexOf('\n', pos);
    const lineEnd = nl < 0 ? head.length : nl;
    let line = head.slice(pos, lineEnd);
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    pos = lineEnd + 1;
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      if (name === undefined) throw new SipParseError('bad-header', 'continuation line before any header');
      const t = trimLws(line);
      if (t.length > 0) value = value.length === 0 ? t : `${value} ${t}`;
      continue;
    }
    if (name !== undefined) addHeader(headers, name, value, contentLengths);
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError('bad-header', 'malformed header line');
    let ne = colon;
    while (ne > 0 && (line.charCodeAt(ne - 1) === 0x20 || line.charCodeAt(ne - 1) === 0x09)) ne--;
    const rawName = line.slice(0, ne);
    for (let k = 0; k < rawName.length; k++) {
      if (!isTokenChar(rawName.charCodeAt(k))) throw new SipParseError('bad-header', 'malformed header name');
    }
    if (rawName.length === 0) throw new SipParseError('bad-header', 'malformed header name');
    name = rawName;
    value = trimLws(line.slice(colon + 1));
  }
  if (name !== undefined) addHeader(headers, name, value, contentLengths);

  const body = sliceBody(data, end.bodyStart, contentLengths, opts.stream);
  const msg: SipMessage = isResponse ? parseStatusLine(firstLine, headers, body) : parseRequestLine(firstLine, headers, body);
  checkScalars(msg);
  if (opts.validate !== false) validateHeaders(msg);
  return msg;
}

function stripCr(s: string): string {
  return s.charCodeAt(s.length - 1) === CR ? s.slice(0, -1) : s;
}

function addHeader(headers: Headers, rawName: string, value: string, contentLengths: string[]): void {
  const n = canonicalHeaderName(rawName);
  if (n === 'Content-Length') contentLengths.push(value);
  headers.append(n, value);
}

function sliceBody(data: Buffer, bodyStart: number, contentLengths: string[], stream: boolean): Buffer {
  const available = data.length - bodyStart;
  if (contentLengths.length === 0) {
    if (stream) throw new SipParseError('bad-content-length', 'missing Content-Length');
    return Buffer.from(data.subarray(bodyStart));
  }
  if (contentLengths.length > 1) throw new SipParseError('bad-content-length', 'several Content-Length values');
  const cl = parseDecimal(contentLengths[0]!, MAX_SCALAR);
  if (cl === undefined) throw new SipParseError('bad-content-length', 'malformed Content-Length');
  if (cl > available) {
    if (stream) throw new SipParseError('incomplete', 'body shorter than Content-Length');
    throw new SipParseError('bad-content-length', 'Content-Length larger than the message');
  }
  return Buffer.from(data.subarray(bodyStart, bodyStart + cl));
}

/** Decimal without sign or spaces, at most `max`; undefined otherwise. */
export function parseDecimal(s: string, max: number): number | undefined {
  if (s.length === 0) return undefined;
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 0x30) i++; // leading zeros
  if (s.length - i > 10) return undefined;
  let v = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    v = v * 10 + (c - 0x30);
  }
  return v <= max ? v : undefined;
}

const VERSION_SHAPE = /^SIP\/[0-9]+\.[0-9]+$/i;

function checkVersion(v: string): string {
  if (v === SIP_VERSION) return v;
  if (v.toUpperCase() === SIP_VERSION) return SIP_VERSION;
  if (VERSION_SHAPE.test(v)) throw new SipParseError('bad-version', `SIP version ${v} not supported`);
  throw new SipParseError('bad-start-line', 'malformed SIP version');
}

function parseRequestLine(line: string, headers: Headers, body: Buffer): SipRequest {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0) throw new SipParseError('bad-start-line', 'malformed Request-Line');
  const method = line.slice(0, sp1);
  const uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (uri.length === 0 || version.length === 0 || version.indexOf(' ') >= 0 || line.indexOf('\t') >= 0) {
    throw new SipParseError('bad-start-line', 'malformed Request-Line');
  }
  if (!isToken(method)) throw new SipParseError('bad-method', 'malformed method');
  const v = checkVersion(version);
  checkRequestUri(uri);
  return { kind: 'request', method, uri, version: v, headers, body };
}

function checkRequestUri(uri: string): void {
  if (uriScheme(uri) === undefined) throw new SipParseError('bad-uri', 'malformed Request-URI');
  const u = parseUri(uri);
  if (isSipUri(u) && u.headers.size > 0) throw new SipParseError('bad-uri', 'headers in Request-URI');
}

function parseStatusLine(line: string, headers: Headers, body: Buffer): SipResponse {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) throw new SipParseError('bad-start-line', 'malformed Status-Line');
  const v = checkVersion(line.slice(0, sp1));
  const sp2 = line.indexOf(' ', sp1 + 1);
  const code = sp2 < 0 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
  const status = code.length === 3 ? parseDecimal(code, 699) : undefined;
  if (status === undefined || status < 100) throw new SipParseError('bad-status', 'malformed status code');
  const reason = sp2 < 0 ? '' : line.slice(sp2 + 1);
  return { kind: 'response', status, reason, version: v, headers, body };
}

function checkScalars(msg: SipMessage): void {
  const cseq = msg.headers.get('CSeq');
  if (cseq !== undefined) {
    const c = parseCSeq(cseq);
    if (msg.kind === 'request' && c.method !== msg.method) throw new SipParseError('method-mismatch', 'CSeq method does not match the Request-Line');
  }
  for (const mf of msg.headers.getAll('Max-Forwards')) {
    if (parseDecimal(mf, 255) === undefined) throw new SipParseError('bad-scalar', 'malformed Max-Forwards');
  }
  for (const ex of msg.headers.getAll('Expires')) {
    if (parseDecimal(ex, 2 ** 32 - 1) === undefined) throw new SipParseError('bad-scalar', 'malformed Expires');
  }
}

function validateHeaders(msg: SipMessage): void {
  for (const [n, v] of msg.headers) {
    try {
      validateOne(n, v);
    } catch (e) {
      if (e instanceof SipParseError) throw new SipParseError(e.code, `malformed ${n}`, e.status);
      throw e;
    }
  }
}

function validateOne(n: string, v: string): void {
  switch (n) {
    case 'Via':
      parseVia(v);
      break;
    case 'From':
    case 'To':
      parseNameAddr(v);
      break;
    case 'Contact':
      parseContactList(v);
      break;
    case 'Route':
    case 'Record-Route':
      parseNameAddrList(v);
      break;
    case 'Call-ID':
      if (v.length === 0 || /\s/.test(v)) throw new SipParseError('bad-header', 'malformed Call-ID');
      break;
    default:
      break;
  }
}

/**
 * HTTP Digest authentication as SIP uses it (RFC 3261 section 22.4, RFC 7616,
 * RFC 8760): the hash arithmetic and the WWW-Authenticate / Authorization /
 * Proxy-Authenticate / Proxy-Authorization header grammar. Pure functions.
 *
 * Algorithms: MD5, SHA-256 and SHA-512-256, each with its `-sess` variant.
 * qop: `auth` and `auth-int` (the body hash is H(entity-body)); no qop (RFC
 * 2069 style) is computed too, but servers decide whether to accept it.
 * Not supported: `userhash=true` (RFC 7616 section 3.4.4), unused in SIP.
 */
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';
export type DigestQop = 'auth' | 'auth-int';

/** quoted-string of any text, escaping `"` and `\\`. */
function quote(v: string): string {
  return `"${v.replace(/["\\]/g, (m) => `\\${m}`)}"`;
}

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'];

export type DigestParseErrorCode = 'bad-auth-header' | 'not-digest' | 'missing-param' | 'bad-param';

/** Typed failure for authentication headers; a server answers 400 or re-challenges. */
export class DigestParseError extends Error {
  override readonly name = 'DigestParseError';
  readonly code: DigestParseErrorCode;
  constructor(code: DigestParseErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Canonical spelling of an algorithm name (they are case-insensitive), or undefined when unknown. */
export function parseAlgorithm(name: string): DigestAlgorithm | undefined {
  const up = name.trim().toUpperCase();
  return DIGEST_ALGORITHMS.find((a) => a.toUpperCase() === up);
}

function nodeHashName(alg: DigestAlgorithm): string {
  if (alg.startsWith('MD5')) return 'md5';
  if (alg.startsWith('SHA-256')) return 'sha256';
  return 'sha512-256';
}

export function isSessAlgorithm(alg: DigestAlgorithm): boolean {
  return alg.endsWith('-sess');
}

/** The base algorithm whose stored HA1 a `-sess` variant starts from. */
export function baseAlgorithm(alg: DigestAlgorithm): 'MD5' | 'SHA-256' | 'SHA-512-256' {
  return alg.replace(/-sess$/, '') as 'MD5' | 'SHA-256' | 'SHA-512-256';
}

/** H(data) as lower-case hex; strings are hashed as UTF-8. */
export function digestHash(alg: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(nodeHashName(alg)).update(data).digest('hex');
}

/** H(username ":" realm ":" password): what account stores keep instead of the password. */
export function computeHa1(alg: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(alg, `${username}:${realm}:${password}`);
}

/** HA1 for a `-sess` algorithm from the stored H(username:realm:password) (RFC 7616 section 3.4.2). */
export function sessionHa1(alg: DigestAlgorithm, ha1: string, nonce: string, cnonce: string): string {
  return digestHash(alg, `${ha1}:${nonce}:${cnonce}`);
}

/** HA2 (RFC 7616 section 3.4.3): H(method:uri), or H(method:uri:H(body)) for auth-int. */
export function computeHa2(alg: DigestAlgorithm, method: string, uri: string, qop?: DigestQop, body?: Uint8Array): string {
  if (qop === 'auth-int') return digestHash(alg, `${method}:${uri}:${digestHash(alg, body ?? new Uint8Array(0))}`);
  return digestHash(alg, `${method}:${uri}`);
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  /** H(username:realm:password) of the base algorithm (the `-sess` step is applied here). */
  ha1: string;
  nonce: string;
  method: string;
  /** The digest-uri exactly as sent in the `uri` parameter. */
  uri: string;
  qop?: DigestQop;
  /** 8 hex digits as sent, e.g. `00000001`. Required with qop. */
  nc?: string;
  /** Required with qop and with `-sess` algorithms. */
  cnonce?: string;
  /** Message body, for qop=auth-int. */
  body?: Uint8Array;
}

/** The `response` value. Throws DigestParseError('missing-param') when qop or -sess lacks nc/cnonce. */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm: alg, nonce, qop } = input;
  let ha1 = input.ha1;
  if (isSessAlgorithm(alg)) {
    if (input.cnonce === undefined) throw new DigestParseError('missing-param', 'cnonce required for -sess');
    ha1 = sessionHa1(alg, ha1, nonce, input.cnonce);
  }
  const ha2 = computeHa2(alg, input.method, input.uri, qop, input.body);
  if (qop === undefined) return digestHash(alg, `${ha1}:${nonce}:${ha2}`);
  if (input.nc === undefined || input.cnonce === undefined) throw new DigestParseError('missing-param', 'nc and cnonce required with qop');
  return digestHash(alg, `${ha1}:${nonce}:${input.nc}:${input.cnonce}:${qop}:${ha2}`);
}

// ---------------------------------------------------------------------------
// Header grammar (RFC 7235 section 2.1, RFC 3261 section 25.1)

/** One challenge or credentials: a scheme and its auth-params (names lower-case, values unquoted). */
export interface AuthElement {
  scheme: string;
  params: Map<string, string>;
  /** Names whose value arrived as a quoted-string. */
  quoted: Set<string>;
  /** token68 form (`Basic dXNlcg==`), when used instead of params. */
  token68?: string;
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isTchar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));

class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): number {
    return this.s.charCodeAt(this.i);
  }
  skipWs(): void {
    while (!this.done && isWs(this.peek())) this.i++;
  }
  /** Skip whitespace and commas (empty list elements are allowed). */
  skipListSep(): void {
    while (!this.done && (isWs(this.peek()) || this.peek() === 0x2c)) this.i++;
  }
  token(): string {
    const start = this.i;
    while (!this.done && isTchar(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }
  quoted(): string {
    // at '"'
    let out = '';
    for (let j = this.i + 1; j < this.s.length; j++) {
      const ch = this.s[j]!;
      if (ch === '\\') {
        if (j + 1 >= this.s.length) break;
        out += this.s[++j];
      } else if (ch === '"') {
        this.i = j + 1;
        return out;
      } else out += ch;
    }
    throw new DigestParseError('bad-auth-header', 'unterminated quoted-string');
  }
}

/**
 * Parse a header value holding one or several challenges (or credentials):
 * `Digest realm="a", nonce="b", algorithm=SHA-256, Digest realm="a", ...`.
 * Several field lines should be parsed one by one and concatenated.
 * Throws DigestParseError('bad-auth-header') on malformed text.
 */
export function parseAuthElements(value: string): AuthElement[] {
  const sc = new Scanner(value);
  const out: AuthElement[] = [];
  let cur: AuthElement | undefined;
  sc.skipListSep();
  while (!sc.done) {
    const start = sc.i;
    const name = sc.token();
    if (name.length === 0) throw new DigestParseError('bad-auth-header', `unexpected character at ${sc.i}`);
    sc.skipWs();
    if (!sc.done && sc.peek() === 0x3d) {
      if (!cur) throw new DigestParseError('bad-auth-header', 'auth-param before any scheme');
      sc.i = start;
      readParam(sc, cur);
    } else {
      cur = { scheme: name, params: new Map(), quoted: new Set() };
      out.push(cur);
      if (!sc.done && sc.peek() !== 0x2c) {
        const t68 = readToken68(sc);
        if (t68 !== undefined) cur.token68 = t68;
        else readParam(sc, cur);
      }
    }
    sc.skipWs();
    if (!sc.done && sc.peek() !== 0x2c) throw new DigestParseError('bad-auth-header', `expected ',' at ${sc.i}`);
    sc.skipListSep();
  }
  return out;
}

/** auth-param = token BWS "=" BWS ( token / quoted-string ) */
function readParam(sc: Scanner, into: AuthElement): void {
  const name = sc.token().toLowerCase();
  if (name.length === 0) throw new DigestParseError('bad-auth-header', `expected a parameter at ${sc.i}`);
  sc.skipWs();
  if (sc.done || sc.peek() !== 0x3d) throw new DigestParseError('bad-auth-header', `expected '=' after ${name}`);
  sc.i++;
  sc.skipWs();
  let v: string;
  if (!sc.done && sc.peek() === 0x22) {
    v = sc.quoted();
    into.quoted.add(name);
  } else {
    v = sc.token();
    if (v.length === 0) throw new DigestParseError('bad-auth-header', `empty value for ${name}`);
  }
  into.params.set(name, v);
}

const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** A token68 (`dXNlcjpwYXNz==`) when the text at the cursor is one, else undefined with the cursor unmoved. */
function readToken68(sc: Scanner): string | undefined {
  const start = sc.i;
  while (!sc.done && TOKEN68_CHAR.test(sc.s[sc.i]!)) sc.i++;
  if (sc.i === start) return undefined;
  while (!sc.done && sc.peek() === 0x3d) sc.i++;
  const end = sc.i;
  sc.skipWs();
  if (sc.done || sc.peek() === 0x2c) return sc.s.slice(start, end);
  sc.i = start; // it was the first auth-param
  return undefined;
}

/** Every challenge of every field line given (e.g. all WWW-Authenticate lines of a response). */
export function parseChallenges(fieldLines: readonly string[]): AuthElement[] {
  return fieldLines.flatMap((l) => parseAuthElements(l));
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** qop options offered; empty for an RFC 2069 challenge. */
  qop: string[];
  opaque?: string;
  stale: boolean;
  domain?: string;
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: DigestQop;
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

function need(el: AuthElement, name: string): string {
  const v = el.params.get(name);
  if (v === undefined) throw new DigestParseError('missing-param', `missing ${name}`);
  return v;
}

function algorithmOf(el: AuthElement): DigestAlgorithm {
  const raw = el.params.get('algorithm');
  if (raw === undefined) return 'MD5';
  const alg = parseAlgorithm(raw);
  if (!alg) throw new DigestParseError('bad-param', `unsupported algorithm ${raw}`);
  return alg;
}

function assertDigest(el: AuthElement): void {
  if (el.scheme.toLowerCase() !== 'digest') throw new DigestParseError('not-digest', `scheme ${el.scheme} is not Digest`);
}

/** Typed view of a Digest challenge. Throws DigestParseError. */
export function toDigestChallenge(el: AuthElement): DigestChallenge {
  assertDigest(el);
  const ch: DigestChallenge = {
    realm: need(el, 'realm'),
    nonce: need(el, 'nonce'),
    algorithm: algorithmOf(el),
    qop: (el.params.get('qop') ?? '').split(',').map((q) => q.trim()).filter((q) => q.length > 0),
    stale: (el.params.get('stale') ?? '').toLowerCase() === 'true',
  };
  const opaque = el.params.get('opaque');
  if (opaque !== undefined) ch.opaque = opaque;
  const domain = el.params.get('domain');
  if (domain !== undefined) ch.domain = domain;
  return ch;
}

const NC_RE = /^[0-9a-fA-F]{8}$/;

/** Typed view of Digest credentials, checked for the parameters the qop needs. Throws DigestParseError. */
export function toDigestCredentials(el: AuthElement): DigestCredentials {
  assertDigest(el);
  const cr: DigestCredentials = {
    username: need(el, 'username'),
    realm: need(el, 'realm'),
    nonce: need(el, 'nonce'),
    uri: need(el, 'uri'),
    response: need(el, 'response'),
    algorithm: algorithmOf(el),
  };
  const qop = el.params.get('qop');
  if (qop !== undefined) {
    if (qop !== 'auth' && qop !== 'auth-int') throw new DigestParseError('bad-param', `unsupported qop ${qop}`);
    cr.qop = qop;
    const nc = need(el, 'nc');
    if (!NC_RE.test(nc)) throw new DigestParseError('bad-param', 'nc must be 8 hex digits');
    cr.nc = nc;
    cr.cnonce = need(el, 'cnonce');
  } else if (el.params.has('cnonce')) cr.cnonce = el.params.get('cnonce')!;
  if (isSessAlgorithm(cr.algorithm) && cr.cnonce === undefined) throw new DigestParseError('missing-param', 'missing cnonce');
  const opaque = el.params.get('opaque');
  if (opaque !== undefined) cr.opaque = opaque;
  return cr;
}

/** Parse an Authorization / Proxy-Authorization value holding Digest credentials. Throws DigestParseError. */
export function parseDigestCredentials(value: string): DigestCredentials {
  const els = parseAuthElements(value);
  if (els.length !== 1) throw new DigestParseError('bad-auth-header', 'expected exactly one credentials');
  return toDigestCredentials(els[0]!);
}

/** `Digest realm="...", nonce="...", algorithm=SHA-256, qop="auth"`; realm, nonce, opaque, domain and qop quoted as RFC 3261 requires. */
export function formatDigestChallenge(ch: DigestChallenge): string {
  const parts = [`realm=${quote(ch.realm)}`];
  if (ch.domain !== undefined) parts.push(`domain=${quote(ch.domain)}`);
  parts.push(`nonce=${quote(ch.nonce)}`);
  if (ch.opaque !== undefined) parts.push(`opaque=${quote(ch.opaque)}`);
  if (ch.stale) parts.push('stale=true');
  parts.push(`algorithm=${ch.algorithm}`);
  if (ch.qop.length > 0) parts.push(`qop=${quote(ch.qop.join(','))}`);
  return `Digest ${parts.join(', ')}`;
}

/** Authorization value; username, realm, nonce, uri, response, cnonce, opaque quoted; algorithm, qop, nc bare. */
export function formatDigestCredentials(cr: DigestCredentials): string {
  const parts = [
    `username=${quote(cr.username)}`,
    `realm=${quote(cr.realm)}`,
    `nonce=${quote(cr.nonce)}`,
    `uri=${quote(cr.uri)}`,
    `response=${quote(cr.response)}`,
    `algorithm=${cr.algorithm}`,
  ];
  if (cr.cnonce !== undefined) parts.push(`cnonce=${quote(cr.cnonce)}`);
  if (cr.opaque !== undefined) parts.push(`opaque=${quote(cr.opaque)}`);
  if (cr.qop !== undefined) parts.push(`qop=${cr.qop}`, `nc=${cr.nc ?? '00000001'}`);
  return `Digest ${parts.join(', ')}`;
}

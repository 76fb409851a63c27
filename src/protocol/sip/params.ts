/**
 * Generic parameter lists (RFC 3261 section 25.1 `generic-param`):
 * `;name=value;flag`. Names are case-insensitive and stored lower-case;
 * values are kept as written (a quoted-string keeps its quotes, so that
 * formatting gives back the same text). A flag has the value `null`.
 */
import { SipParseError, type SipParseErrorCode } from './errors.ts';

export type Params = Map<string, string | null>;

const SP = 0x20;
const HTAB = 0x09;

function isWs(c: number): boolean {
  return c === SP || c === HTAB || c === 0x0d || c === 0x0a;
}

/** Trim SIP linear white space (SP, HTAB, CR, LF) only; JS trim() would also eat U+FEFF, U+00A0... */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Index just past the quoted-string that starts at `i` (which holds `"`), or -1 when unterminated. */
export function skipQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++; // backslash: quoted-pair
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** Remove the quotes and quoted-pair escapes of a quoted-string; other text is returned as is. */
export function unquote(v: string): string {
  if (v.length < 2 || v.charCodeAt(0) !== 0x22 || v.charCodeAt(v.length - 1) !== 0x22) return v;
  let out = '';
  for (let i = 1; i < v.length - 1; i++) {
    const ch = v[i]!;
    if (ch === '\\' && i + 1 < v.length - 1) {
      out += v[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

/** Make a quoted-string of any text, escaping `"` and `\`. */
export function quote(v: string): string {
  return `"${v.replace(/["\\]/g, (m) => `\\${m}`)}"`;
}

/**
 * Parse a parameter list. `s` may start with `;` (or with LWS then `;`).
 * Splits only at `;` outside quoted strings. Throws SipParseError(code) on an
 * empty name or an unterminated quote.
 */
export function parseParams(s: string, code: SipParseErrorCode = 'bad-header'): Params {
  const out: Params = new Map();
  let i = 0;
  const n = s.length;
  while (i < n && isWs(s.charCodeAt(i))) i++;
  if (i >= n) return out;
  if (s.charCodeAt(i) === 0x3b) i++;
  while (i <= n) {
    // one param: up to the next ';' outside quotes
    let j = i;
    let eq = -1;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c === 0x22) {
        const k = skipQuoted(s, j);
        if (k < 0) throw new SipParseError(code, 'unterminated quoted parameter');
        j = k;
        continue;
      }
      if (c === 0x3b) break;
      if (c === 0x3d && eq < 0) eq = j;
      j++;
    }
    const name = trimLws(eq < 0 ? s.slice(i, j) : s.slice(i, eq));
    if (name.length === 0 || !isToken(name)) throw new SipParseError(code, 'malformed parameter');
    const value = eq < 0 ? null : trimLws(s.slice(eq + 1, j));
    out.set(name.toLowerCase(), value);
    if (j >= n) break;
    i = j + 1;
  }
  return out;
}

/** `;name=value;flag` (empty string for no parameters). */
export function formatParams(params: ReadonlyMap<string, string | null>): string {
  let out = '';
  for (const [k, v] of params) out += v === null ? `;${k}` : `;${k}=${v}`;
  return out;
}

// RFC 3261 token characters: alphanum and -.!%*_+`'~
const TOKEN = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;

export function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

/** True when `s` is a non-empty RFC 3261 token. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Split a header value at commas that are outside quoted strings and outside
 * `<...>` (a URI may hold commas). Parts are trimmed; empty parts are kept so
 * callers can reject them.
 */
export function splitList(value: string, code: SipParseErrorCode = 'bad-header'): string[] {
  const parts: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 && !angle) {
      const k = skipQuoted(value, i);
      if (k < 0) throw new SipParseError(code, 'unterminated quoted string');
      i = k - 1;
    } else if (c === 0x3c) angle = true;
    else if (c === 0x3e) angle = false;
    else if (c === 0x2c && !angle) {
      parts.push(trimLws(value.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(trimLws(value.slice(start)));
  return parts;
}

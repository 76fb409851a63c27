/**
 * host and hostport (RFC 3261 section 25.1, RFC 5118 for IPv6 references).
 * Hosts are kept as written (IPv6 in brackets); ports are numbers.
 */
import { SipParseError, type SipParseErrorCode } from './errors.ts';

export interface HostPort {
  host: string;
  port?: number;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    if (Number(p) > 255) return false;
  }
  return true;
}

function hexGroups(s: string): number {
  // number of 16-bit groups in a colon-separated run, -1 when malformed
  if (s.length === 0) return 0;
  const parts = s.split(':');
  let groups = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      if (!isIPv4(p)) return -1;
      groups += 2;
      continue;
    }
    if (p.length === 0 || p.length > 4) return -1;
    for (let j = 0; j < p.length; j++) if (!isHex(p.charCodeAt(j))) return -1;
    groups++;
  }
  return groups;
}

/**
 * IPv6 address without brackets. `tolerant` accepts the `:::` form that
 * RFC 3261's ABNF allowed (RFC 5118 section 4.10), read as `::`.
 */
export function isIPv6(s: string, tolerant = true): boolean {
  let a = s;
  if (tolerant) a = a.replace(/:::(?=[0-9A-Fa-f])/, '::');
  const dbl = a.indexOf('::');
  if (dbl < 0) return hexGroups(a) === 8;
  if (a.indexOf('::', dbl + 1) >= 0) return false;
  const left = hexGroups(a.slice(0, dbl));
  const right = hexGroups(a.slice(dbl + 2));
  if (left < 0 || right < 0) return false;
  return left + right <= 7;
}

/** hostname / IPv4address / IPv6reference. Accepts `_` in labels (seen in the wild). */
export function isValidHost(h: string): boolean {
  if (h.length === 0) return false;
  if (h.charCodeAt(0) === 0x5b) return h.charCodeAt(h.length - 1) === 0x5d && isIPv6(h.slice(1, -1));
  if (h.length > 255) return false;
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f;
    if (!ok) return false;
  }
  return true;
}

/** Parse a decimal port 0..65535, or undefined when not one. */
export function parsePort(s: string): number | undefined {
  if (s.length === 0 || s.length > 5) return undefined;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    v = v * 10 + (c - 0x30);
  }
  return v <= 65535 ? v : undefined;
}

/** Parse `host[:port]` (LWS around the colon allowed). Throws SipParseError(code). */
export function parseHostPort(s: string, code: SipParseErrorCode): HostPort {
  const t = s.trim();
  let host: string;
  let rest: string;
  if (t.charCodeAt(0) === 0x5b) {
    const end = t.indexOf(']');
    if (end < 0) throw new SipParseError(code, 'unterminated IPv6 reference');
    host = t.slice(0, end + 1);
    rest = t.slice(end + 1).trim();
  } else {
    const colon = t.indexOf(':');
    host = (colon < 0 ? t : t.slice(0, colon)).trim();
    rest = colon < 0 ? '' : t.slice(colon).trim();
  }
  if (!isValidHost(host)) throw new SipParseError(code, 'malformed host');
  if (rest.length === 0) return { host };
  if (rest.charCodeAt(0) !== 0x3a) throw new SipParseError(code, 'malformed host');
  const port = parsePort(rest.slice(1).trim());
  if (port === undefined) throw new SipParseError(code, 'malformed port');
  return { host, port };
}

/** Host without IPv6 brackets (for sockets and comparisons). */
export function bareHost(h: string): string {
  return h.charCodeAt(0) === 0x5b && h.charCodeAt(h.length - 1) === 0x5d ? h.slice(1, -1) : h;
}

export function formatHostPort(hp: HostPort): string {
  return hp.port === undefined ? hp.host : `${hp.host}:${hp.port}`;
}

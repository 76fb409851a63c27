/**
 * Address helpers shared by the transports: one spelling per IP address so
 * that connection tables and Via comparisons agree (IPv4-mapped IPv6 becomes
 * IPv4, IPv6 is lower-cased and compressed, brackets are dropped).
 */
import { isIP } from 'node:net';
import type { Endpoint } from './transport.ts';

/** Canonical text of an IP address; non-IP text (host names) is returned lower-cased without brackets. */
export function normalizeAddress(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  const bare = zone < 0 ? a : a.slice(0, zone);
  if (isIP(bare) !== 6) return a.toLowerCase();
  const groups = expandIPv6(bare);
  if (groups === undefined) return a.toLowerCase();
  // ::ffff:a.b.c.d (IPv4-mapped) is the IPv4 peer of a dual-stack socket
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const hi = groups[6]!;
    const lo = groups[7]!;
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return compressIPv6(groups) + (zone < 0 ? '' : a.slice(zone).toLowerCase());
}

/** Eight 16-bit groups of an IPv6 address (dotted IPv4 tail allowed), or undefined when malformed. */
export function expandIPv6(a: string): number[] | undefined {
  let text = a;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    if (isIP(last) !== 4) return undefined;
    const o = last.split('.').map(Number);
    tail.push((o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!);
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = text.indexOf('::');
  const parse = (s: string): number[] => (s.length === 0 ? [] : s.split(':').map((g) => parseInt(g, 16)));
  let groups: number[];
  if (dbl < 0) groups = parse(text);
  else {
    const left = parse(text.slice(0, dbl));
    const right = parse(text.slice(dbl + 2));
    const fill = 8 - left.length - right.length;
    if (fill < 0) return undefined;
    groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  }
  if (tail.length > 0) groups = [...groups.slice(0, -2), ...tail];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  return groups;
}

function compressIPv6(groups: number[]): string {
  // RFC 5952: longest run of two or more zero groups becomes '::'
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** True when both texts name the same IP address (or the same host name, case-insensitively). */
export function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}

/** Map key of an endpoint: `1.2.3.4:5060`, `[::1]:5060`. */
export function endpointKey(e: Endpoint): string {
  const a = normalizeAddress(e.address);
  return a.includes(':') ? `[${a}]:${e.port}` : `${a}:${e.port}`;
}

export function isIPv6Address(address: string): boolean {
  return isIP(normalizeAddress(address).split('%')[0] ?? '') === 6;
}

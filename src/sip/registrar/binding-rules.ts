/**
 * Pure rules for REGISTER Contact values (RFC 3261 sections 10.2 and 10.3,
 * 19.1.4, 20.10, 20.19): which stored binding a contact refers to, q-values,
 * expiry values, and the Contact text listed in a 200 OK.
 */
import type { NameAddr } from '../../protocol/sip/name-addr.ts';
import { formatParams } from '../../protocol/sip/params.ts';
import { decodedUser, isSipUri, parseUri } from '../../protocol/sip/uri.ts';

/** URI parameters that take part in comparison whenever either side has them (RFC 3261 19.1.4). */
const COMPARED_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'] as const;

/**
 * A key equal for contacts that refer to the same binding: SIP URIs compared
 * as RFC 3261 19.1.4 says (scheme, user with escapes decoded, password,
 * host case-insensitively, port, and the user/ttl/method/maddr/transport
 * parameters); other parameters and URI headers are left out. Other
 * schemes compare as lower-cased text. Throws SipParseError on a bad URI.
 */
export function contactKey(uri: string): string {
  const u = parseUri(uri);
  if (!isSipUri(u)) return uri.toLowerCase();
  const parts = [u.scheme, decodedUser(u) ?? '', u.password ?? '', u.host.toLowerCase(), u.port === undefined ? '' : String(u.port)];
  for (const p of COMPARED_PARAMS) parts.push((u.params.get(p) ?? '').toLowerCase());
  return parts.join('\u0000');
}

/** q-value 0..1 with up to three decimals (RFC 3261 20.10); undefined when malformed. */
export function parseQ(value: string | null | undefined): number | undefined {
  if (value === undefined) return 1;
  if (value === null) return undefined;
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Largest delta-seconds honoured before clamping (RFC 3261 20.19: take anything bigger as 2^32-1). */
const MAX_DELTA = 2 ** 32 - 1;

/** delta-seconds: digits only; huge values become 2^32-1. Undefined when malformed. */
export function parseDeltaSeconds(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const t = value.trim();
  if (!/^\d{1,20}$/.test(t)) return undefined;
  const n = Number(t);
  return n > MAX_DELTA ? MAX_DELTA : n;
}

/** The `+sip.instance` value of a contact (RFC 5626), quotes and angle brackets removed. */
export function instanceIdOf(contact: NameAddr): string | undefined {
  const v = contact.params.get('+sip.instance');
  if (v === undefined || v === null) return undefined;
  return v.replace(/^"<?|>?"$/g, '');
}

/** The `reg-id` of a contact (RFC 5626 section 4.2): a positive integer, else undefined. */
export function regIdOf(contact: NameAddr): number | undefined {
  const v = contact.params.get('reg-id');
  if (v === undefined || v === null || !/^[1-9]\d{0,9}$/.test(v)) return undefined;
  return Number(v);
}

/** Binding key of an outbound registration (RFC 5626 section 6): the instance and reg-id, whatever the URI. */
export function outboundKey(instanceId: string, regId: number): string {
  return `outbound\u0000${instanceId}\u0000${regId}`;
}

/**
 * A binding's Contact value for the 200 OK: `<uri>` with the parameters it
 * was registered with (q, +sip.instance, reg-id...) and `expires` set to the
 * seconds left.
 */
export function bindingContactValue(contact: NameAddr, expiresIn: number): string {
  const params = new Map(contact.params);
  params.delete('expires');
  params.set('expires', String(Math.max(0, Math.floor(expiresIn))));
  return `<${contact.uri}>${formatParams(params)}`;
}

/** PartyAddress values (switch port) from SIP name-addrs and URIs. */
import type { NameAddr } from '../../protocol/sip/name-addr.ts';
import { decodedUser, isSipUri, isTelUri, parseUri } from '../../protocol/sip/uri.ts';
import type { PartyAddress } from '../runtime/call-gateway.ts';

/** The user part of a SIP URI or the number of a tel: URI; '' when none or unparseable. */
export function userOf(uri: string): string {
  try {
    const u = parseUri(uri);
    if (isSipUri(u)) return decodedUser(u) ?? '';
    if (isTelUri(u)) return u.number;
  } catch {
    /* opaque or malformed: no user */
  }
  return '';
}

export function partyOf(na: NameAddr, user = userOf(na.uri)): PartyAddress {
  const p: PartyAddress = { user, uri: na.uri };
  if (na.displayName !== undefined && na.displayName.length > 0) p.displayName = na.displayName;
  return p;
}

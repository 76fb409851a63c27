/**
 * Route sets and in-dialog request targeting (RFC 3261 sections 12.1.1,
 * 12.1.2 and 12.2.1.1). Entries are kept as the name-addr text that
 * arrived in Record-Route, one URI each.
 */
import type { SipMessage } from '../../protocol/sip/message.ts';
import { parseNameAddr } from '../../protocol/sip/name-addr.ts';
import { splitList } from '../../protocol/sip/params.ts';
import { formatUri, isSipUri, parseUri } from '../../protocol/sip/uri.ts';
import { DialogError } from './dialog-error.ts';

/** Record-Route entries in message order (all field lines, comma lists split). */
export function recordRouteEntries(msg: SipMessage): string[] {
  const out: string[] = [];
  for (const line of msg.headers.getAll('Record-Route')) {
    for (const part of splitList(line, 'bad-name-addr')) if (part.length > 0) out.push(part);
  }
  return out;
}

/** URI of a route entry (`<sip:p.example.com;lr>` -> `sip:p.example.com;lr`). */
export function routeUri(entry: string): string {
  try {
    return parseNameAddr(entry).uri;
  } catch {
    throw new DialogError('bad-route', `malformed route entry ${entry}`);
  }
}

/** True when the route entry's URI carries `lr` (a loose router). */
export function isLooseRoute(entry: string): boolean {
  try {
    const u = parseUri(routeUri(entry));
    return isSipUri(u) && u.params.has('lr');
  } catch {
    return false;
  }
}

export interface RequestTarget {
  /** Request-URI to send to. */
  uri: string;
  /** Route header values, in order. */
  routes: string[];
}

/**
 * Request-URI and Route for an in-dialog request (12.2.1.1): empty route
 * set -> remote target, no Route; first entry loose -> remote target with
 * the whole route set; first entry strict -> its URI (without the
 * parameters a Request-URI may not carry) as Request-URI, the rest of the
 * route set, then the remote target as the last Route.
 */
export function targetFor(remoteTarget: string, routeSet: readonly string[]): RequestTarget {
  const first = routeSet[0];
  if (first === undefined) return { uri: remoteTarget, routes: [] };
  if (isLooseRoute(first)) return { uri: remoteTarget, routes: [...routeSet] };
  return { uri: stripForRequestUri(routeUri(first)), routes: [...routeSet.slice(1), `<${remoteTarget}>`] };
}

/** Remove `method` and `maddr`-style parameters not allowed in a Request-URI (RFC 3261 19.1.1 table 1). */
function stripForRequestUri(uri: string): string {
  try {
    const u = parseUri(uri);
    if (!isSipUri(u)) return uri;
    u.params.delete('method');
    u.headers.clear();
    return formatUri(u);
  } catch {
    return uri;
  }
}

/**
 * Next hop of an outgoing request (RFC 3261 section 8.1.2, RFC 3263 4.1-4.2
 * without SRV/NAPTR): the first Route when it is a loose router, else the
 * Request-URI; its maddr or host, its port (5060, 5061 for TLS/sips), and
 * its transport parameter (sips means TLS, default UDP). Numeric hosts are
 * used as they are; names go through the HostResolver.
 */
import type { SipRequest } from '../../protocol/sip/message.ts';
import { bareHost, isIPv4, isIPv6 } from '../../protocol/sip/host.ts';
import { isSipUri, parseUri } from '../../protocol/sip/uri.ts';
import { isLooseRoute, routeUri } from '../dialog/route-set.ts';
import type { Endpoint, TransportProtocol } from '../transport/transport.ts';
import type { HostResolver } from './host-resolver.ts';

export interface NextHop {
  protocol: TransportProtocol;
  remote: Endpoint;
}

export type NextHopErrorCode = 'bad-uri' | 'unsupported-scheme' | 'unsupported-transport' | 'unresolvable';

export class NextHopError extends Error {
  override readonly name = 'NextHopError';
  constructor(
    readonly code: NextHopErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const TRANSPORTS: Record<string, TransportProtocol> = { udp: 'udp', tcp: 'tcp', tls: 'tls', ws: 'ws', wss: 'wss' };

/** The URI the request is sent towards. */
export function nextHopUri(req: SipRequest): string {
  const firstRoute = req.headers.get('Route');
  if (firstRoute !== undefined) {
    const entry = firstRoute.split(',')[0]?.trim() ?? '';
    if (entry.length > 0 && isLooseRoute(entry)) return routeUri(entry);
  }
  return req.uri;
}

export async function resolveNextHop(req: SipRequest, resolver: HostResolver): Promise<NextHop> {
  const text = nextHopUri(req);
  let uri;
  try {
    uri = parseUri(text);
  } catch {
    throw new NextHopError('bad-uri', `cannot parse next hop ${text}`);
  }
  if (!isSipUri(uri)) throw new NextHopError('unsupported-scheme', `cannot route to ${uri.scheme}: URIs`);
  const tp = uri.params.get('transport')?.toLowerCase();
  let protocol: TransportProtocol = uri.scheme === 'sips' ? 'tls' : 'udp';
  if (tp) {
    const p = TRANSPORTS[tp];
    if (!p) throw new NextHopError('unsupported-transport', `transport=${tp} is not supported`);
    protocol = uri.scheme === 'sips' && p === 'tcp' ? 'tls' : p;
  }
  const host = bareHost(uri.params.get('maddr') ?? uri.host);
  const port = uri.port ?? (protocol === 'tls' || protocol === 'wss' ? 5061 : 5060);
  if (isIPv4(host) || isIPv6(host)) return { protocol, remote: { address: host, port } };
  let addresses: string[];
  try {
    addresses = await resolver.lookup(host);
  } catch (e) {
    throw new NextHopError('unresolvable', `cannot resolve ${host}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const first = addresses[0];
  if (first === undefined) throw new NextHopError('unresolvable', `no address for ${host}`);
  return { protocol, remote: { address: first, port } };
}

/**
 * Server side of the top Via (RFC 3261 section 18.2.1, RFC 3581): note
 * where a request really came from, and choose where its responses go
 * (18.2.2). Local to the stack until src/sip/transport/rport.ts offers the
 * same; the rules are small and fixed by the RFCs.
 */
import type { SipRequest } from '../../protocol/sip/message.ts';
import { isIPv4, isIPv6, bareHost } from '../../protocol/sip/host.ts';
import { splitList } from '../../protocol/sip/params.ts';
import { formatVia, parseVia, viaMaddr, viaReceived, viaRport, type Via } from '../../protocol/sip/via.ts';
import type { Flow, SendTarget } from '../transport/transport.ts';

function sameHost(viaHost: string, address: string): boolean {
  const h = bareHost(viaHost).toLowerCase();
  if (!isIPv4(h) && !isIPv6(h)) return false;
  return h === address.toLowerCase();
}

/**
 * Add `received` when the sent-by host is not the source address, and fill
 * an empty `rport` with the source port (then `received` is always added).
 * Rewrites only the first value of the first Via line. Returns the new top Via.
 */
export function stampTopVia(req: SipRequest, flow: Flow): Via | undefined {
  const line = req.headers.get('Via');
  if (line === undefined) return undefined;
  const parts = splitList(line, 'bad-via');
  const first = parts[0];
  if (first === undefined) return undefined;
  const via = parseVia(first)[0];
  if (!via) return undefined;
  const wantsRport = via.params.has('rport') && viaRport(via) === null;
  if (wantsRport) via.params.set('rport', String(flow.remote.port));
  if (wantsRport || !sameHost(via.host, flow.remote.address)) {
    via.params.set('received', flow.remote.address.includes(':') ? `[${flow.remote.address}]` : flow.remote.address);
  }
  parts[0] = formatVia(via);
  req.headers.set('Via', parts.join(', '));
  return via;
}

function defaultPort(transport: string): number {
  return transport === 'TLS' || transport === 'WSS' ? 5061 : 5060;
}

/**
 * Where responses to a request go (18.2.2, RFC 3581 section 4): reliable
 * transports answer on the connection the request came on; otherwise
 * `maddr` wins, then the source address with rport, then `received` with the
 * Via port, then the sent-by.
 */
export function responseTarget(topVia: Via, flow: Flow): SendTarget {
  if (flow.connectionId !== undefined) return { remote: flow.remote, connectionId: flow.connectionId };
  const maddr = viaMaddr(topVia);
  const port = topVia.port ?? defaultPort(topVia.transport);
  if (maddr !== undefined) return { remote: { address: bareHost(maddr), port } };
  const rport = viaRport(topVia);
  if (typeof rport === 'number') return { remote: { address: viaReceived(topVia) ?? flow.remote.address, port: rport } };
  const received = viaReceived(topVia);
  if (received !== undefined) return { remote: { address: received, port } };
  const host = bareHost(topVia.host);
  return { remote: { address: isIPv4(host) || isIPv6(host) ? host : flow.remote.address, port } };
}

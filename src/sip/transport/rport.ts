/**
 * Server-side Via handling at the transport boundary.
 *
 * stampVia: RFC 3261 section 18.2.1 adds `received=<source address>` when
 * the sent-by host differs from where the request came from; RFC 3581
 * (symmetric response routing) fills `rport=<source port>` when the client
 * sent the bare `rport` flag, and then `received` is added even when equal.
 * A `received` the client wrote itself is dropped when it is not needed, so
 * a spoofed value cannot steer our responses elsewhere (OPS-2).
 *
 * responseTarget: where a response goes (RFC 3261 section 18.2.2 with RFC
 * 3581 section 4): reliable transports answer on the request's connection,
 * falling back to `received` and the sent-by port (default 5060, 5061 for
 * TLS); unreliable ones go to `maddr`, else `received` + `rport`, else
 * `received` (or the host) + sent-by port.
 */
import { SipParseError } from '../../protocol/sip/errors.ts';
import { bareHost } from '../../protocol/sip/host.ts';
import { formatVia, parseVia, viaMaddr, viaReceived, viaRport, viaTtl, type Via } from '../../protocol/sip/via.ts';
import { normalizeAddress, sameAddress } from './endpoint.ts';
import type { Flow, SendTarget, TransportProtocol } from './transport.ts';

export interface ResponseTarget extends SendTarget {
  protocol: TransportProtocol;
  /** Multicast TTL when answering to a Via `maddr` (RFC 3261 section 18.2.2). */
  ttl?: number;
}

/** The request's top Via value with `received` and `rport` set as the server must. Throws SipParseError on a malformed Via. */
export function stampVia(topVia: string, flow: Flow): string {
  const [first, ...rest] = parseVia(topVia);
  if (first === undefined) throw new SipParseError('bad-via', 'empty Via');
  return [formatVia(stamp(first, flow)), ...rest.map(formatVia)].join(', ');
}

function stamp(via: Via, flow: Flow): Via {
  const params = new Map(via.params);
  const source = normalizeAddress(flow.remote.address);
  const wantsRport = params.has('rport');
  if (wantsRport) params.set('rport', String(flow.remote.port));
  if (wantsRport || !sameAddress(bareHost(via.host), source)) params.set('received', source);
  else params.delete('received');
  return { ...via, params };
}

/** Where to send a response to the request that carried this top Via and arrived on `flow`. */
export function responseTarget(topVia: string, flow: Flow): ResponseTarget {
  const first = parseVia(topVia)[0];
  if (first === undefined) throw new SipParseError('bad-via', 'empty Via');
  const via = stamp(first, flow);
  const source = normalizeAddress(flow.remote.address);
  const received = viaReceived(via) ?? normalizeAddress(bareHost(via.host));
  if (flow.protocol !== 'udp') {
    // ws/wss: the Via host is a placeholder (RFC 7118 section 5); only the connection counts
    const remote = flow.protocol === 'ws' || flow.protocol === 'wss' ? { ...flow.remote } : { address: received, port: via.port ?? defaultPort(flow.protocol) };
    return { protocol: flow.protocol, remote, ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }) };
  }
  const maddr = viaMaddr(via);
  if (maddr !== undefined) {
    const ttl = viaTtl(via);
    return { protocol: 'udp', remote: { address: normalizeAddress(bareHost(maddr)), port: via.port ?? 5060 }, ...(ttl === undefined || Number.isNaN(ttl) ? {} : { ttl }) };
  }
  const rport = viaRport(via);
  if (typeof rport === 'number') return { protocol: 'udp', remote: { address: received || source, port: rport } };
  return { protocol: 'udp', remote: { address: received || source, port: via.port ?? 5060 } };
}

function defaultPort(protocol: TransportProtocol): number {
  return protocol === 'tls' || protocol === 'wss' ? 5061 : 5060;
}

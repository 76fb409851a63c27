/**
 * The configured transports of one SIP node (TEL-2): built from options,
 * started and stopped together, and asked which transport carries an
 * outgoing message: the one holding a given connection, else one of the
 * wanted protocol (from a URI `transport` parameter or a Via sent-protocol)
 * bound in the target's address family.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { isIPv6Address } from './endpoint.ts';
import { TcpTransport, type TcpTransportOptions } from './tcp-transport.ts';
import { TlsTransport, type TlsTransportOptions } from './tls-transport.ts';
import { TransportError, type Endpoint, type Flow, type SendTarget, type Transport, type TransportDelegate, type TransportProtocol } from './transport.ts';
import { UdpTransport, type UdpTransportOptions } from './udp-transport.ts';
import { WsTransport, type WsTransportOptions } from './ws-transport.ts';

type Own<T> = Omit<T, 'delegate' | 'logger' | 'clock'>;

export interface TransportSetOptions {
  delegate: TransportDelegate;
  logger: Logger;
  clock?: Clock;
  /** Each entry is one listening transport; a protocol may appear twice (e.g. one IPv4 and one IPv6 UDP socket). */
  udp?: Array<Own<UdpTransportOptions>>;
  tcp?: Array<Own<TcpTransportOptions>>;
  tls?: Array<Own<TlsTransportOptions>>;
  /** ws, or wss when `tls` is given. */
  ws?: Array<Own<WsTransportOptions>>;
}

export interface PickHint {
  /** An existing connection to reuse (RFC 3261 section 18.2.2). */
  connectionId?: string;
  protocol?: TransportProtocol;
  /** A Via sent-protocol transport or URI `transport` parameter: UDP, TCP, TLS, WS, WSS (any case). */
  viaTransport?: string;
  /** The destination, to choose between an IPv4 and an IPv6 transport of one protocol. */
  remote?: Endpoint;
}

/** The transport protocol a Via or URI transport token names, or undefined (e.g. SCTP, which Hotline does not serve). */
export function protocolOfToken(token: string): TransportProtocol | undefined {
  const t = token.trim().toLowerCase();
  return t === 'udp' || t === 'tcp' || t === 'tls' || t === 'ws' || t === 'wss' ? t : undefined;
}

export class TransportSet {
  private readonly list: Transport[];
  private readonly log: Logger;
  private started = false;

  constructor(transports: Transport[], logger: Logger) {
    this.list = [...transports];
    this.log = logger.child({ component: 'transport-set' });
  }

  static fromOptions(o: TransportSetOptions): TransportSet {
    const base = { delegate: o.delegate, logger: o.logger, ...(o.clock === undefined ? {} : { clock: o.clock }) };
    const ts: Transport[] = [
      ...(o.udp ?? []).map((u) => new UdpTransport({ ...u, delegate: o.delegate, logger: o.logger })),
      ...(o.tcp ?? []).map((t) => new TcpTransport({ ...t, ...base })),
      ...(o.tls ?? []).map((t) => new TlsTransport({ ...t, ...base })),
      ...(o.ws ?? []).map((w) => new WsTransport({ ...w, ...base })),
    ];
    return new TransportSet(ts, o.logger);
  }

  all(): Transport[] {
    return [...this.list];
  }

  /** Listen on every transport; when one fails the others are closed again and the error is thrown. */
  async start(): Promise<void> {
    const up: Transport[] = [];
    try {
      for (const t of this.list) {
        await t.listen();
        up.push(t);
      }
    } catch (err) {
      this.log.error({ err }, 'a transport failed to start; closing the others');
      await Promise.allSettled(up.map((t) => t.close()));
      throw err;
    }
    this.started = true;
    this.log.info({ transports: this.list.map((t) => `${t.protocol}:${t.local.address}:${t.local.port}`) }, 'SIP transports listening');
  }

  async stop(): Promise<void> {
    const results = await Promise.allSettled(this.list.map((t) => t.close()));
    for (const r of results) if (r.status === 'rejected') this.log.warn({ err: r.reason as unknown }, 'transport close failed');
    this.started = false;
  }

  get running(): boolean {
    return this.started;
  }

  /** The transport for an outgoing message. Throws TransportError('unreachable') when none fits. */
  pick(hint: PickHint): Transport {
    if (hint.connectionId !== undefined) {
      const holder = this.list.find((t) => t.hasConnection?.(hint.connectionId!) === true);
      if (holder) return holder;
    }
    const wanted = hint.protocol ?? (hint.viaTransport === undefined ? 'udp' : protocolOfToken(hint.viaTransport));
    if (wanted === undefined) throw new TransportError('unreachable', `transport ${hint.viaTransport ?? ''} is not served`);
    const candidates = this.list.filter((t) => t.protocol === wanted);
    if (candidates.length === 0) throw new TransportError('unreachable', `no ${wanted} transport configured`);
    if (hint.remote === undefined || candidates.length === 1) return candidates[0]!;
    const v6 = isIPv6Address(hint.remote.address);
    const fits = candidates.find((t) => {
      const local = t.local.address;
      if (local === '::') return true;
      return isIPv6Address(local) === v6;
    });
    return fits ?? candidates[0]!;
  }

  /** Pick and send in one step. */
  send(data: Buffer, target: SendTarget, hint: Omit<PickHint, 'connectionId' | 'remote'> = {}): Promise<Flow> {
    let t: Transport;
    try {
      t = this.pick({ ...hint, remote: target.remote, ...(target.connectionId === undefined ? {} : { connectionId: target.connectionId }) });
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return t.send(data, target);
  }
}

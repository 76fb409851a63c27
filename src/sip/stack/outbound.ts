/**
 * The sending side of the stack: pick the transport for a next hop, add our
 * Via (fresh branch, rport flag, RFC 3581), switch a UDP request over 1300
 * bytes to TCP when we have TCP (RFC 3261 section 18.1.1), and wrap it all
 * as a TransactionChannel.
 */
import type { Logger } from '../../shared/logger.ts';
import type { SipMessage, SipRequest } from '../../protocol/sip/message.ts';
import { randomBranch } from '../../protocol/sip/response.ts';
import { serializeMessage } from '../../protocol/sip/serializer.ts';
import type { TransactionChannel } from '../transaction/transaction-types.ts';
import type { SendTarget, Transport, TransportProtocol } from '../transport/transport.ts';
import { NextHopError, type NextHop } from './next-hop.ts';
import type { StackMetrics } from './stack-metrics.ts';

/** RFC 3261 18.1.1: a request within 200 bytes of a 1500-byte path MTU must not go over UDP. */
export const UDP_SIZE_LIMIT = 1300;

export interface SendHook {
  /** Every message the stack hands to a transport (tracing, capture). */
  onSend?(data: Buffer, protocol: TransportProtocol, target: SendTarget): void;
}

export interface OutboundOptions {
  transports: readonly Transport[];
  metrics: StackMetrics;
  logger: Logger;
  hooks?: SendHook;
  /** Host written in our Via (defaults to the transport's bound address). */
  viaHost?: string;
}

function viaHostOf(t: Transport, configured?: string): string {
  if (configured) return configured;
  const a = t.local.address;
  if (a === '0.0.0.0' || a === '::' || a === '') return '127.0.0.1';
  return a.includes(':') ? `[${a}]` : a;
}

export class Outbound {
  constructor(private readonly opts: OutboundOptions) {}

  /** The transport for a protocol; with `localPort`, preferably the one bound there (a message's own). */
  transportFor(protocol: TransportProtocol, localPort?: number): Transport | undefined {
    const same = this.opts.transports.filter((t) => t.protocol === protocol);
    return same.find((t) => t.local.port === localPort) ?? same[0];
  }

  /** A channel that serializes and sends to `target` on `transport`, counting and tracing. */
  channel(transport: Transport, target: SendTarget): TransactionChannel {
    return {
      reliable: transport.reliable,
      send: async (message: SipMessage) => {
        const data = serializeMessage(message);
        this.opts.hooks?.onSend?.(data, transport.protocol, target);
        try {
          await transport.send(data, target);
          this.opts.metrics.messagesOut++;
        } catch (err) {
          this.opts.metrics.sendErrors++;
          throw err;
        }
      },
    };
  }

  /**
   * Put our Via on top of `req` for `hop` and return the channel to send it
   * on. Throws NextHopError when no transport serves the hop's protocol.
   */
  prepare(req: SipRequest, hop: NextHop): TransactionChannel {
    let transport = this.transportFor(hop.protocol);
    if (!transport) throw new NextHopError('unsupported-transport', `no ${hop.protocol} transport configured`);
    const branch = randomBranch();
    this.addVia(req, transport, branch);
    if (transport.protocol === 'udp' && serializeMessage(req).length > UDP_SIZE_LIMIT) {
      const tcp = this.transportFor('tcp');
      if (tcp) {
        req.headers.deleteFirst('Via');
        transport = tcp;
        this.addVia(req, transport, branch);
      } else {
        this.opts.logger.warn({ method: req.method }, 'request over 1300 bytes sent on UDP: no TCP transport');
      }
    }
    return this.channel(transport, { remote: hop.remote });
  }

  /**
   * The channel for a request that already carries our Via (an ACK sent
   * again for a retransmitted 2xx, RFC 3261 13.2.2.4): the transport the Via
   * names, nothing added, so the bytes are those of the first sending.
   */
  again(req: SipRequest, hop: NextHop): TransactionChannel {
    if (!req.headers.get('Via')) return this.prepare(req, hop); // the first sending has not got that far: this is the first
    const via = /^SIP\/2\.0\/([A-Za-z]+)\s+[^;]*?:(\d+)/.exec(req.headers.get('Via') ?? '');
    const protocol = (via?.[1]?.toLowerCase() ?? hop.protocol) as TransportProtocol;
    const transport = this.transportFor(protocol, via ? Number(via[2]) : undefined);
    if (!transport) throw new NextHopError('unsupported-transport', `no ${protocol} transport configured`);
    return this.channel(transport, { remote: hop.remote });
  }

  private addVia(req: SipRequest, transport: Transport, branch: string): void {
    const proto = transport.protocol.toUpperCase();
    req.headers.prepend('Via', `SIP/2.0/${proto} ${viaHostOf(transport, this.opts.viaHost)}:${transport.local.port};branch=${branch};rport`);
  }
}

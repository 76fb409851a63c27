/**
 * SIP over UDP (RFC 3261 section 18). One socket: IPv4 (`0.0.0.0`), IPv6
 * (`::1`, any IPv6 address) or dual-stack (`::`, IPv4 peers seen as plain
 * IPv4). Each datagram is one message. Whether a message is too big for UDP
 * on the path (section 18.1.1, > 1300 bytes) is the stack's decision; this
 * transport refuses only what no datagram can carry (> 65,507 bytes).
 *
 * Keep-alives are not messages: an RFC 5626 "\r\n\r\n" ping is answered with
 * a "\r\n" pong, other whitespace-only datagrams and STUN packets are dropped.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '../../shared/logger.ts';
import { normalizeAddress } from './endpoint.ts';
import { TransportError, type Endpoint, type Flow, type SendTarget, type Transport, type TransportDelegate } from './transport.ts';

export const MAX_UDP_PAYLOAD = 65_507;
/** Requested SO_RCVBUF / SO_SNDBUF: 4 MiB (Linux caps it at net.core.rmem_max / wmem_max). */
export const DEFAULT_UDP_SOCKET_BUFFER = 4 * 1024 * 1024;

export interface UdpTransportOptions {
  delegate: TransportDelegate;
  logger: Logger;
  /** Bind address: `0.0.0.0` (default), `::` for dual stack, or one address. */
  host?: string;
  /** 0 picks an ephemeral port. Default 5060. */
  port?: number;
  socketBufferBytes?: number;
}

type UdpState = 'idle' | 'listening' | 'closed';

const PING = '\r\n\r\n';
const PONG = Buffer.from('\r\n');

export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  private readonly delegate: TransportDelegate;
  private readonly log: Logger;
  private readonly host: string;
  private readonly port: number;
  private readonly bufferBytes: number;
  private socket: Socket | undefined;
  private state: UdpState = 'idle';
  private bound: Endpoint = { address: '', port: 0 };
  private dualStack = false;

  constructor(opts: UdpTransportOptions) {
    this.delegate = opts.delegate;
    this.host = opts.host ?? '0.0.0.0';
    this.port = opts.port ?? 5060;
    this.bufferBytes = opts.socketBufferBytes ?? DEFAULT_UDP_SOCKET_BUFFER;
    this.log = opts.logger.child({ transport: 'udp' });
  }

  get local(): Endpoint {
    return this.bound;
  }

  async listen(): Promise<void> {
    if (this.state !== 'idle') throw new TransportError('not-listening', `udp transport is ${this.state}`);
    const v6 = isIP(this.host) === 6;
    this.dualStack = v6 && normalizeAddress(this.host) === '::';
    const socket = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 && !this.dualStack });
    socket.on('message', (msg, rinfo) => this.receive(msg, { address: normalizeAddress(rinfo.address), port: rinfo.port }));
    socket.on('error', (err) => this.log.error({ err }, 'udp socket error'));
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(new TransportError('not-listening', `udp bind ${this.host}:${this.port}: ${err.message}`));
      socket.once('error', fail);
      socket.bind(this.port, this.host, () => {
        socket.off('error', fail);
        resolve();
      });
    });
    this.socket = socket;
    this.state = 'listening';
    const a = socket.address();
    this.bound = { address: normalizeAddress(a.address), port: a.port };
    this.sizeBuffers(socket);
  }

  private sizeBuffers(socket: Socket): void {
    try {
      socket.setRecvBufferSize(this.bufferBytes);
      socket.setSendBufferSize(this.bufferBytes);
      this.log.info(
        { local: this.bound, requested: this.bufferBytes, recv: socket.getRecvBufferSize(), send: socket.getSendBufferSize() },
        'udp listening',
      );
    } catch (err) {
      this.log.warn({ err, requested: this.bufferBytes }, 'udp socket buffers not resized');
    }
  }

  private receive(msg: Buffer, remote: Endpoint): void {
    if (isKeepAlive(msg)) {
      if (msg.length === PING.length && msg.toString('latin1') === PING) {
        this.sendRaw(PONG, remote).catch((err: unknown) => this.log.debug({ err, remote }, 'udp pong not sent'));
      }
      return;
    }
    const flow: Flow = { protocol: 'udp', local: this.bound, remote };
    try {
      this.delegate.onMessage(msg, flow);
    } catch (err) {
      this.log.error({ err, remote }, 'udp delegate failed on a message');
    }
  }

  async send(data: Buffer, target: SendTarget): Promise<Flow> {
    if (data.length > MAX_UDP_PAYLOAD) throw new TransportError('too-large', `${data.length} bytes exceed the UDP maximum of ${MAX_UDP_PAYLOAD}`);
    const remote = { address: normalizeAddress(target.remote.address), port: target.remote.port };
    await this.sendRaw(data, remote);
    return { protocol: 'udp', local: this.bound, remote };
  }

  private sendRaw(data: Buffer, remote: Endpoint): Promise<void> {
    const socket = this.socket;
    if (this.state !== 'listening' || socket === undefined) return Promise.reject(new TransportError('not-listening', 'udp transport is not listening'));
    if (!Number.isInteger(remote.port) || remote.port <= 0 || remote.port > 65535) {
      return Promise.reject(new TransportError('unreachable', `bad port ${remote.port}`));
    }
    const address = this.socketAddress(remote.address);
    if (address === undefined) return Promise.reject(new TransportError('unreachable', `${remote.address} is not reachable from ${this.host}`));
    return new Promise((resolve, reject) => {
      try {
        socket.send(data, remote.port, address, (err) => {
          if (err) reject(new TransportError('unreachable', `udp send to ${remote.address}:${remote.port}: ${err.message}`));
          else resolve();
        });
      } catch (err) {
        reject(new TransportError('unreachable', `udp send to ${remote.address}:${remote.port}: ${(err as Error).message}`));
      }
    });
  }

  /** Address in the socket's family: IPv4 through a dual-stack socket is IPv4-mapped; a family mismatch is undefined. */
  private socketAddress(address: string): string | undefined {
    const family = isIP(address);
    const v6Socket = isIP(this.host) === 6;
    if (family === 0) return address; // a host name: the socket resolves it in its own family
    if (family === 4 && v6Socket) return this.dualStack ? `::ffff:${address}` : undefined;
    if (family === 6 && !v6Socket) return undefined;
    return address;
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.state = 'closed';
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  connectionCount(): number {
    return 0;
  }

  /** Socket buffer sizes in force (Linux reports twice what it grants); undefined before listen. */
  socketBufferSizes(): { recv: number; send: number } | undefined {
    const s = this.socket;
    if (s === undefined) return undefined;
    try {
      return { recv: s.getRecvBufferSize(), send: s.getSendBufferSize() };
    } catch {
      return undefined;
    }
  }
}

/** CR/LF/space/NUL-only datagrams (RFC 5626 pings and pongs, NAT keep-alives) and STUN (RFC 5389: first two bits zero, magic cookie). */
export function isKeepAlive(msg: Buffer): boolean {
  if (msg.length >= 20 && msg[0]! < 2 && msg.readUInt32BE(4) === 0x2112a442) return true;
  for (const b of msg) if (b !== 0x0d && b !== 0x0a && b !== 0x20 && b !== 0x00) return false;
  return true;
}

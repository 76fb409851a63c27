/**
 * What TCP and TLS share (RFC 3261 section 18): listen and accept, open a
 * connection on send when none to the target exists (bounded by a connect
 * timeout), reuse connections by id or by remote endpoint, enforce
 * connection limits (OPS-2), close idle connections. Subclasses only say how
 * a server is made and how a socket is connected.
 */
import type { Server, Socket } from 'node:net';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { ConnectionTable, DEFAULT_CONNECTION_LIMITS, nextConnectionId, type ConnectionLimits } from './connection-table.ts';
import { endpointKey, normalizeAddress } from './endpoint.ts';
import { StreamConnection, type StreamConnectionOwner } from './stream-connection.ts';
import type { FramingError, StreamFramerOptions } from './stream-framer.ts';
import { TransportError, type Endpoint, type Flow, type SendTarget, type Transport, type TransportDelegate } from './transport.ts';

export interface StreamTransportOptions extends Partial<ConnectionLimits> {
  delegate: TransportDelegate;
  logger: Logger;
  clock?: Clock;
  /** Bind address: `0.0.0.0` (default), `::` (dual stack) or one address. */
  host?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  /** Close connections with no traffic (and no hold) for this long; 0 never. Default 120 s. */
  idleTimeoutMs?: number;
  /** Give up opening a connection after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /** A peer whose unsent data passes this is disconnected. Default 8 MiB. */
  maxBufferedBytes?: number;
  framer?: Partial<StreamFramerOptions>;
}

type ListenState = 'idle' | 'listening' | 'closed';

export abstract class StreamTransport implements Transport {
  abstract readonly protocol: 'tcp' | 'tls';
  readonly reliable = true;
  protected readonly log: Logger;
  protected readonly clock: Clock;
  protected readonly connectTimeoutMs: number;
  private readonly delegate: TransportDelegate;
  private readonly host: string;
  private readonly port: number;
  private readonly idleTimeoutMs: number;
  private readonly maxBuffered: number;
  private readonly framerOptions: Partial<StreamFramerOptions>;
  private readonly table: ConnectionTable<StreamConnection>;
  private readonly pending = new Map<string, Promise<StreamConnection>>();
  private readonly connecting = new Set<Socket>();
  private server: Server | undefined;
  private state: ListenState = 'idle';
  private bound: Endpoint = { address: '', port: 0 };
  private readonly owner: StreamConnectionOwner;

  constructor(opts: StreamTransportOptions, defaultPort: number, name: string) {
    this.delegate = opts.delegate;
    this.log = opts.logger.child({ transport: name });
    this.clock = opts.clock ?? systemClock;
    this.host = opts.host ?? '0.0.0.0';
    this.port = opts.port ?? defaultPort;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 120_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.framerOptions = opts.framer ?? {};
    this.table = new ConnectionTable({
      maxConnections: opts.maxConnections ?? DEFAULT_CONNECTION_LIMITS.maxConnections,
      maxConnectionsPerSource: opts.maxConnectionsPerSource ?? DEFAULT_CONNECTION_LIMITS.maxConnectionsPerSource,
    });
    this.owner = {
      onMessage: (conn, data) => this.guard('onMessage', () => this.delegate.onMessage(data, conn.flow)),
      onFramingError: (conn, err, partial) => this.guard('onFramingError', () => this.delegate.onFramingError?.(err, conn.flow, partial)),
      onClosed: (conn) => {
        this.table.remove(conn);
        this.guard('onConnectionClosed', () => this.delegate.onConnectionClosed?.(conn.flow));
      },
    };
  }

  /** A server whose `onSocket` gets each accepted (for TLS: handshaken) socket. */
  protected abstract createServer(onSocket: (socket: Socket) => void): Server;
  /** Start connecting; the promise settles when the socket is ready (TLS: after the handshake). */
  protected abstract connectSocket(remote: Endpoint, started: (socket: Socket) => void): Promise<Socket>;

  get local(): Endpoint {
    return this.bound;
  }

  async listen(): Promise<void> {
    if (this.state !== 'idle') throw new TransportError('not-listening', `${this.protocol} transport is ${this.state}`);
    const server = this.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(new TransportError('not-listening', `${this.protocol} listen ${this.host}:${this.port}: ${err.message}`));
      server.once('error', fail);
      server.listen({ host: this.host, port: this.port, ipv6Only: false }, () => {
        server.off('error', fail);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error({ err }, 'server error'));
    this.server = server;
    this.state = 'listening';
    const a = server.address();
    if (a !== null && typeof a === 'object') this.bound = { address: normalizeAddress(a.address), port: a.port };
    this.log.info({ local: this.bound }, `${this.protocol} listening`);
  }

  /** Is one more inbound connection from that address allowed? Logs the refusal (OPS-2). */
  protected admits(address: string | undefined): boolean {
    if (address === undefined) return false;
    const verdict = this.table.admit(address);
    if (verdict === 'ok') return true;
    this.log.warn({ remote: normalizeAddress(address), verdict }, 'connection refused: limit reached');
    return false;
  }

  private accept(socket: Socket): void {
    socket.on('error', (err) => this.log.debug({ err }, 'socket error before setup'));
    if (this.state !== 'listening' || socket.remoteAddress === undefined || !this.admits(socket.remoteAddress)) {
      socket.destroy();
      return;
    }
    this.table.add(this.wrap(socket, true));
  }

  private wrap(socket: Socket, inbound: boolean): StreamConnection {
    return new StreamConnection({
      id: nextConnectionId(this.protocol),
      protocol: this.protocol,
      socket,
      inbound,
      owner: this.owner,
      clock: this.clock,
      logger: this.log,
      idleTimeoutMs: this.idleTimeoutMs,
      maxBufferedBytes: this.maxBuffered,
      framer: this.framerOptions,
    });
  }

  async send(data: Buffer, target: SendTarget): Promise<Flow> {
    if (this.state !== 'listening') throw new TransportError('not-listening', `${this.protocol} transport is not listening`);
    let conn = target.connectionId === undefined ? undefined : this.table.get(target.connectionId);
    if (conn === undefined || !conn.isOpen) conn = this.table.find(target.remote);
    if (conn === undefined || !conn.isOpen) conn = await this.open(target.remote);
    await conn.write(data);
    return conn.flow;
  }

  /** One connection attempt per target at a time; concurrent senders share it. */
  private open(remote: Endpoint): Promise<StreamConnection> {
    const key = endpointKey(remote);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const p = this.dial(remote).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  private async dial(remote: Endpoint): Promise<StreamConnection> {
    if (!Number.isInteger(remote.port) || remote.port <= 0 || remote.port > 65535) throw new TransportError('unreachable', `bad port ${remote.port}`);
    if (this.table.admit(remote.address, false) !== 'ok') throw new TransportError('unreachable', 'connection limit reached');
    let socket: Socket | undefined;
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      socket?.destroy(new Error('connect timeout'));
    }, this.connectTimeoutMs);
    try {
      socket = await this.connectSocket(remote, (s) => {
        socket = s;
        this.connecting.add(s);
        s.on('error', (err) => this.log.debug({ err, remote }, 'outbound socket error'));
      });
    } catch (err) {
      if (timedOut) throw new TransportError('timeout', `${this.protocol} connect to ${remote.address}:${remote.port} timed out after ${this.connectTimeoutMs} ms`);
      throw new TransportError('unreachable', `${this.protocol} connect to ${remote.address}:${remote.port}: ${(err as Error).message}`);
    } finally {
      timer.cancel();
      if (socket) this.connecting.delete(socket);
    }
    if (this.state !== 'listening') {
      socket.destroy();
      throw new TransportError('not-listening', `${this.protocol} transport closed while connecting`);
    }
    const conn = this.wrap(socket, false);
    this.table.add(conn);
    this.table.alias(conn, remote);
    this.log.debug({ conn: conn.id, remote }, 'connection opened');
    return conn;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const s of this.connecting) s.destroy();
    this.connecting.clear();
    for (const c of this.table.all()) c.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  connectionCount(): number {
    return this.table.size;
  }

  hasConnection(connectionId: string): boolean {
    return this.table.get(connectionId)?.isOpen ?? false;
  }

  keepAlive(connectionId: string, forMs: number): boolean {
    const c = this.table.get(connectionId);
    if (c === undefined || !c.isOpen) return false;
    c.keepAlive(forMs);
    return true;
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err, what }, 'transport delegate threw');
    }
  }
}

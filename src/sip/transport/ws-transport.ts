/**
 * SIP over WebSocket (RFC 7118) for browser softphones (TEL-2), with npm
 * `ws`. Either on its own port (ws, or wss with a key and certificate) or
 * attached to a server the app already runs: the app passes upgrade
 * requests to handleUpgrade(). The `sip` subprotocol is required (section
 * 4): a handshake without it is refused with 400.
 *
 * A WebSocket server cannot dial its clients (section 5): a send to a
 * connection that is gone fails with TransportError('unreachable'); the
 * client must reconnect.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { ConnectionTable, DEFAULT_CONNECTION_LIMITS, nextConnectionId, type ConnectionLimits } from './connection-table.ts';
import { normalizeAddress } from './endpoint.ts';
import { WsConnection, type WsConnectionOwner } from './ws-connection.ts';
import { TransportError, type Endpoint, type Flow, type SendTarget, type Transport, type TransportDelegate } from './transport.ts';

export interface WsTransportOptions extends Partial<ConnectionLimits> {
  delegate: TransportDelegate;
  logger: Logger;
  clock?: Clock;
  /** Own port: bind address and port (default 0.0.0.0, 5066 for ws, 7443 for wss). */
  host?: string;
  port?: number;
  /** Key and certificate: serve wss on the own port. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Attached mode: no own port; the app calls handleUpgrade(). `secure` says whether its server is https. */
  attached?: { secure: boolean; local: Endpoint };
  /** Accept only these Origin values (browsers send one); any when unset. */
  allowedOrigins?: string[];
  /** Default 30 s; 0 disables. */
  pingIntervalMs?: number;
  /** Default 120 s; 0 never. */
  idleTimeoutMs?: number;
  /** Largest WebSocket message accepted. Default 1 MiB + 64 KiB (the stream framer's limits). */
  maxMessageBytes?: number;
  maxBufferedBytes?: number;
}

type WsState = 'idle' | 'listening' | 'closed';

export class WsTransport implements Transport {
  readonly protocol: 'ws' | 'wss';
  readonly reliable = true;
  private readonly o: WsTransportOptions;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly table: ConnectionTable<WsConnection>;
  private readonly wss: WebSocketServer;
  private readonly owner: WsConnectionOwner;
  private server: HttpServer | undefined;
  private state: WsState = 'idle';
  private bound: Endpoint = { address: '', port: 0 };
  private readonly handshaking = new Set<Duplex>();

  constructor(opts: WsTransportOptions) {
    this.o = opts;
    this.protocol = (opts.attached ? opts.attached.secure : opts.tls !== undefined) ? 'wss' : 'ws';
    this.log = opts.logger.child({ transport: this.protocol });
    this.clock = opts.clock ?? systemClock;
    this.table = new ConnectionTable({
      maxConnections: opts.maxConnections ?? DEFAULT_CONNECTION_LIMITS.maxConnections,
      maxConnectionsPerSource: opts.maxConnectionsPerSource ?? DEFAULT_CONNECTION_LIMITS.maxConnectionsPerSource,
    });
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: opts.maxMessageBytes ?? 1024 * 1024 + 64 * 1024,
      handleProtocols: (protocols) => sipToken(protocols) ?? false,
    });
    this.wss.on('error', (err) => this.log.error({ err }, 'websocket server error'));
    const d = opts.delegate;
    this.owner = {
      onMessage: (c, data) => this.guard(() => d.onMessage(data, c.flow)),
      onProtocolError: (c, err) => this.guard(() => d.onFramingError?.(err, c.flow, Buffer.alloc(0))),
      onClosed: (c) => {
        this.table.remove(c);
        this.guard(() => d.onConnectionClosed?.(c.flow));
      },
    };
  }

  get local(): Endpoint {
    return this.bound;
  }

  async listen(): Promise<void> {
    if (this.state !== 'idle') throw new TransportError('not-listening', `${this.protocol} transport is ${this.state}`);
    if (this.o.attached) {
      this.bound = this.o.attached.local;
      this.state = 'listening';
      return;
    }
    const host = this.o.host ?? '0.0.0.0';
    const port = this.o.port ?? (this.o.tls ? 7443 : 5066);
    const refuse = (_req: IncomingMessage, res: import('node:http').ServerResponse): void => {
      res.writeHead(426, { Connection: 'close', Upgrade: 'websocket', 'Content-Type': 'text/plain' }).end('SIP over WebSocket only\n');
    };
    const server: HttpServer = this.o.tls ? createHttpsServer({ key: this.o.tls.key, cert: this.o.tls.cert, minVersion: 'TLSv1.2', handshakeTimeout: 10_000 }, refuse) : createHttpServer(refuse);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    server.on('clientError', (err, socket) => {
      this.log.debug({ err }, 'bad HTTP request on the websocket port');
      socket.destroy();
    });
    server.on('tlsClientError', (err: Error) => this.log.debug({ err }, 'TLS handshake failed'));
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(new TransportError('not-listening', `${this.protocol} listen ${host}:${port}: ${err.message}`));
      server.once('error', fail);
      server.listen({ host, port, ipv6Only: false }, () => {
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

  /** Take one HTTP upgrade request (own server or the app's). Refusals answer with an HTTP status and close the socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.log.debug({ err }, 'upgrade socket error'));
    const remoteAddress = req.socket.remoteAddress;
    const refuse = (status: number, reason: string): void => {
      this.log.info({ remote: remoteAddress, status, reason }, 'websocket handshake refused');
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.state !== 'listening') return refuse(503, 'Service Unavailable');
    if (sipToken(parseProtocols(req.headers['sec-websocket-protocol'])) === undefined) return refuse(400, 'SIP WebSocket Subprotocol Required');
    const origins = this.o.allowedOrigins;
    if (origins !== undefined && !origins.includes(req.headers.origin ?? '')) return refuse(403, 'Origin Not Allowed');
    if (remoteAddress === undefined) return refuse(400, 'Bad Request');
    const verdict = this.table.admit(remoteAddress);
    if (verdict !== 'ok') {
      this.log.warn({ remote: normalizeAddress(remoteAddress), verdict }, 'connection refused: limit reached');
      return refuse(503, 'Service Unavailable');
    }
    this.handshaking.add(socket);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.handshaking.delete(socket);
      this.adopt(ws, req);
    });
  }

  private adopt(ws: WebSocket, req: IncomingMessage): void {
    const s = req.socket;
    if (this.state !== 'listening') {
      ws.terminate();
      return;
    }
    const id = nextConnectionId(this.protocol);
    const flow: Flow = {
      protocol: this.protocol,
      local: { address: normalizeAddress(s.localAddress ?? ''), port: s.localPort ?? 0 },
      remote: { address: normalizeAddress(s.remoteAddress ?? ''), port: s.remotePort ?? 0 },
      connectionId: id,
    };
    const conn = new WsConnection({
      id,
      ws,
      flow,
      owner: this.owner,
      clock: this.clock,
      logger: this.log,
      idleTimeoutMs: this.o.idleTimeoutMs ?? 120_000,
      pingIntervalMs: this.o.pingIntervalMs ?? 30_000,
      maxBufferedBytes: this.o.maxBufferedBytes ?? 8 * 1024 * 1024,
    });
    this.table.add(conn);
  }

  async send(data: Buffer, target: SendTarget): Promise<Flow> {
    if (this.state !== 'listening') throw new TransportError('not-listening', `${this.protocol} transport is not listening`);
    let conn = target.connectionId === undefined ? undefined : this.table.get(target.connectionId);
    if (conn === undefined || !conn.isOpen) conn = this.table.find(target.remote);
    if (conn === undefined || !conn.isOpen) {
      throw new TransportError('unreachable', `no ${this.protocol} connection to ${target.remote.address}:${target.remote.port} (a WebSocket server cannot dial clients)`);
    }
    await conn.write(data);
    return conn.flow;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const s of this.handshaking) s.destroy();
    this.handshaking.clear();
    for (const c of this.table.all()) c.close();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
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

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'transport delegate threw');
    }
  }
}

function parseProtocols(header: string | undefined): Set<string> {
  return new Set((header ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0));
}

/** The client's spelling of `sip` (RFC 7118 section 4; compared case-insensitively), if offered. */
function sipToken(protocols: Set<string>): string | undefined {
  for (const p of protocols) if (p.toLowerCase() === 'sip') return p;
  return undefined;
}

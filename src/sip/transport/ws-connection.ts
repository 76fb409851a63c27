/**
 * One SIP-over-WebSocket connection (RFC 7118): each WebSocket message is
 * one SIP message. Liveness by WebSocket ping/pong (a peer that misses one
 * pong interval is dropped); idle closing as for TCP; a peer that stops
 * reading and lets our unsent queue pass the limit is cut off.
 *
 *   open --(close(), peer close, protocol error, missed pong, idle)--> closed
 */
import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { TableEntry } from './connection-table.ts';
import { IdleTimer } from './idle-timer.ts';
import { TransportError, type Endpoint, type Flow } from './transport.ts';

export interface WsConnectionOwner {
  onMessage(conn: WsConnection, data: Buffer): void;
  onProtocolError(conn: WsConnection, error: Error): void;
  onClosed(conn: WsConnection): void;
}

export interface WsConnectionOptions {
  id: string;
  ws: WebSocket;
  flow: Flow;
  owner: WsConnectionOwner;
  clock: Clock;
  logger: Logger;
  idleTimeoutMs: number;
  /** 0 disables pings. */
  pingIntervalMs: number;
  maxBufferedBytes: number;
}

const PONG = Buffer.from('\r\n');

export class WsConnection implements TableEntry {
  readonly id: string;
  readonly inbound = true;
  readonly flow: Flow;
  private readonly ws: WebSocket;
  private readonly owner: WsConnectionOwner;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly idle: IdleTimer;
  private readonly pingMs: number;
  private readonly maxBuffered: number;
  private pingTimer: TimerHandle | undefined;
  private awaitingPong = false;
  private state: 'open' | 'closed' = 'open';

  constructor(o: WsConnectionOptions) {
    this.id = o.id;
    this.flow = o.flow;
    this.ws = o.ws;
    this.owner = o.owner;
    this.clock = o.clock;
    this.pingMs = o.pingIntervalMs;
    this.maxBuffered = o.maxBufferedBytes;
    this.log = o.logger.child({ conn: o.id, remote: `${o.flow.remote.address}:${o.flow.remote.port}` });
    this.idle = new IdleTimer(o.clock, o.idleTimeoutMs, () => {
      this.log.debug('idle connection closed');
      this.close();
    });
    o.ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.receive(toBuffer(data)));
    o.ws.on('pong', () => {
      this.awaitingPong = false;
    });
    o.ws.on('error', (err) => {
      if (this.state !== 'open') return;
      this.log.warn({ err }, 'websocket protocol error, closing connection');
      this.owner.onProtocolError(this, err);
      this.close();
    });
    o.ws.on('close', () => this.close());
    this.schedulePing();
  }

  get remote(): Endpoint {
    return this.flow.remote;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  keepAlive(forMs: number): void {
    this.idle.holdFor(forMs);
  }

  /** Text frame when the message is valid UTF-8 (what browsers expect), else binary. */
  write(data: Buffer): Promise<void> {
    if (this.state !== 'open' || this.ws.readyState !== this.ws.OPEN) {
      return Promise.reject(new TransportError('connection-closed', `${this.id} is closed`));
    }
    if (this.ws.bufferedAmount + data.length > this.maxBuffered) {
      this.log.warn({ buffered: this.ws.bufferedAmount }, 'peer does not read: send queue over limit, closing');
      this.close();
      return Promise.reject(new TransportError('connection-closed', `${this.id} send queue over ${this.maxBuffered} bytes`));
    }
    this.idle.touch();
    this.ws.send(data, { binary: !isUtf8(data) }, (err) => {
      if (err) this.log.debug({ err }, 'websocket send failed');
    });
    return Promise.resolve();
  }

  /** Idempotent; the owner hears onClosed once, synchronously on the first call. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.idle.stop();
    this.pingTimer?.cancel();
    this.ws.terminate();
    this.owner.onClosed(this);
  }

  private receive(data: Buffer): void {
    if (this.state !== 'open') return;
    this.idle.touch();
    if (isLineEndsOnly(data)) {
      // RFC 5626-style keep-alive some clients send over WebSocket too
      if (data.length >= 4) this.write(PONG).catch(() => undefined);
      return;
    }
    this.owner.onMessage(this, data);
  }

  private schedulePing(): void {
    if (this.pingMs <= 0) return;
    this.pingTimer = this.clock.setTimeout(() => {
      if (this.state !== 'open') return;
      if (this.awaitingPong) {
        this.log.info('no pong within the ping interval, closing connection');
        this.close();
        return;
      }
      this.awaitingPong = true;
      try {
        this.ws.ping();
      } catch (err) {
        this.log.debug({ err }, 'ping failed');
      }
      this.schedulePing();
    }, this.pingMs);
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function isLineEndsOnly(data: Buffer): boolean {
  if (data.length === 0) return true;
  for (const b of data) if (b !== 0x0d && b !== 0x0a) return false;
  return true;
}

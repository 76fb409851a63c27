/**
 * One TCP or TLS connection: frames incoming bytes into SIP messages,
 * answers keep-alive pings, closes itself when idle, and watches
 * backpressure: a write is handed to the socket at once (a SIP sender must
 * not stall behind one slow peer), but a peer that stops reading and lets our
 * unsent queue pass `maxBufferedBytes` is cut off, so it cannot grow memory.
 *
 *   open --(close(), socket end/error, framing error, idle)--> closed
 */
import type { Socket } from 'node:net';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { TableEntry } from './connection-table.ts';
import { normalizeAddress } from './endpoint.ts';
import { IdleTimer } from './idle-timer.ts';
import { StreamFramer, type FramingError, type StreamFramerOptions } from './stream-framer.ts';
import { TransportError, type Endpoint, type Flow, type TransportProtocol } from './transport.ts';

export interface StreamConnectionOwner {
  onMessage(conn: StreamConnection, data: Buffer): void;
  onFramingError(conn: StreamConnection, error: FramingError, partial: Buffer): void;
  onClosed(conn: StreamConnection): void;
}

export interface StreamConnectionOptions {
  id: string;
  protocol: TransportProtocol;
  socket: Socket;
  inbound: boolean;
  owner: StreamConnectionOwner;
  clock: Clock;
  logger: Logger;
  idleTimeoutMs: number;
  maxBufferedBytes: number;
  framer: Partial<StreamFramerOptions>;
}

const PONG = Buffer.from('\r\n');

export class StreamConnection implements TableEntry {
  readonly id: string;
  readonly inbound: boolean;
  readonly flow: Flow;
  private readonly socket: Socket;
  private readonly owner: StreamConnectionOwner;
  private readonly framer: StreamFramer;
  private readonly idle: IdleTimer;
  private readonly log: Logger;
  private readonly maxBuffered: number;
  private state: 'open' | 'closed' = 'open';

  constructor(o: StreamConnectionOptions) {
    this.id = o.id;
    this.inbound = o.inbound;
    this.socket = o.socket;
    this.owner = o.owner;
    this.maxBuffered = o.maxBufferedBytes;
    this.framer = new StreamFramer(o.framer);
    const s = o.socket;
    this.flow = {
      protocol: o.protocol,
      local: { address: normalizeAddress(s.localAddress ?? ''), port: s.localPort ?? 0 },
      remote: { address: normalizeAddress(s.remoteAddress ?? ''), port: s.remotePort ?? 0 },
      connectionId: o.id,
    };
    this.log = o.logger.child({ conn: o.id, remote: `${this.flow.remote.address}:${this.flow.remote.port}` });
    this.idle = new IdleTimer(o.clock, o.idleTimeoutMs, () => {
      this.log.debug('idle connection closed');
      this.close();
    });
    s.setNoDelay(true);
    s.on('data', (chunk: Buffer) => this.receive(chunk));
    s.on('error', (err) => this.log.debug({ err }, 'socket error'));
    s.on('end', () => this.close());
    s.on('close', () => this.close());
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

  /** Resolves once the bytes are queued on the socket; rejects (and closes) when the peer's unsent queue is over the limit. */
  write(data: Buffer): Promise<void> {
    if (this.state !== 'open' || this.socket.destroyed) return Promise.reject(new TransportError('connection-closed', `${this.id} is closed`));
    if (this.socket.writableLength + data.length > this.maxBuffered) {
      this.log.warn({ buffered: this.socket.writableLength }, 'peer does not read: send queue over limit, closing');
      this.close();
      return Promise.reject(new TransportError('connection-closed', `${this.id} send queue over ${this.maxBuffered} bytes`));
    }
    this.idle.touch();
    try {
      this.socket.write(data);
    } catch (err) {
      this.close();
      return Promise.reject(new TransportError('connection-closed', `${this.id}: ${(err as Error).message}`));
    }
    return Promise.resolve();
  }

  /** Idempotent; the owner hears onClosed once, synchronously on the first call. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.idle.stop();
    this.socket.destroy();
    this.owner.onClosed(this);
  }

  private receive(chunk: Buffer): void {
    if (this.state !== 'open') return;
    this.idle.touch();
    for (const out of this.framer.push(chunk)) {
      if (out.kind === 'message') this.owner.onMessage(this, out.data);
      else if (out.kind === 'ping') this.pong();
      else {
        this.log.warn({ code: out.error.code, err: out.error }, 'framing error, closing connection');
        this.owner.onFramingError(this, out.error, out.partial);
        this.close();
      }
      if (this.state !== 'open') return;
    }
  }

  private pong(): void {
    this.write(PONG).catch((err: unknown) => this.log.debug({ err }, 'pong not sent'));
  }
}

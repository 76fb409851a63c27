/**
 * Test support for transport.conformance.ts: raw peers of each protocol
 * (plain node:dgram / node:net / node:tls / ws sockets, no Hotline code on
 * the wire except the stream framer to cut replies) and a collecting
 * delegate. Not used by product code.
 */
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { connect as netConnect, createServer as netServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { WebSocket } from 'ws';
import { normalizeAddress } from './endpoint.ts';
import { StreamFramer } from './stream-framer.ts';
import type { Endpoint, Flow, TransportDelegate } from './transport.ts';

/** A SIP request whose Call-ID carries `tag`, with a body of `bodyBytes`. */
export function sipMessage(tag: string, bodyBytes = 0): Buffer {
  const body = 'x'.repeat(bodyBytes);
  return Buffer.from(
    `MESSAGE sip:agent@hotline.test SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK${tag}\r\n` +
      `Call-ID: ${tag}@test\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
}

export function callIdOf(data: Buffer): string | undefined {
  return /Call-ID: ([^\r\n@]+)@/.exec(data.toString('latin1'))?.[1];
}

/** Messages in arrival order; wait for a count with a deadline. */
class Queue<T> {
  private items: T[] = [];
  private waiters: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    for (const w of this.waiters.splice(0)) w();
  }

  get length(): number {
    return this.items.length;
  }

  all(): T[] {
    return [...this.items];
  }

  async waitFor(count: number, timeoutMs = 5000, what = 'items'): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} ${what}, got ${this.items.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.items.slice(0, count);
  }

  /** Take the oldest item, waiting for it. */
  async shift(timeoutMs = 5000): Promise<T> {
    await this.waitFor(1, timeoutMs, 'message');
    return this.items.shift()!;
  }
}

export class Inbox implements TransportDelegate {
  readonly messages = new Queue<{ data: Buffer; flow: Flow }>();
  readonly framingErrors = new Queue<{ error: Error; flow: Flow }>();
  readonly closed = new Queue<Flow>();

  onMessage(data: Buffer, flow: Flow): void {
    this.messages.push({ data, flow });
  }

  onFramingError(error: Error, flow: Flow): void {
    this.framingErrors.push({ error, flow });
  }

  onConnectionClosed(flow: Flow): void {
    this.closed.push(flow);
  }
}

export interface RawClient {
  /** The client's own address and port (the server's view of `remote`). */
  readonly local: Endpoint;
  send(data: Buffer): Promise<void>;
  /** Several messages as fast as possible (streams: one write). */
  sendBackToBack(messages: Buffer[]): Promise<void>;
  /** One message cut in `pieces` writes (datagram and WebSocket transports send it whole). */
  sendInPieces(data: Buffer, pieces: number): Promise<void>;
  /** Bytes the server must treat as a broken stream. */
  sendMalformed(): Promise<void>;
  next(timeoutMs?: number): Promise<Buffer>;
  /** Resolves when the server closed this client's connection. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface RawServer {
  readonly endpoint: Endpoint;
  next(timeoutMs?: number): Promise<Buffer>;
  /** Connections accepted so far (0 for datagrams). */
  accepted(): number;
  close(): Promise<void>;
}

function once(emitter: { once(ev: string, fn: (...a: unknown[]) => void): unknown }, ok: string, bad = 'error'): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once(ok, () => resolve());
    emitter.once(bad, (e) => reject(e as Error));
  });
}

// ---- UDP ----

export async function udpClient(server: Endpoint): Promise<RawClient> {
  const v6 = server.address.includes(':');
  const sock: DgramSocket = createSocket(v6 ? 'udp6' : 'udp4');
  const inbox = new Queue<Buffer>();
  sock.on('message', (m) => inbox.push(m));
  await new Promise<void>((resolve) => sock.bind(0, v6 ? '::1' : '127.0.0.1', resolve));
  const send = (d: Buffer): Promise<void> =>
    new Promise((resolve, reject) => sock.send(d, server.port, server.address, (e) => (e ? reject(e) : resolve())));
  return {
    local: { address: normalizeAddress(sock.address().address), port: sock.address().port },
    send,
    async sendBackToBack(ms) {
      for (const m of ms) await send(m);
    },
    sendInPieces: (d) => send(d),
    sendMalformed: () => send(Buffer.from('not sip at all')),
    next: (t) => inbox.shift(t),
    closed: new Promise<void>(() => undefined),
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

export async function udpServer(host: string): Promise<RawServer> {
  const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const inbox = new Queue<Buffer>();
  sock.on('message', (m) => inbox.push(m));
  await new Promise<void>((resolve) => sock.bind(0, host, resolve));
  return {
    endpoint: { address: host, port: sock.address().port },
    next: (t) => inbox.shift(t),
    accepted: () => 0,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

// ---- TCP and TLS ----

function streamClient(sock: Socket): RawClient {
  const framer = new StreamFramer();
  const inbox = new Queue<Buffer>();
  sock.on('data', (chunk: Buffer) => {
    for (const o of framer.push(chunk)) if (o.kind === 'message') inbox.push(o.data);
  });
  sock.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  const write = (d: Buffer | string): Promise<void> => new Promise((resolve, reject) => sock.write(d, (e) => (e ? reject(e) : resolve())));
  return {
    local: { address: normalizeAddress(sock.localAddress ?? ''), port: sock.localPort ?? 0 },
    send: write,
    sendBackToBack: (ms) => write(Buffer.concat(ms)),
    async sendInPieces(d, pieces) {
      const size = Math.ceil(d.length / pieces);
      for (let i = 0; i < d.length; i += size) {
        await write(d.subarray(i, i + size));
        await new Promise((r) => setImmediate(r));
      }
    },
    sendMalformed: () => write('INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKbad\r\n\r\n'),
    next: (t) => inbox.shift(t),
    closed,
    close: async () => {
      sock.destroy();
      await closed;
    },
  };
}

export async function tcpClient(server: Endpoint): Promise<RawClient> {
  const sock = netConnect({ host: server.address, port: server.port });
  await once(sock, 'connect');
  return streamClient(sock);
}

export async function tlsClient(server: Endpoint): Promise<RawClient> {
  const sock = tlsConnect({ host: server.address, port: server.port, rejectUnauthorized: false });
  await once(sock, 'secureConnect');
  return streamClient(sock);
}

function streamServer(make: (onSocket: (s: Socket) => void) => Server, host: string): Promise<RawServer> {
  const inbox = new Queue<Buffer>();
  const sockets = new Set<Socket>();
  let count = 0;
  const server = make((s) => {
    count++;
    sockets.add(s);
    const framer = new StreamFramer();
    s.on('data', (c: Buffer) => {
      for (const o of framer.push(c)) if (o.kind === 'message') inbox.push(o.data);
    });
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const a = server.address();
      const port = a !== null && typeof a === 'object' ? a.port : 0;
      resolve({
        endpoint: { address: host, port },
        next: (t) => inbox.shift(t),
        accepted: () => count,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

export function tcpServer(host: string): Promise<RawServer> {
  return streamServer((on) => netServer(on), host);
}

export function tlsServer(host: string, key: string, cert: string): Promise<RawServer> {
  return streamServer((on) => createTlsServer({ key, cert }, on), host);
}

// ---- WebSocket ----

export async function wsClient(server: Endpoint, secure: boolean): Promise<RawClient> {
  const host = server.address.includes(':') ? `[${server.address}]` : server.address;
  let raw: Socket | undefined;
  const ws = new WebSocket(`${secure ? 'wss' : 'ws'}://${host}:${server.port}/`, 'sip', {
    rejectUnauthorized: false,
    createConnection: (opts: object) => {
      raw = (secure ? tlsConnect(opts as never) : netConnect(opts as never)) as Socket;
      return raw;
    },
  } as never);
  const inbox = new Queue<Buffer>();
  ws.on('message', (d: Buffer) => inbox.push(Buffer.from(d)));
  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await once(ws, 'open');
  const send = (d: Buffer): Promise<void> => new Promise((resolve, reject) => ws.send(d, (e) => (e ? reject(e) : resolve())));
  return {
    local: { address: normalizeAddress(raw?.localAddress ?? ''), port: raw?.localPort ?? 0 },
    send,
    async sendBackToBack(ms) {
      await Promise.all(ms.map((m) => send(m)));
    },
    sendInPieces: (d) => send(d),
    // An unmasked frame with reserved bits set: a protocol violation the server must close on.
    sendMalformed: () => new Promise<void>((resolve) => raw!.write(Buffer.from([0xf1, 0x05, 0x41, 0x41, 0x41, 0x41, 0x41]), () => resolve())),
    next: (t) => inbox.shift(t),
    closed,
    close: async () => {
      ws.terminate();
      await closed;
    },
  };
}

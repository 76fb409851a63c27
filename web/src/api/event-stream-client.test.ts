// The browser's event-stream client (SUP-1, CTI-6) against the real stream
// (buildHttpApi with an event feed) on loopback, through the `ws` package's
// WebSocket (Node 20 has no global one): auth by first frame, events
// handed over, reconnect after the network link was cut and restored, and no
// reconnect once the token is refused.
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiDeps } from '../../../src/api/api-deps.ts';
import type { EventFeed, StreamEvent } from '../../../src/api/event-stream.ts';
import { buildHttpApi } from '../../../src/api/http-api.ts';
import { FakeClock } from '../../../src/shared/clock.ts';
import { hashPassword, newBearerToken } from '../../../src/store/password-hash.ts';
import { openStores, type Stores } from '../../../src/store/stores.ts';
import { EventStreamClient, eventStreamUrl, type SocketLike, type StreamFrame, type StreamLink } from './event-stream-client.ts';

const T0 = Date.UTC(2026, 11, 6, 12);
let stores: Stores;
let deps: ApiDeps;
let token = '';
const listeners = new Set<(e: StreamEvent) => void>();
const feed: EventFeed = {
  subscribe(l) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
const publish = (e: StreamEvent) => listeners.forEach((l) => l(e));
const connect = (url: string) => new WebSocket(url) as unknown as SocketLike;

/** A TCP relay to the server; close() cuts every connection through it and stops listening. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(private readonly to: number) {}
  async listen(port: number): Promise<number> {
    const server = createServer((down) => {
      const up = createConnection({ host: '127.0.0.1', port: this.to });
      for (const s of [down, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      down.pipe(up).pipe(down);
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    return (server.address() as AddressInfo).port;
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

async function serve(): Promise<{ app: FastifyInstance; port: number }> {
  const app = buildHttpApi(deps, { events: feed });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port };
}

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  deps = { version: '1', clock: new FakeClock(T0), realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
  await stores.users.put({ username: '8100', passwordHash: await hashPassword('pw'), role: 'supervisor', enabled: true, createdAt: new Date(T0) });
  const t = newBearerToken();
  await stores.apiTokens.put({ id: 'sup-t', tokenHash: t.hash, username: '8100', label: 'test', createdAt: new Date(T0) });
  token = t.token;
});
afterAll(async () => {
  await stores.close();
});

describe('event stream client (SUP-1)', () => {
  it('is ws:// or wss:// on the page’s own host', () => {
    expect(eventStreamUrl({ protocol: 'http:', host: '10.86.0.1:8080' })).toBe('ws://10.86.0.1:8080/api/v1/events');
    expect(eventStreamUrl({ protocol: 'https:', host: 'hotline.example' })).toBe('wss://hotline.example/api/v1/events');
  });

  it('authenticates by first frame, hands over events, reconnects after the link was cut and the way back opened', async () => {
    const srv = await serve();
    // A TCP relay stands for the network between browser and server: cutting it drops the connection.
    const relay = new Relay(srv.port);
    const port = await relay.listen(0);
    const frames: StreamFrame[] = [];
    const links: StreamLink[] = [];
    const c = new EventStreamClient({ url: `ws://127.0.0.1:${port}/api/v1/events`, token, onEvent: (f) => frames.push(f), onLink: (l) => links.push(l), retryMs: 50, maxRetryMs: 200, connect });
    c.start();
    await until('live', () => c.link === 'live');
    publish({ source: 'acd', type: 'agent-state', at: T0, agentId: '8001', from: 'ready', to: 'talking' });
    await until('the event', () => frames.length === 1);
    expect(frames[0]).toMatchObject({ v: 1, seq: 1, source: 'acd', type: 'agent-state', agentId: '8001', to: 'talking' });

    await relay.close();
    await until('down', () => c.link === 'down');
    // While the way is shut the client keeps trying (connection refused), then finds the server again.
    await new Promise((r) => setTimeout(r, 300));
    await relay.listen(port);
    await until('live again', () => c.link === 'live');
    publish({ source: 'switch', type: 'interaction.ended', at: T0 + 1, interaction: 'ix-9' });
    await until('the second event', () => frames.length === 2);
    expect(frames[1]).toMatchObject({ type: 'interaction.ended', interaction: 'ix-9' });
    expect(links).toEqual(['live', 'down', 'live']);
    c.stop();
    await relay.close();
    await srv.app.close();
  });

  it('a refused token is final: no reconnect loop', async () => {
    const srv = await serve();
    let opened = 0;
    const c = new EventStreamClient({
      url: `ws://127.0.0.1:${srv.port}/api/v1/events`,
      token: 'not-a-token',
      onEvent: () => undefined,
      retryMs: 20,
      connect: (u) => {
        opened++;
        return connect(u);
      },
    });
    c.start();
    await until('refused', () => c.link === 'refused');
    await new Promise((r) => setTimeout(r, 200));
    expect(opened).toBe(1);
    c.stop();
    await srv.app.close();
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeClock } from '../../shared/clock.ts';
import { Inbox, sipMessage, wsClient } from './conformance-clients.ts';
import { ensureSelfSignedCert } from './tls-cert.ts';
import { transportConformance } from './transport.conformance.ts';
import { WsTransport, type WsTransportOptions } from './ws-transport.ts';

const logger = pino({ level: 'silent' });
const dir = await mkdtemp(join(tmpdir(), 'hotline-wss-'));
const { key, cert } = await ensureSelfSignedCert({ dir, hosts: ['localhost', '127.0.0.1', '::1'] });
afterAll(() => rm(dir, { recursive: true, force: true }));

const noDial = 'a WebSocket server cannot open connections to clients (RFC 7118 section 5); see the unreachable test';

transportConformance('ws', {
  create: (delegate, host, port) => new WsTransport({ delegate, logger, host, port }),
  connect: (server) => wsClient(server, false),
  skip: { 'connect-on-send': noDial },
});

transportConformance('wss', {
  create: (delegate, host, port) => new WsTransport({ delegate, logger, host, port, tls: { key, cert } }),
  connect: (server) => wsClient(server, true),
  skip: { 'connect-on-send': noDial },
});

describe('WsTransport specifics (TEL-2, RFC 7118)', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close().catch(() => undefined);
  });
  const start = async (opts: Partial<WsTransportOptions> = {}): Promise<{ t: WsTransport; inbox: Inbox }> => {
    const inbox = new Inbox();
    const t = new WsTransport({ delegate: inbox, logger, host: '127.0.0.1', port: 0, ...opts });
    open.push(t);
    await t.listen();
    return { t, inbox };
  };
  const handshake = (port: number, protocols: string[]): Promise<string | number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, protocols);
      ws.on('open', () => {
        resolve(ws.protocol);
        ws.terminate();
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('error', () => undefined);
    });

  it('requires the sip subprotocol: refuses a handshake without it with 400', async () => {
    const { t } = await start();
    expect(await handshake(t.local.port, [])).toBe(400);
    expect(await handshake(t.local.port, ['chat'])).toBe(400);
    expect(await handshake(t.local.port, ['chat', 'sip'])).toBe('sip');
    expect(await handshake(t.local.port, ['SIP'])).toBe('SIP');
  });

  it('answers plain HTTP on the port with 426', async () => {
    const { t } = await start();
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: t.local.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end();
    });
    expect(status).toBe(426);
  });

  it('fails a send to an unknown or closed connection with unreachable', async () => {
    const { t, inbox } = await start();
    await expect(t.send(sipMessage('x'), { remote: { address: '127.0.0.1', port: 40000 }, connectionId: 'ws-0' })).rejects.toMatchObject({
      code: 'unreachable',
    });
    const c = await wsClient(t.local, false);
    await c.send(sipMessage('hello'));
    const [m] = await inbox.messages.waitFor(1);
    await c.close();
    await inbox.closed.waitFor(1);
    await expect(t.send(sipMessage('late'), { remote: m!.flow.remote, connectionId: m!.flow.connectionId })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('attaches to an existing HTTP server through handleUpgrade', async () => {
    const http: Server = createServer((_q, r) => r.end('app'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as { port: number }).port;
    const inbox = new Inbox();
    const t = new WsTransport({ delegate: inbox, logger, attached: { secure: false, local: { address: '127.0.0.1', port } } });
    open.push(t, { close: () => new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); }) });
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/sip') t.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await t.listen();
    expect(t.protocol).toBe('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sip`, 'sip');
    await new Promise((r) => ws.once('open', r));
    ws.send(sipMessage('attached').toString());
    const [m] = await inbox.messages.waitFor(1);
    expect(m!.flow.local.port).toBe(port);
    const reply = new Promise<string>((r) => ws.once('message', (d, binary) => r(`${binary ? 'binary' : 'text'}:${String(d)}`)));
    await t.send(sipMessage('re'), { remote: m!.flow.remote, connectionId: m!.flow.connectionId });
    expect(await reply).toBe(`text:${sipMessage('re').toString()}`);
    ws.terminate();
  });

  it('drops a client that stops answering pings, keeps one that answers', async () => {
    const clock = new FakeClock();
    const { t, inbox } = await start({ clock, pingIntervalMs: 1000, idleTimeoutMs: 0 });
    const alive = await wsClient(t.local, false);
    open.push(alive);
    const dead = new WebSocket(`ws://127.0.0.1:${t.local.port}/`, 'sip', { autoPong: false });
    dead.on('error', () => undefined);
    await new Promise((r) => dead.once('open', r));
    await alive.send(sipMessage('a'));
    dead.send(sipMessage('d'));
    await inbox.messages.waitFor(2);
    clock.advance(1000); // first ping to both
    await new Promise((r) => setTimeout(r, 100)); // let the alive client's pong arrive
    clock.advance(1000); // dead missed its pong
    const [closed] = await inbox.closed.waitFor(1);
    expect(closed!.remote.port).not.toBe(alive.local.port);
    expect(t.connectionCount()).toBe(1);
    dead.terminate();
  });

  it('refuses handshakes over the per-source limit and from unlisted origins (OPS-2)', async () => {
    const { t } = await start({ maxConnectionsPerSource: 1, allowedOrigins: ['https://desk.hotline.test'] });
    const ok = new WebSocket(`ws://127.0.0.1:${t.local.port}/`, 'sip', { origin: 'https://desk.hotline.test' });
    await new Promise((r) => ok.once('open', r));
    const status = (origin: string): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${t.local.port}/`, 'sip', { origin });
        ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => undefined);
      });
    expect(await status('https://evil.test')).toBe(403);
    expect(await status('https://desk.hotline.test')).toBe(503);
    ok.terminate();
  });
});

import { connect } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { Inbox, sipMessage, tcpClient, tcpServer } from './conformance-clients.ts';
import { TcpTransport, type TcpTransportOptions } from './tcp-transport.ts';
import { transportConformance } from './transport.conformance.ts';

const logger = pino({ level: 'silent' });

transportConformance('tcp', {
  create: (delegate, host, port) => new TcpTransport({ delegate, logger, host, port }),
  connect: (server) => tcpClient(server),
  rawServer: (host) => tcpServer(host),
});

describe('TcpTransport specifics (TEL-2, OPS-2)', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close().catch(() => undefined);
  });
  const start = async (opts: Partial<TcpTransportOptions> = {}): Promise<{ t: TcpTransport; inbox: Inbox }> => {
    const inbox = new Inbox();
    const t = new TcpTransport({ delegate: inbox, logger, host: '127.0.0.1', port: 0, ...opts });
    open.push(t);
    await t.listen();
    return { t, inbox };
  };

  it('closes a connection idle for the configured time, unless held by keepAlive', async () => {
    const clock = new FakeClock();
    const { t, inbox } = await start({ clock, idleTimeoutMs: 30_000 });
    const idle = await tcpClient(t.local);
    const held = await tcpClient(t.local);
    open.push(idle, held);
    await idle.send(sipMessage('i'));
    await held.send(sipMessage('h'));
    const got = await inbox.messages.waitFor(2);
    const heldFlow = got.find((g) => g.flow.remote.port === held.local.port)!.flow;
    expect(t.keepAlive(heldFlow.connectionId!, 3_600_000)).toBe(true);
    clock.advance(20_000);
    expect(t.connectionCount()).toBe(2);
    clock.advance(10_001);
    await idle.closed;
    expect(t.connectionCount()).toBe(1);
    expect(t.hasConnection(heldFlow.connectionId!)).toBe(true);
    clock.advance(3_600_000);
    await held.closed;
    expect(t.connectionCount()).toBe(0);
    expect(t.keepAlive(heldFlow.connectionId!, 1000)).toBe(false);
    expect((await inbox.closed.waitFor(2)).length).toBe(2);
  });

  it('traffic postpones the idle close', async () => {
    const clock = new FakeClock();
    const { t, inbox } = await start({ clock, idleTimeoutMs: 30_000 });
    const c = await tcpClient(t.local);
    open.push(c);
    await c.send(sipMessage('a'));
    await inbox.messages.waitFor(1);
    clock.advance(25_000);
    await c.send(sipMessage('b'));
    await inbox.messages.waitFor(2);
    clock.advance(25_000);
    expect(t.connectionCount()).toBe(1);
    clock.advance(5_001);
    await c.closed;
  });

  it('refuses connections over the per-source limit and the total limit (OPS-2)', async () => {
    const { t, inbox } = await start({ maxConnectionsPerSource: 3, maxConnections: 5 });
    const ok = await Promise.all([0, 1, 2].map(() => tcpClient(t.local)));
    open.push(...ok);
    await Promise.all(ok.map((c, i) => c.send(sipMessage(`ok${i}`))));
    await inbox.messages.waitFor(3);
    const refused = await tcpClient(t.local);
    open.push(refused);
    await refused.closed;
    expect(t.connectionCount()).toBe(3);
    // the per-source limit does not block us from opening connections to peers, but the total does
    const peers = await Promise.all([0, 1, 2].map(() => tcpServer('127.0.0.1')));
    open.push(...peers);
    await t.send(sipMessage('p0'), { remote: peers[0]!.endpoint });
    await t.send(sipMessage('p1'), { remote: peers[1]!.endpoint });
    await expect(t.send(sipMessage('p2'), { remote: peers[2]!.endpoint })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('fails a send to a closed port with unreachable and to a black hole with timeout', async () => {
    const { t } = await start({ connectTimeoutMs: 200 });
    const gone = await tcpServer('127.0.0.1');
    const port = gone.endpoint.port;
    await gone.close();
    await expect(t.send(sipMessage('x'), { remote: { address: '127.0.0.1', port } })).rejects.toMatchObject({ code: 'unreachable' });
    // 192.0.2.0/24 (TEST-NET-1) is not routed: the SYN goes nowhere (or the host says unreachable at once)
    const err = await t.send(sipMessage('x'), { remote: { address: '192.0.2.1', port: 5060 } }).catch((e: unknown) => e);
    expect(['timeout', 'unreachable']).toContain((err as { code: string }).code);
  });

  it('shares one connection attempt between concurrent sends to the same peer', async () => {
    const { t } = await start();
    const peer = await tcpServer('127.0.0.1');
    open.push(peer);
    const flows = await Promise.all([0, 1, 2, 3, 4].map((i) => t.send(sipMessage(`s${i}`), { remote: peer.endpoint })));
    expect(new Set(flows.map((f) => f.connectionId)).size).toBe(1);
    expect(peer.accepted()).toBe(1);
  });

  it('cuts off a peer that never reads once its send queue passes the limit', async () => {
    const { t, inbox } = await start({ maxBufferedBytes: 256 * 1024 });
    const sock = connect({ host: '127.0.0.1', port: t.local.port });
    await new Promise((r) => sock.once('connect', r));
    sock.on('error', () => undefined);
    sock.pause();
    sock.write(sipMessage('slow'));
    const [m] = await inbox.messages.waitFor(1);
    const big = sipMessage('fill', 60_000);
    let err: unknown;
    for (let i = 0; i < 500 && err === undefined; i++) {
      await t.send(big, { remote: m!.flow.remote, connectionId: m!.flow.connectionId }).catch((e: unknown) => (err = e));
    }
    expect(err).toMatchObject({ code: 'connection-closed' });
    await inbox.closed.waitFor(1);
    sock.destroy();
  });

  it('answers a CRLFCRLF keep-alive with CRLF on the connection', async () => {
    const { t } = await start();
    const sock = connect({ host: '127.0.0.1', port: t.local.port });
    open.push({ close: async () => void sock.destroy() });
    await new Promise((r) => sock.once('connect', r));
    sock.write('\r\n\r\n');
    const pong = await new Promise<Buffer>((r) => sock.once('data', r));
    expect(pong.toString()).toBe('\r\n');
  });

  it('logs a peer reset mid-message through the logger and keeps serving others', async () => {
    const lines: string[] = [];
    const collecting = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
    const inbox = new Inbox();
    const t = new TcpTransport({ delegate: inbox, logger: collecting, host: '127.0.0.1', port: 0 });
    open.push(t);
    await t.listen();
    const sock = connect({ host: '127.0.0.1', port: t.local.port });
    await new Promise((r) => sock.once('connect', r));
    sock.write(sipMessage('half', 500).subarray(0, 200));
    await new Promise((r) => setTimeout(r, 20));
    sock.resetAndDestroy();
    await inbox.closed.waitFor(1);
    const other = await tcpClient(t.local);
    open.push(other);
    await other.send(sipMessage('fine'));
    const [m] = await inbox.messages.waitFor(1);
    expect(m!.data.equals(sipMessage('fine'))).toBe(true);
    expect(lines.some((l) => l.includes('ECONNRESET'))).toBe(true);
  });

  it('survives a delegate that throws', async () => {
    const inbox = new Inbox();
    let calls = 0;
    const t = new TcpTransport({
      delegate: {
        onMessage: (d, f) => {
          calls++;
          if (calls === 1) throw new Error('boom');
          inbox.onMessage(d, f);
        },
      },
      logger,
      host: '127.0.0.1',
      port: 0,
    });
    open.push(t);
    await t.listen();
    const c = await tcpClient(t.local);
    open.push(c);
    await c.sendBackToBack([sipMessage('t1'), sipMessage('t2')]);
    await inbox.messages.waitFor(1);
    expect(calls).toBe(2);
  });
});

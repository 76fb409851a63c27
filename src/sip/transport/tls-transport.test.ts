import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Inbox, sipMessage, tlsClient, tlsServer, type RawServer } from './conformance-clients.ts';
import { ensureSelfSignedCert } from './tls-cert.ts';
import { TlsTransport } from './tls-transport.ts';
import { transportConformance } from './transport.conformance.ts';

const logger = pino({ level: 'silent' });
const dir = await mkdtemp(join(tmpdir(), 'hotline-tls-'));
const { key, cert } = await ensureSelfSignedCert({ dir, hosts: ['localhost', '127.0.0.1', '::1'] });
afterAll(() => rm(dir, { recursive: true, force: true }));

transportConformance('tls', {
  create: (delegate, host, port) => new TlsTransport({ delegate, logger, host, port, key, cert, rejectUnauthorized: false }),
  connect: (server) => tlsClient(server),
  rawServer: (host) => tlsServer(host, key, cert),
});

describe('TlsTransport specifics (OPS-1)', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close().catch(() => undefined);
  });

  it('verifies peers by default: an untrusted self-signed trunk is unreachable, a trusted one works', async () => {
    const peer: RawServer = await tlsServer('127.0.0.1', key, cert);
    open.push(peer);
    const strict = new TlsTransport({ delegate: new Inbox(), logger, host: '127.0.0.1', port: 0, key, cert });
    open.push(strict);
    await strict.listen();
    await expect(strict.send(sipMessage('x'), { remote: peer.endpoint })).rejects.toMatchObject({ code: 'unreachable' });
    const trusting = new TlsTransport({ delegate: new Inbox(), logger, host: '127.0.0.1', port: 0, key, cert, ca: cert });
    open.push(trusting);
    await trusting.listen();
    await trusting.send(sipMessage('trusted'), { remote: peer.endpoint });
    expect((await peer.next()).equals(sipMessage('trusted'))).toBe(true);
  });

  it('gives up with timeout when a peer accepts TCP but never completes the TLS handshake, and drops the socket', async () => {
    const { createServer } = await import('node:net');
    const peerClosed: Array<Promise<void>> = [];
    const silent = createServer((s) => {
      s.on('error', () => undefined);
      s.resume(); // read (and ignore) the ClientHello, so the peer notices when we hang up
      peerClosed.push(new Promise((r) => s.once('close', () => r())));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => void silent.close(() => r())) });
    const t = new TlsTransport({ delegate: new Inbox(), logger, host: '127.0.0.1', port: 0, key, cert, connectTimeoutMs: 150 });
    open.push(t);
    await t.listen();
    const port = (silent.address() as { port: number }).port;
    const t0 = Date.now();
    await expect(t.send(sipMessage('x'), { remote: { address: '127.0.0.1', port } })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(t.connectionCount()).toBe(0);
    expect(peerClosed).toHaveLength(1);
    await peerClosed[0];
  });

  it('drops a plain-TCP client speaking SIP on the TLS port without hurting TLS clients', async () => {
    const inbox = new Inbox();
    const t = new TlsTransport({ delegate: inbox, logger, host: '127.0.0.1', port: 0, key, cert });
    open.push(t);
    await t.listen();
    const { tcpClient } = await import('./conformance-clients.ts');
    const plain = await tcpClient(t.local);
    open.push(plain);
    await plain.send(sipMessage('plain'));
    await plain.closed;
    const good = await tlsClient(t.local);
    open.push(good);
    await good.send(sipMessage('tls'));
    const [m] = await inbox.messages.waitFor(1);
    expect(m!.flow.protocol).toBe('tls');
  });
});

import { createSocket } from 'node:dgram';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox, sipMessage, udpClient, udpServer } from './conformance-clients.ts';
import { transportConformance } from './transport.conformance.ts';
import { isKeepAlive, MAX_UDP_PAYLOAD, UdpTransport } from './udp-transport.ts';

const logger = pino({ level: 'silent' });

transportConformance('udp', {
  create: (delegate, host, port) => new UdpTransport({ delegate, logger, host, port }),
  connect: (server) => udpClient(server),
  rawServer: (host) => udpServer(host),
  skip: {
    'malformed-isolated': 'UDP has no connections: each datagram stands alone and its parse errors are the stack’s',
  },
});

describe('UdpTransport specifics (TEL-2, RFC 3261 18.1.1, RFC 5626)', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });

  it('refuses a datagram over 65,507 bytes with too-large', async () => {
    const t = new UdpTransport({ delegate: new Inbox(), logger, host: '127.0.0.1', port: 0 });
    open.push(t);
    await t.listen();
    await expect(t.send(Buffer.alloc(MAX_UDP_PAYLOAD + 1), { remote: { address: '127.0.0.1', port: 9 } })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('answers a CRLFCRLF ping with a CRLF pong and delivers neither', async () => {
    const inbox = new Inbox();
    const t = new UdpTransport({ delegate: inbox, logger, host: '127.0.0.1', port: 0 });
    open.push(t);
    await t.listen();
    const c = await udpClient(t.local);
    open.push(c);
    await c.send(Buffer.from('\r\n\r\n'));
    expect((await c.next()).toString()).toBe('\r\n');
    await c.send(Buffer.from('\r\n'));
    await c.send(sipMessage('after-ping'));
    const [m] = await inbox.messages.waitFor(1);
    expect(m!.data.equals(sipMessage('after-ping'))).toBe(true);
    expect(inbox.messages.length).toBe(1);
  });

  it.each([
    ['CRLFCRLF', Buffer.from('\r\n\r\n'), true],
    ['NULs', Buffer.alloc(4), true],
    ['STUN binding request', Buffer.concat([Buffer.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42]), Buffer.alloc(12)]), true],
    ['a SIP request', sipMessage('k'), false],
  ])('classifies %s as keep-alive: %s', (_n, data, expected) => {
    expect(isKeepAlive(data)).toBe(expected);
  });

  it('refuses to send before listen and to a family the socket cannot reach', async () => {
    const t = new UdpTransport({ delegate: new Inbox(), logger, host: '127.0.0.1', port: 0 });
    await expect(t.send(sipMessage('x'), { remote: { address: '127.0.0.1', port: 5060 } })).rejects.toMatchObject({ code: 'not-listening' });
    open.push(t);
    await t.listen();
    await expect(t.send(sipMessage('x'), { remote: { address: '::1', port: 5060 } })).rejects.toMatchObject({ code: 'unreachable' });
    await expect(t.send(sipMessage('x'), { remote: { address: '127.0.0.1', port: 0 } })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('serves IPv4 peers on a dual-stack :: socket and shows them as plain IPv4', async () => {
    const inbox = new Inbox();
    const t = new UdpTransport({ delegate: inbox, logger, host: '::', port: 0 });
    open.push(t);
    try {
      await t.listen();
    } catch {
      return; // no IPv6 at all on this machine: nothing to test
    }
    const c = await udpClient({ address: '127.0.0.1', port: t.local.port });
    open.push(c);
    await c.send(sipMessage('dual'));
    const [m] = await inbox.messages.waitFor(1);
    expect(m!.flow.remote).toEqual(c.local);
    await t.send(sipMessage('dual-re'), { remote: m!.flow.remote });
    expect((await c.next()).equals(sipMessage('dual-re'))).toBe(true);
  });

  it('asks for 4 MiB socket buffers (the kernel may cap them)', async () => {
    const t = new UdpTransport({ delegate: new Inbox(), logger, host: '127.0.0.1', port: 0 });
    open.push(t);
    await t.listen();
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const defaultSize = probe.getRecvBufferSize();
    const defaultSend = probe.getSendBufferSize();
    probe.close();
    const sizes = t.socketBufferSizes()!;
    expect(sizes.recv).toBeGreaterThan(defaultSize);
    expect(sizes.send).toBeGreaterThan(defaultSend);
  });
});

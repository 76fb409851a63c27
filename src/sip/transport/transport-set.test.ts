import { createServer } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox, sipMessage, tcpClient, udpClient } from './conformance-clients.ts';
import { protocolOfToken, TransportSet } from './transport-set.ts';

const logger = pino({ level: 'silent' });

describe('TransportSet (TEL-2)', () => {
  let set: TransportSet | undefined;
  afterEach(async () => {
    await set?.stop();
    set = undefined;
  });

  it('starts udp, tcp and ws together, picks by protocol, Via token and connection, and stops them all', async () => {
    const inbox = new Inbox();
    set = TransportSet.fromOptions({
      delegate: inbox,
      logger,
      udp: [{ host: '127.0.0.1', port: 0 }],
      tcp: [{ host: '127.0.0.1', port: 0 }],
      ws: [{ host: '127.0.0.1', port: 0 }],
    });
    await set.start();
    expect(set.running).toBe(true);
    expect(set.all().map((t) => t.protocol)).toEqual(['udp', 'tcp', 'ws']);
    expect(set.pick({}).protocol).toBe('udp');
    expect(set.pick({ viaTransport: 'TCP' }).protocol).toBe('tcp');
    expect(set.pick({ protocol: 'ws' }).protocol).toBe('ws');
    expect(() => set!.pick({ viaTransport: 'SCTP' })).toThrow(expect.objectContaining({ code: 'unreachable' }));
    expect(() => set!.pick({ protocol: 'tls' })).toThrow(expect.objectContaining({ code: 'unreachable' }));

    const tcp = set.pick({ protocol: 'tcp' });
    const c = await tcpClient(tcp.local);
    await c.send(sipMessage('via-set'));
    const [m] = await inbox.messages.waitFor(1);
    // a connection id leads to its transport whatever the protocol hint says
    expect(set.pick({ connectionId: m!.flow.connectionId!, protocol: 'udp' })).toBe(tcp);
    await set.send(sipMessage('re'), { remote: m!.flow.remote, connectionId: m!.flow.connectionId! });
    expect((await c.next()).equals(sipMessage('re'))).toBe(true);

    const udp = set.pick({ protocol: 'udp' });
    const u = await udpClient(udp.local);
    await set.send(sipMessage('udp-out'), { remote: u.local });
    expect((await u.next()).equals(sipMessage('udp-out'))).toBe(true);
    await u.close();

    await set.stop();
    await c.closed;
    expect(set.running).toBe(false);
  });

  it('chooses the transport of the target address family', async () => {
    set = TransportSet.fromOptions({ delegate: new Inbox(), logger, udp: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }] });
    try {
      await set.start();
    } catch {
      return; // no IPv6 loopback here: only one family to choose from
    }
    expect(set.pick({ protocol: 'udp', remote: { address: '::1', port: 5060 } }).local.address).toBe('::1');
    expect(set.pick({ protocol: 'udp', remote: { address: '127.0.0.1', port: 5060 } }).local.address).toBe('127.0.0.1');
  });

  it('closes the transports already started when one cannot listen', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as { port: number }).port;
    const s = TransportSet.fromOptions({ delegate: new Inbox(), logger, udp: [{ host: '127.0.0.1', port: 0 }], tcp: [{ host: '127.0.0.1', port: busy }] });
    await expect(s.start()).rejects.toMatchObject({ code: 'not-listening' });
    const udp = s.all()[0]!;
    await expect(udp.send(sipMessage('x'), { remote: { address: '127.0.0.1', port: 9 } })).rejects.toMatchObject({ code: 'not-listening' });
    await new Promise<void>((r) => blocker.close(() => r()));
  });

  it.each([
    ['UDP', 'udp'],
    ['tcp', 'tcp'],
    [' TLS ', 'tls'],
    ['Ws', 'ws'],
    ['WSS', 'wss'],
    ['SCTP', undefined],
  ])('maps the transport token %s', (token, expected) => {
    expect(protocolOfToken(token)).toBe(expected);
  });
});

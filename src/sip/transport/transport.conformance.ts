/**
 * The one conformance suite every Transport passes (TEL-2, OPS-1, OPS-2).
 * Each transport's test file calls transportConformance() with a factory and
 * the raw peers of its protocol; a case that cannot apply is skipped with its
 * reason, printed in the test name.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callIdOf, Inbox, sipMessage, type RawClient, type RawServer } from './conformance-clients.ts';
import type { Endpoint, Transport, TransportDelegate } from './transport.ts';

export type ConformanceCase =
  | 'receive'
  | 'reply-same-flow'
  | 'back-to-back'
  | 'large-message'
  | 'close-releases'
  | 'malformed-isolated'
  | 'concurrent-clients'
  | 'ipv6'
  | 'connect-on-send';

export interface ConformanceTarget {
  /** A transport bound to `host`, `port` (0: ephemeral). */
  create(delegate: TransportDelegate, host: string, port: number): Transport;
  /** A raw client of the protocol connected to the transport. */
  connect(server: Endpoint): Promise<RawClient>;
  /** A raw server the transport can send to (for connect-on-send). */
  rawServer?(host: string): Promise<RawServer>;
  /** Cases that do not apply, each with its reason. */
  skip?: Partial<Record<ConformanceCase, string>>;
}

let ipv6Probe: Promise<boolean> | undefined;

/** True when this machine can bind ::1 (containers often lack IPv6). */
export function ipv6Available(): Promise<boolean> {
  ipv6Probe ??= new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
  return ipv6Probe;
}

const HAS_IPV6 = await ipv6Available();

export function transportConformance(name: string, target: ConformanceTarget): void {
  describe(`${name} transport conformance (TEL-2, OPS-1, OPS-2)`, () => {
    const open: Array<{ close(): Promise<void> }> = [];
    afterEach(async () => {
      for (const o of open.splice(0).reverse()) await o.close().catch(() => undefined);
    });

    const start = async (host = '127.0.0.1', port = 0): Promise<{ t: Transport; inbox: Inbox }> => {
      const inbox = new Inbox();
      const t = target.create(inbox, host, port);
      open.push(t);
      await t.listen();
      return { t, inbox };
    };
    const client = async (t: Transport): Promise<RawClient> => {
      const c = await target.connect(t.local);
      open.push(c);
      return c;
    };
    const test = (c: ConformanceCase, title: string, fn: () => Promise<void>): void => {
      const reason = target.skip?.[c];
      if (reason !== undefined) it.skip(`${title} — skipped: ${reason}`, fn);
      else it(title, fn, 20_000);
    };

    test('receive', 'receives a message from a raw client with its flow', async () => {
      const { t, inbox } = await start();
      const c = await client(t);
      const m = sipMessage('recv1');
      await c.send(m);
      const [got] = await inbox.messages.waitFor(1);
      expect(got!.data.equals(m)).toBe(true);
      expect(got!.flow.protocol).toBe(t.protocol);
      expect(got!.flow.remote).toEqual(c.local);
      expect(got!.flow.local.port).toBe(t.local.port);
      expect(got!.flow.connectionId !== undefined).toBe(t.reliable);
    });

    test('reply-same-flow', 'replies on the flow the request came on (the client socket gets it)', async () => {
      const { t, inbox } = await start();
      const c = await client(t);
      await c.send(sipMessage('req'));
      const [got] = await inbox.messages.waitFor(1);
      const before = t.connectionCount();
      const reply = Buffer.from('SIP/2.0 200 OK\r\nCall-ID: req@test\r\nContent-Length: 0\r\n\r\n');
      const flow = await t.send(reply, { remote: got!.flow.remote, connectionId: got!.flow.connectionId });
      expect((await c.next()).equals(reply)).toBe(true);
      expect(flow.connectionId).toBe(got!.flow.connectionId);
      expect(t.connectionCount()).toBe(before);
      // by remote endpoint alone, too (RFC 3261 18.2.2 when the id is not known)
      await t.send(reply, { remote: got!.flow.remote });
      expect((await c.next()).equals(reply)).toBe(true);
      expect(t.connectionCount()).toBe(before);
    });

    test('back-to-back', 'delivers 20 back-to-back messages in order', async () => {
      const { t, inbox } = await start();
      const c = await client(t);
      const ms = Array.from({ length: 20 }, (_, i) => sipMessage(`b2b${i}`, i * 7));
      await c.sendBackToBack(ms);
      const got = await inbox.messages.waitFor(20);
      expect(got.map((g) => callIdOf(g.data))).toEqual(ms.map((m) => callIdOf(m)));
      expect(got.every((g, i) => g.data.equals(ms[i]!))).toBe(true);
    });

    test('large-message', 'carries a 60 KB message both ways (streams: written in 100 pieces)', async () => {
      const { t, inbox } = await start();
      const c = await client(t);
      const big = sipMessage('big', 60_000);
      await c.sendInPieces(big, 100);
      const [got] = await inbox.messages.waitFor(1);
      expect(got!.data.equals(big)).toBe(true);
      await t.send(big, { remote: got!.flow.remote, connectionId: got!.flow.connectionId });
      expect((await c.next()).equals(big)).toBe(true);
    });

    test('close-releases', 'close() releases the port and closes the connections', async () => {
      const { t, inbox } = await start();
      const c = await client(t);
      await c.send(sipMessage('bye'));
      await inbox.messages.waitFor(1);
      const port = t.local.port;
      await t.close();
      if (t.reliable) {
        await c.closed;
        expect(t.connectionCount()).toBe(0);
      }
      await expect(t.send(sipMessage('after'), { remote: c.local })).rejects.toMatchObject({ code: 'not-listening' });
      const again = await start('127.0.0.1', port);
      expect(again.t.local.port).toBe(port);
      const c2 = await client(again.t);
      await c2.send(sipMessage('again'));
      await again.inbox.messages.waitFor(1);
    });

    test('malformed-isolated', 'a malformed stream closes only its own connection', async () => {
      const { t, inbox } = await start();
      const bad = await client(t);
      const good = await client(t);
      await good.send(sipMessage('g1'));
      await inbox.messages.waitFor(1);
      await bad.sendMalformed();
      await bad.closed;
      const [fe] = await inbox.framingErrors.waitFor(1, 5000, 'framing error');
      expect(fe!.flow.remote).toEqual(bad.local);
      await good.send(sipMessage('g2'));
      const got = await inbox.messages.waitFor(2);
      await t.send(sipMessage('to-good'), { remote: got[1]!.flow.remote, connectionId: got[1]!.flow.connectionId });
      expect(callIdOf(await good.next())).toBe('to-good');
      expect(t.connectionCount()).toBe(1);
    });

    test('concurrent-clients', 'serves 100 concurrent clients, each reply on its own flow', async () => {
      const { t, inbox } = await start();
      const clients = await Promise.all(Array.from({ length: 100 }, () => client(t)));
      await Promise.all(clients.map((c, i) => c.send(sipMessage(`c${i}`))));
      const got = await inbox.messages.waitFor(100, 15_000);
      await Promise.all(got.map((g) => t.send(sipMessage(`re-${callIdOf(g.data)}`), { remote: g.flow.remote, connectionId: g.flow.connectionId })));
      const replies = await Promise.all(clients.map((c) => c.next(10_000)));
      expect(replies.map((r) => callIdOf(r))).toEqual(clients.map((_, i) => `re-c${i}`));
      if (t.reliable) expect(t.connectionCount()).toBe(100);
    });

    const v6Reason = target.skip?.ipv6 ?? (HAS_IPV6 ? undefined : 'this machine cannot bind ::1 (no IPv6 loopback)');
    (v6Reason === undefined ? it : it.skip)(
      v6Reason === undefined ? 'works over IPv6 on ::1' : `works over IPv6 on ::1 — skipped: ${v6Reason}`,
      async () => {
        const { t, inbox } = await start('::1');
        expect(t.local.address).toBe('::1');
        const c = await client(t);
        await c.send(sipMessage('v6'));
        const [got] = await inbox.messages.waitFor(1);
        expect(got!.flow.remote.address).toBe('::1');
        await t.send(sipMessage('v6-re'), { remote: got!.flow.remote, connectionId: got!.flow.connectionId });
        expect(callIdOf(await c.next())).toBe('v6-re');
      },
      20_000,
    );

    test('connect-on-send', 'sends to a peer it has no connection to, then reuses that connection', async () => {
      const { t } = await start();
      const peer = await target.rawServer!('127.0.0.1');
      open.push(peer);
      const f1 = await t.send(sipMessage('out1'), { remote: peer.endpoint });
      const f2 = await t.send(sipMessage('out2'), { remote: peer.endpoint });
      expect(callIdOf(await peer.next())).toBe('out1');
      expect(callIdOf(await peer.next())).toBe('out2');
      expect(f2.connectionId).toBe(f1.connectionId);
      if (t.reliable) expect(peer.accepted()).toBe(1);
    });
  });
}

import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import type { SipResponse } from '../../protocol/sip/message.ts';
import type { Endpoint, Flow, SendTarget, Transport, TransportDelegate } from '../transport/transport.ts';
import { SipStack } from './sip-stack.ts';

/** Minimal UDP transport over node:dgram for this test (the product transports live in src/sip/transport). */
class DgramTransport implements Transport {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  private socket: Socket | undefined;
  local: Endpoint = { address: '127.0.0.1', port: 0 };
  constructor(private readonly delegate: () => TransportDelegate) {}
  async listen(): Promise<void> {
    const s = createSocket('udp4');
    s.on('message', (data, rinfo) => this.delegate().onMessage(data, { protocol: 'udp', local: this.local, remote: { address: rinfo.address, port: rinfo.port } }));
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    this.local = { address: '127.0.0.1', port: s.address().port };
    this.socket = s;
  }
  send(data: Buffer, target: SendTarget): Promise<Flow> {
    return new Promise((resolve, reject) =>
      this.socket!.send(data, target.remote.port, target.remote.address, (err) => (err ? reject(err) : resolve({ protocol: 'udp', local: this.local, remote: target.remote }))),
    );
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket?.close(() => resolve()));
  }
  connectionCount(): number {
    return 0;
  }
}

const errors: string[] = [];
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (o) => void errors.push(JSON.stringify(o)),
  child: () => quiet,
};

let transport: DgramTransport;
let stack: SipStack;
let client: Socket;
const inbox: Buffer[] = [];

beforeEach(async () => {
  errors.length = 0;
  inbox.length = 0;
  transport = new DgramTransport(() => stack);
  stack = new SipStack({ transports: [transport], clock: systemClock, logger: quiet, supported: ['path', 'outbound'] });
  await transport.listen();
  client = createSocket('udp4');
  client.on('message', (m) => inbox.push(m));
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  stack.close();
  await transport.close();
  await new Promise<void>((resolve) => client.close(() => resolve()));
});

function request(method: string, extra = ''): Buffer {
  const port = client.address().port;
  return Buffer.from(
    `${method} sip:hotline@127.0.0.1 SIP/2.0\r\n` +
      `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${method}${Math.random().toString(36).slice(2)};rport\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:tester@127.0.0.1>;tag=t1\r\nTo: <sip:hotline@127.0.0.1>\r\n` +
      `Call-ID: ${Math.random().toString(36).slice(2)}@127.0.0.1\r\nCSeq: 1 ${method}\r\n${extra}Content-Length: 0\r\n\r\n`,
  );
}

async function exchange(data: Buffer, waitMs = 1500): Promise<SipResponse | undefined> {
  const before = inbox.length;
  client.send(data, transport.local.port, '127.0.0.1');
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    if (inbox.length > before) {
      const m = parseMessage(inbox[before]!, { stream: false, validate: true });
      return m.kind === 'response' ? m : undefined;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

describe('SipStack over real UDP on 127.0.0.1 (TEL-1, TEL-2)', () => {
  it('OPTIONS gets 200 with Allow, Accept and Supported; the top Via is stamped with rport', async () => {
    stack.handle('REGISTER', { onRequest: (i) => void i.respond(200) });
    const res = await exchange(request('OPTIONS'));
    expect(res?.status).toBe(200);
    expect(res?.headers.get('Allow')?.split(', ').sort()).toEqual(['OPTIONS', 'REGISTER']);
    expect(res?.headers.get('Accept')).toBe('application/sdp');
    expect(res?.headers.get('Supported')).toBe('path, outbound');
    expect(res?.headers.get('Via')).toMatch(new RegExp(`;rport=${client.address().port}`));
    expect(res?.headers.get('Via')).toContain('received=127.0.0.1');
    expect(stack.toJSON()).toMatchObject({ messagesIn: 1, messagesOut: 1, transactionsAlive: 1 });
  });

  it('unknown method gets 501; known but unhandled gets 405 with Allow', async () => {
    expect((await exchange(request('FROBNICATE')))?.status).toBe(501);
    const res = await exchange(request('SUBSCRIBE', 'Event: presence\r\nContact: <sip:tester@127.0.0.1>\r\n'));
    expect(res?.status).toBe(405);
    expect(res?.headers.get('Allow')).toBe('OPTIONS');
  });

  it('a throwing handler ends that transaction with 500 and is logged; the next request is served', async () => {
    stack.handle('MESSAGE', {
      onRequest: () => {
        throw new Error('boom');
      },
    });
    stack.handle('INFO', { onRequest: async () => Promise.reject(new Error('async boom')) });
    expect((await exchange(request('MESSAGE')))?.status).toBe(500);
    expect((await exchange(request('INFO')))?.status).toBe(500);
    expect(errors.filter((e) => e.includes('boom'))).toHaveLength(2);
    expect(stack.metrics.handlerErrors).toBe(2);
    expect((await exchange(request('OPTIONS')))?.status).toBe(200);
  });

  it('garbage does not crash the stack; a malformed request gets 400 naming the fault, a bad version 505', async () => {
    expect(await exchange(Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a]), 200)).toBeUndefined();
    expect(await exchange(Buffer.from('SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n'), 200)).toBeUndefined();
    const badCseq = Buffer.from(request('OPTIONS').toString().replace('CSeq: 1 OPTIONS', 'CSeq: one OPTIONS'));
    // The 400 echoes the malformed CSeq, so read its status line as text.
    const before = inbox.length;
    await exchange(badCseq).catch(() => undefined);
    expect(inbox[before]?.toString().split('\r\n')[0]).toMatch(/^SIP\/2.0 400 Bad Request - .*CSeq/i);
    const badVersion = Buffer.from(request('OPTIONS').toString().replace('SIP/2.0\r\n', 'SIP/7.0\r\n'));
    expect((await exchange(badVersion))?.status).toBe(505);
    expect(stack.metrics.parseErrors).toBe(4);
    expect((await exchange(request('OPTIONS')))?.status).toBe(200);
  });

  it('a retransmitted request is absorbed and answered again from its transaction', async () => {
    const data = request('OPTIONS');
    expect((await exchange(data))?.status).toBe(200);
    expect((await exchange(data))?.status).toBe(200);
    expect(stack.toJSON()).toMatchObject({ transactionsAlive: 1, requestsIn: 2 });
  });
});

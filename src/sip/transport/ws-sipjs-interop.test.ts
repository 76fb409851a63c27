/**
 * Interop with a real browser SIP stack: SIP.js (the library the web
 * softphone uses) registers over our WebSocket transport (RFC 7118), then we
 * send it an OPTIONS on the same connection and it answers. SIP.js runs in
 * Node with npm `ws` standing in for the browser's WebSocket class.
 */
import { pino } from 'pino';
import { Registerer, RegistererState, UserAgent } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Inbox } from './conformance-clients.ts';
import { responseTarget, stampVia } from './rport.ts';
import type { Flow } from './transport.ts';
import { WsTransport } from './ws-transport.ts';

const logger = pino({ level: 'silent' });

function header(text: string, name: string): string {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text.split('\r\n\r\n')[0]!);
  return m?.[1]?.trim() ?? '';
}

class Registrar extends Inbox {
  transport!: WsTransport;
  registeredOn: Flow | undefined;

  override onMessage(data: Buffer, flow: Flow): void {
    super.onMessage(data, flow);
    const text = data.toString('utf8');
    if (!text.startsWith('REGISTER ')) return;
    const via = header(text, 'Via');
    const response = [
      'SIP/2.0 200 OK',
      `Via: ${stampVia(via, flow)}`,
      `From: ${header(text, 'From')}`,
      `To: ${header(text, 'To')};tag=reg1`,
      `Call-ID: ${header(text, 'Call-ID')}`,
      `CSeq: ${header(text, 'CSeq')}`,
      `Contact: ${header(text, 'Contact')};expires=600`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.registeredOn = flow;
    this.transport.send(Buffer.from(response), responseTarget(via, flow)).catch(() => undefined);
  }
}

const registrar = new Registrar();
let ua: UserAgent | undefined;
const g = globalThis as { WebSocket?: unknown };
const hadWebSocket = 'WebSocket' in g;
const savedWebSocket = g.WebSocket;

beforeAll(async () => {
  g.WebSocket = WebSocket;
  registrar.transport = new WsTransport({ delegate: registrar, logger, host: '127.0.0.1', port: 0 });
  await registrar.transport.listen();
});

afterAll(async () => {
  await ua?.stop().catch(() => undefined);
  await registrar.transport.close();
  if (hadWebSocket) g.WebSocket = savedWebSocket;
  else delete g.WebSocket;
});

describe('WebSocket transport with SIP.js (TEL-2, RFC 7118)', () => {
  it('SIP.js registers over ws and answers an OPTIONS sent back on its connection', async () => {
    const t = registrar.transport;
    ua = new UserAgent({
      uri: UserAgent.makeURI('sip:alice@hotline.test'),
      transportOptions: { server: `ws://127.0.0.1:${t.local.port}` },
      logBuiltinEnabled: false,
    });
    await ua.start();
    const registerer = new Registerer(ua);
    const registered = new Promise<void>((resolve) =>
      registerer.stateChange.addListener((s) => {
        if (s === RegistererState.Registered) resolve();
      }),
    );
    await registerer.register();
    await registered;
    const flow = registrar.registeredOn!;
    expect(flow.protocol).toBe('ws');
    expect(t.keepAlive(flow.connectionId!, 600_000)).toBe(true);

    const before = registrar.messages.length;
    const contact = header(registrar.messages.all()[0]!.data.toString('utf8'), 'Contact');
    const target = /<([^>]+)>/.exec(contact)?.[1] ?? 'sip:alice@hotline.test';
    const options = [
      `OPTIONS ${target} SIP/2.0`,
      `Via: SIP/2.0/WS hotline.invalid;branch=z9hG4bKopt1`,
      'Max-Forwards: 70',
      'From: <sip:hotline@hotline.test>;tag=srv1',
      'To: <sip:alice@hotline.test>',
      'Call-ID: opt1@hotline.test',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await t.send(Buffer.from(options), { remote: flow.remote, connectionId: flow.connectionId! });
    const replies = await registrar.messages.waitFor(before + 1, 5000, 'OPTIONS answer');
    const answer = replies[before]!;
    expect(answer.data.toString('utf8')).toMatch(/^SIP\/2\.0 200 /);
    expect(answer.flow.connectionId).toBe(flow.connectionId);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import type { SipMessage } from '../../protocol/sip/message.ts';
import type { Flow } from '../transport/transport.ts';
import { SipStack } from './sip-stack.ts';
import type { IncomingRequest } from './request-handler.ts';
import { RecordingTransport, quiet } from './test-support.ts';

const flow: Flow = { protocol: 'udp', local: { address: '192.0.2.1', port: 5060 }, remote: { address: '198.51.100.7', port: 5062 } };

function msg(method: string, opts: { branch: string; cseq?: number; toTag?: string; extra?: string }): Buffer {
  return Buffer.from(
    `${method} sip:8001@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5062;branch=${opts.branch};rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:caller@198.51.100.7>;tag=caller\r\nTo: <sip:8001@192.0.2.1>${opts.toTag ? `;tag=${opts.toTag}` : ''}\r\nCall-ID: inv-1@198.51.100.7\r\n` +
      `CSeq: ${opts.cseq ?? 1} ${method}\r\nContact: <sip:caller@198.51.100.7:5062>\r\n${opts.extra ?? ''}Content-Length: 0\r\n\r\n`,
  );
}

function setup() {
  const clock = new FakeClock();
  const udp = new RecordingTransport('udp', { address: '192.0.2.1', port: 5060 });
  const stack = new SipStack({ transports: [udp], clock, logger: quiet });
  const out = (): SipMessage[] => udp.sent.map((s) => parseMessage(s.data, { stream: false }));
  const statuses = (method: string) => out().filter((m) => m.kind === 'response' && m.headers.get('CSeq')?.endsWith(method)).map((m) => (m.kind === 'response' ? m.status : 0));
  return { clock, udp, stack, statuses };
}

describe('SipStack INVITE, CANCEL, ACK and dialogs (TEL-1)', () => {
  it('CANCEL: 200 to the CANCEL, the handler answers the INVITE 487; 100 Trying came first', async () => {
    const s = setup();
    let cancelled = 0;
    s.stack.handle('INVITE', {
      onRequest: () => {},
      onCancel: (incoming: IncomingRequest) => {
        cancelled++;
        incoming.respond(487);
      },
    });
    s.stack.onMessage(msg('INVITE', { branch: 'z9hG4bKinv1' }), flow);
    s.clock.advance(200);
    s.stack.onMessage(msg('CANCEL', { branch: 'z9hG4bKinv1' }), flow);
    await Promise.resolve();
    expect(cancelled).toBe(1);
    expect(s.statuses('INVITE')).toEqual([100, 487]);
    expect(s.statuses('CANCEL')).toEqual([200]);
    s.stack.onMessage(msg('ACK', { branch: 'z9hG4bKinv1', toTag: 'x' }), flow);
    expect(s.stack.toJSON()).toMatchObject({ transactionsAlive: 2 });
  });

  it('accepted INVITE: 2xx retransmitted until the ACK, then BYE in the dialog; stale CSeq gets 500, unknown dialog 481', async () => {
    const s = setup();
    const acks: string[] = [];
    s.stack.handle('INVITE', {
      onRequest: (incoming) => {
        if (incoming.transaction.kind !== 'ist') return;
        const ok = createResponse(incoming.request, 200, 'OK', { toTag: 'uas1', headers: [['Contact', '<sip:8001@192.0.2.1>']] });
        s.stack.dialogs.acceptInvite(incoming.transaction, ok);
      },
      onAck: (ack) => acks.push(ack.headers.get('CSeq') ?? ''),
    });
    s.stack.handle('BYE', { onRequest: (i) => void i.respond(200) });
    s.stack.onMessage(msg('INVITE', { branch: 'z9hG4bKinv2', cseq: 10 }), flow);
    s.clock.advance(1600);
    expect(s.statuses('INVITE')).toEqual([200, 200, 200]);
    s.stack.onMessage(msg('ACK', { branch: 'z9hG4bKack2', cseq: 10, toTag: 'uas1' }), flow);
    s.clock.advance(10_000);
    expect(s.statuses('INVITE')).toEqual([200, 200, 200]);
    expect(acks).toEqual(['10 ACK']);
    s.stack.onMessage(msg('BYE', { branch: 'z9hG4bKbye0', cseq: 9, toTag: 'uas1' }), flow);
    s.stack.onMessage(msg('BYE', { branch: 'z9hG4bKbye1', cseq: 11, toTag: 'other' }), flow);
    s.stack.onMessage(msg('BYE', { branch: 'z9hG4bKbye2', cseq: 11, toTag: 'uas1' }), flow);
    await Promise.resolve();
    expect(s.statuses('BYE')).toEqual([500, 481, 200]);
  });
});

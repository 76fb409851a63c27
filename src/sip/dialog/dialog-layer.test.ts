import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { createRequest, type SipRequest } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { TransactionLayer } from '../transaction/transaction-layer.ts';
import { InviteServerTransaction } from '../transaction/invite-server-transaction.ts';
import { RecordingChannel } from '../transaction/test-support.ts';
import { DialogError } from './dialog-error.ts';
import { DialogLayer } from './dialog-layer.ts';
import type { Dialog } from './dialog.ts';

function invite(): SipRequest {
  return createRequest('INVITE', 'sip:bob@192.0.2.4', [
    ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKuas2xx'],
    ['From', '<sip:alice@example.com>;tag=ft'],
    ['To', '<sip:bob@example.com>'],
    ['Call-ID', 'dl-1'],
    ['CSeq', '5 INVITE'],
    ['Contact', '<sip:alice@192.0.2.1:5060>'],
  ]);
}

function setup(reliable = false) {
  const clock = new FakeClock();
  const t0 = clock.now();
  const tl = new TransactionLayer({ clock });
  const channel = new RecordingChannel(clock, reliable);
  const sentByDialog: Array<{ req: SipRequest; at: number }> = [];
  const timeouts: Dialog[] = [];
  const dl = new DialogLayer({
    clock,
    timers: tl.timers,
    delegate: { sendRequest: (req) => sentByDialog.push({ req, at: clock.now() - t0 }), onAckTimeout: (d) => timeouts.push(d) },
  });
  const req = invite();
  const m = tl.receiveRequest(req, channel);
  if (m.kind !== 'new' || !(m.transaction instanceof InviteServerTransaction)) throw new Error('expected INVITE transaction');
  const ok = createResponse(req, 200, undefined, { toTag: 'lt', headers: [['Contact', '<sip:bob@192.0.2.4>']] });
  const dialog = dl.acceptInvite(m.transaction, ok);
  return { clock, t0, channel, dl, dialog, sentByDialog, timeouts, req };
}

const ack = (seq = 5) =>
  createRequest('ACK', 'sip:bob@192.0.2.4', [
    ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKack'],
    ['From', '<sip:alice@example.com>;tag=ft'],
    ['To', '<sip:bob@example.com>;tag=lt'],
    ['Call-ID', 'dl-1'],
    ['CSeq', `${seq} ACK`],
  ]);

describe('UAS 2xx retransmission and dialog table, RFC 3261 13.3.1.4 / 12.2.2 (TEL-1)', () => {
  it('retransmits the 2xx at 500, 1500, 3500, 7500, 11500 ms until the ACK arrives', () => {
    const s = setup();
    s.clock.advance(8000);
    expect(s.channel.times(s.t0)).toEqual([0, 500, 1500, 3500, 7500]);
    expect(s.dl.receiveAck(ack())).toBe(s.dialog);
    s.clock.advance(60_000);
    expect(s.channel.times(s.t0)).toEqual([0, 500, 1500, 3500, 7500]);
    expect(s.sentByDialog).toHaveLength(0);
    expect(s.dialog.state).toBe('confirmed');
  });

  it('no ACK within 64*T1: BYE built by the dialog and the dialog removed', () => {
    const s = setup();
    s.clock.advance(32_000);
    expect(s.timeouts).toEqual([s.dialog]);
    expect(s.sentByDialog).toHaveLength(1);
    const bye = s.sentByDialog[0]!;
    expect(bye.at).toBe(32_000);
    expect(bye.req.method).toBe('BYE');
    expect(bye.req.uri).toBe('sip:alice@192.0.2.1:5060');
    expect(bye.req.headers.get('To')).toBe('<sip:alice@example.com>;tag=ft');
    expect(bye.req.headers.get('From')).toBe('<sip:bob@example.com>;tag=lt');
    expect(s.dl.size).toBe(0);
    expect(s.dialog.state).toBe('terminated');
  });

  it('matches in-dialog requests, 481 for an unknown dialog, 500 for an old CSeq', () => {
    const s = setup();
    const inDialog = (seq: number, toTag = 'lt') =>
      createRequest('INFO', 'sip:bob@192.0.2.4', [
        ['From', '<sip:alice@example.com>;tag=ft'],
        ['To', `<sip:bob@example.com>;tag=${toTag}`],
        ['Call-ID', 'dl-1'],
        ['CSeq', `${seq} INFO`],
      ]);
    expect(s.dl.receiveRequest(inDialog(6))).toBe(s.dialog);
    const status = (f: () => void) => {
      try {
        f();
        return 0;
      } catch (e) {
        return e instanceof DialogError ? e.status : -1;
      }
    };
    expect(status(() => s.dl.receiveRequest(inDialog(7, 'other')))).toBe(481);
    expect(status(() => s.dl.receiveRequest(inDialog(4)))).toBe(500);
    expect(s.dl.receiveRequest(s.req)).toBeUndefined();
  });
});

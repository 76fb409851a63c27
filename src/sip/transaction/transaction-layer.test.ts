import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { cloneMessage, type SipMessage, type SipRequest } from '../../protocol/sip/message.ts';
import { parseMessage } from '../../protocol/sip/parser.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { TransactionLayer } from './transaction-layer.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import { RecordingChannel, makeRequest, makeResponse } from './test-support.ts';

function setup() {
  const clock = new FakeClock();
  const layer = new TransactionLayer({ clock });
  const channel = new RecordingChannel(clock);
  return { clock, layer, channel };
}

const statuses = (c: RecordingChannel, method?: string) =>
  c.sent.filter((x) => x.message.kind === 'response' && (!method || x.message.headers.get('CSeq')?.endsWith(method))).map((x) => (x.message as { status: number }).status);

function fixture(name: string): SipRequest {
  const m = parseMessage(readFileSync(new URL(`../../../../shared/fixtures/rfc4475/${name}`, import.meta.url)), { stream: false });
  if (m.kind !== 'request') throw new Error('fixture is not a request');
  return m;
}

describe('transaction layer matching, RFC 3261 17.1.3 / 17.2.3 (TEL-1, TEL-2)', () => {
  it('client: a response matches on branch and CSeq method, so INVITE and CANCEL stay apart', () => {
    const { layer, channel } = setup();
    const seen: string[] = [];
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKsame' });
    const ict = layer.sendRequest(invite, channel, { onResponse: (r) => seen.push(`invite ${r.status}`) });
    expect(layer.receiveResponse(makeResponse(invite, 180, 'a'))).toBe(true);
    layer.cancel(ict as InviteClientTransaction, { onResponse: (r) => seen.push(`cancel ${r.status}`) });
    const cancel = channel.sent.at(-1)!.message as SipRequest;
    expect(cancel.method).toBe('CANCEL');
    expect(layer.receiveResponse(makeResponse(cancel, 200, 'a'))).toBe(true);
    expect(layer.receiveResponse(makeResponse(invite, 487, 'a'))).toBe(true);
    expect(seen).toEqual(['invite 180', 'cancel 200', 'invite 487']);
    const otherBranch = makeResponse(makeRequest('INVITE', { branch: 'z9hG4bKother' }), 200, 'a');
    expect(layer.receiveResponse(otherBranch)).toBe(false);
  });

  it('client: terminated transactions leave the table and late responses go unmatched', () => {
    const { clock, layer, channel } = setup();
    const req = makeRequest('OPTIONS');
    layer.sendRequest(req, channel);
    expect(layer.size).toBe(1);
    layer.receiveResponse(makeResponse(req, 200, 'a'));
    clock.advance(5000);
    expect(layer.size).toBe(0);
    expect(layer.receiveResponse(makeResponse(req, 200, 'a'))).toBe(false);
  });

  it('client: refuses a request without our branch, an ACK, and a duplicate', () => {
    const { layer, channel } = setup();
    const codes: string[] = [];
    const attempt = (r: SipRequest) => {
      try {
        layer.sendRequest(r, channel);
      } catch (e) {
        if (e instanceof TransactionStateError) codes.push(e.code);
      }
    };
    attempt(makeRequest('OPTIONS', { via: 'SIP/2.0/UDP 192.0.2.1;branch=1234' }));
    attempt(makeRequest('ACK'));
    const r = makeRequest('OPTIONS');
    attempt(r);
    attempt(r);
    expect(codes).toEqual(['no-branch', 'ack-has-no-transaction', 'duplicate-transaction']);
  });

  it('server: retransmission matched on branch + sent-by + method; a different sent-by is a new transaction', () => {
    const { layer, channel } = setup();
    const req = makeRequest('OPTIONS', { branch: 'z9hG4bKabc' });
    const first = layer.receiveRequest(req, channel);
    expect(first.kind).toBe('new');
    expect(layer.receiveRequest(cloneMessage(req), channel).kind).toBe('retransmission');
    const other = makeRequest('OPTIONS', { via: 'SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKabc' });
    expect(layer.receiveRequest(other, channel).kind).toBe('new');
    expect(layer.size).toBe(2);
  });

  it('server: ACK for a non-2xx is absorbed by its INVITE transaction; ACK for a 2xx goes to the core', () => {
    const { layer, channel } = setup();
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKinv' });
    const m = layer.receiveRequest(invite, channel);
    if (m.kind !== 'new') throw new Error('expected new');
    m.transaction.respond(makeResponse(invite, 486, 'uas'));
    const ack = makeRequest('ACK', { branch: 'z9hG4bKinv', toTag: 'uas', callId: invite.headers.get('Call-ID')! });
    expect(layer.receiveRequest(ack, channel).kind).toBe('ack-absorbed');
    expect(m.transaction.state).toBe('confirmed');
    const ack2xx = makeRequest('ACK', { branch: 'z9hG4bKnewbranch', toTag: 'uas' });
    expect(layer.receiveRequest(ack2xx, channel)).toEqual({ kind: 'ack', request: ack2xx });
  });

  it('server: RFC 2543 fallback matches retransmissions without the magic cookie (RFC 4475 badbranch)', () => {
    const { layer, channel } = setup();
    const req = fixture('badbranch.dat');
    expect(layer.receiveRequest(req, channel).kind).toBe('new');
    expect(layer.receiveRequest(fixture('badbranch.dat'), channel).kind).toBe('retransmission');
    const changed = fixture('badbranch.dat');
    changed.headers.set('CSeq', '9 OPTIONS');
    expect(layer.receiveRequest(changed, channel).kind).toBe('new');
  });

  it('server: RFC 2543 INVITE (inv2543) matches its retransmission and its ACK by To tag', () => {
    const { layer, channel } = setup();
    const invite = fixture('inv2543.dat');
    const m = layer.receiveRequest(invite, channel);
    if (m.kind !== 'new') throw new Error('expected new');
    expect(layer.receiveRequest(fixture('inv2543.dat'), channel).kind).toBe('retransmission');
    m.transaction.respond(createResponse(invite, 404, undefined, { toTag: 't2543' }));
    const ack = fixture('inv2543.dat');
    ack.method = 'ACK';
    ack.headers.set('CSeq', '56 ACK');
    ack.headers.set('To', `${ack.headers.get('To')};tag=wrong`);
    ack.body = Buffer.alloc(0);
    expect(layer.receiveRequest(ack, channel).kind).toBe('ack');
    ack.headers.set('To', 'sip:+16505552222@ss1.example.net;user=phone;tag=t2543');
    expect(layer.receiveRequest(ack, channel).kind).toBe('ack-absorbed');
  });
});

describe('CANCEL, RFC 3261 section 9 (TEL-1)', () => {
  it('UAC: the CANCEL copies Request-URI, Call-ID, To, From, CSeq number, top Via and Route, and waits for a 1xx', () => {
    const { layer, channel } = setup();
    const invite = makeRequest('INVITE', { route: ['<sip:p1.example.org;lr>', '<sip:p2.example.org;lr>'] });
    invite.headers.append('Via', 'SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKlower');
    const ict = layer.sendRequest(invite, channel) as InviteClientTransaction;
    const cancel = layer.cancel(ict);
    const sentMethods = () => channel.sent.map((x) => (x.message.kind === 'request' ? x.message.method : 'resp'));
    expect(sentMethods()).toEqual(['INVITE']);
    layer.receiveResponse(makeResponse(invite, 100));
    expect(sentMethods()).toEqual(['INVITE', 'CANCEL']);
    expect(cancel.uri).toBe(invite.uri);
    for (const h of ['Call-ID', 'To', 'From']) expect(cancel.headers.get(h)).toBe(invite.headers.get(h));
    expect(cancel.headers.get('CSeq')).toBe('1 CANCEL');
    expect(cancel.headers.getAll('Via')).toEqual([invite.headers.getAll('Via')[0]]);
    expect(cancel.headers.getAll('Route')).toEqual(invite.headers.getAll('Route'));
  });

  it('UAC: cancel after a final response throws cancel-after-final', () => {
    const { layer, channel } = setup();
    const invite = makeRequest('INVITE');
    const ict = layer.sendRequest(invite, channel) as InviteClientTransaction;
    layer.receiveResponse(makeResponse(invite, 486, 'x'));
    expect(() => layer.cancel(ict)).toThrow(TransactionStateError);
  });

  it('UAS: CANCEL matching a proceeding INVITE gets 200, the TU decides and answers 487', () => {
    const { layer, channel } = setup();
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKc1' });
    const m = layer.receiveRequest(invite, channel);
    if (m.kind !== 'new' || !(m.transaction instanceof InviteServerTransaction)) throw new Error('expected INVITE');
    const ist = m.transaction;
    const cancels: SipMessage[] = [];
    ist.user = {
      onCancel: (c: SipRequest) => {
        cancels.push(c);
        ist.respond(makeResponse(invite, 487, 'uas'));
      },
    } as typeof ist.user;
    const cancel = makeRequest('CANCEL', { branch: 'z9hG4bKc1', callId: invite.headers.get('Call-ID')! });
    const r = layer.receiveRequest(cancel, channel);
    expect(r.kind).toBe('cancel');
    expect(cancels).toHaveLength(1);
    expect(statuses(channel, 'CANCEL')).toEqual([200]);
    expect(statuses(channel, 'INVITE')).toEqual([487]);
    expect(ist.state).toBe('completed');
    // a retransmitted CANCEL is answered again from its own transaction
    expect(layer.receiveRequest(cloneMessage(cancel), channel).kind).toBe('retransmission');
    expect(statuses(channel, 'CANCEL')).toEqual([200, 200]);
  });

  it('UAS: without an onCancel delegate the layer answers the INVITE 487 itself', () => {
    const { layer, channel } = setup();
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKc2' });
    layer.receiveRequest(invite, channel);
    layer.receiveRequest(makeRequest('CANCEL', { branch: 'z9hG4bKc2' }), channel);
    expect(statuses(channel, 'INVITE')).toEqual([487]);
  });

  it('UAS: CANCEL after the INVITE got its final response gets 200 and has no effect', () => {
    const { layer, channel } = setup();
    const invite = makeRequest('INVITE', { branch: 'z9hG4bKc3' });
    const m = layer.receiveRequest(invite, channel);
    if (m.kind !== 'new') throw new Error('expected new');
    m.transaction.respond(makeResponse(invite, 200, 'x'));
    layer.receiveRequest(makeRequest('CANCEL', { branch: 'z9hG4bKc3' }), channel);
    expect(statuses(channel, 'CANCEL')).toEqual([200]);
    expect(statuses(channel, 'INVITE')).toEqual([200]);
  });

  it('UAS: CANCEL matching nothing gets 481', () => {
    const { layer, channel } = setup();
    const r = layer.receiveRequest(makeRequest('CANCEL', { branch: 'z9hG4bKnothing' }), channel);
    expect(r.kind).toBe('cancel');
    expect(statuses(channel)).toEqual([481]);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { SipMessage } from '../../protocol/sip/message.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { resolveTimerSettings } from './timer-settings.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import { RecordingChannel, flushMicrotasks, makeRequest, makeResponse } from './test-support.ts';

function setup(reliable = false) {
  const clock = new FakeClock();
  const t0 = clock.now();
  const channel = new RecordingChannel(clock, reliable);
  const invite = makeRequest('INVITE');
  let ackTimeouts = 0;
  let transportErrors = 0;
  const tx = new InviteServerTransaction({ clock, timers: resolveTimerSettings(), channel }, invite, 'k', {
    onAckTimeout: () => ackTimeouts++,
    onTransportError: () => transportErrors++,
  });
  tx.start();
  return { clock, t0, channel, tx, invite, ackTimeouts: () => ackTimeouts, transportErrors: () => transportErrors };
}

const statusOf = (m: SipMessage) => (m.kind === 'response' ? m.status : 0);

describe('INVITE server transaction, RFC 3261 figure 7 + RFC 6026 (TEL-1)', () => {
  it('sends 100 Trying after 200 ms when the TU is silent', () => {
    const s = setup();
    s.clock.advance(199);
    expect(s.channel.sent).toHaveLength(0);
    s.clock.advance(1);
    expect(s.channel.sent.map((x) => statusOf(x.message))).toEqual([100]);
    const trying = s.channel.sent[0]!.message;
    expect(trying.headers.get('To')).toBe(s.invite.headers.get('To'));
  });

  it('no 100 Trying when the TU answered within 200 ms', () => {
    const s = setup();
    s.clock.advance(50);
    s.tx.respond(makeResponse(s.invite, 180, 'u'));
    s.clock.advance(1000);
    expect(s.channel.sent.map((x) => statusOf(x.message))).toEqual([180]);
  });

  it('Proceeding: a retransmitted INVITE gets the last provisional response again', () => {
    const s = setup();
    s.tx.receiveRequest();
    expect(s.channel.sent).toHaveLength(0);
    s.tx.respond(makeResponse(s.invite, 180, 'u'));
    s.tx.receiveRequest();
    expect(s.channel.sent.map((x) => statusOf(x.message))).toEqual([180, 180]);
    expect(s.tx.state).toBe('proceeding');
  });

  it('Proceeding -486-> Completed: Timer G resends at 500, 1500, 3500, 7500, 11500... ; Timer H at 32 s ends it and informs the TU', () => {
    const s = setup();
    s.tx.respond(makeResponse(s.invite, 486, 'u'));
    expect(s.tx.state).toBe('completed');
    s.clock.advance(40_000);
    expect(s.channel.times(s.t0)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(s.tx.state).toBe('terminated');
    expect(s.ackTimeouts()).toBe(1);
  });

  it('Completed: retransmitted INVITE gets the final response again; ACK -> Confirmed; Timer I = T4 on UDP', () => {
    const s = setup();
    s.tx.respond(makeResponse(s.invite, 404, 'u'));
    s.tx.receiveRequest();
    expect(s.channel.sent.map((x) => statusOf(x.message))).toEqual([404, 404]);
    s.clock.advance(100);
    expect(s.tx.receiveAck()).toBe(true);
    expect(s.tx.state).toBe('confirmed');
    expect(s.tx.receiveAck()).toBe(true); // ACK retransmissions absorbed
    s.tx.receiveRequest(); // INVITE absorbed in Confirmed
    s.clock.advance(4999);
    expect(s.tx.state).toBe('confirmed');
    s.clock.advance(1);
    expect(s.tx.state).toBe('terminated');
    expect(s.channel.sent).toHaveLength(2);
    expect(s.ackTimeouts()).toBe(0);
  });

  it('reliable: no Timer G, Timer H still 64*T1, Timer I zero', () => {
    const s = setup(true);
    s.tx.respond(makeResponse(s.invite, 500, 'u'));
    s.clock.advance(10_000);
    expect(s.channel.sent).toHaveLength(1);
    s.tx.receiveAck();
    expect(s.tx.state).toBe('confirmed');
    s.clock.advance(0);
    expect(s.tx.state).toBe('terminated');

    const h = setup(true);
    h.tx.respond(makeResponse(h.invite, 500, 'u'));
    h.clock.advance(32_000);
    expect(h.tx.state).toBe('terminated');
    expect(h.ackTimeouts()).toBe(1);
  });

  it('Proceeding -2xx-> Accepted: TU 2xx retransmissions pass, INVITE retransmissions absorbed, ACK left to the core, Timer L ends it', () => {
    const s = setup();
    s.tx.respond(makeResponse(s.invite, 200, 'u'));
    expect(s.tx.state).toBe('accepted');
    s.tx.receiveRequest();
    s.clock.advance(500);
    expect(s.channel.sent).toHaveLength(1); // no retransmission by the transaction
    s.tx.respond(makeResponse(s.invite, 200, 'u'));
    expect(s.channel.sent).toHaveLength(2);
    expect(s.tx.receiveAck()).toBe(false);
    expect(() => s.tx.respond(makeResponse(s.invite, 486, 'u'))).toThrow(TransactionStateError);
    s.clock.advance(31_499);
    expect(s.tx.state).toBe('accepted');
    s.clock.advance(1);
    expect(s.tx.state).toBe('terminated');
  });

  const forbidden = [
    { state: 'completed', setup: (t: InviteServerTransaction, inv: ReturnType<typeof makeRequest>) => t.respond(makeResponse(inv, 486, 'u')) },
    { state: 'confirmed', setup: (t: InviteServerTransaction, inv: ReturnType<typeof makeRequest>) => (t.respond(makeResponse(inv, 486, 'u')), t.receiveAck()) },
  ];
  it.each(forbidden)('responding in $state throws TransactionStateError response-after-final', ({ setup: prep }) => {
    const s = setup();
    prep(s.tx, s.invite);
    let code = '';
    try {
      s.tx.respond(makeResponse(s.invite, 200, 'u'));
    } catch (e) {
      if (e instanceof TransactionStateError) code = e.code;
    }
    expect(code).toBe('response-after-final');
  });

  it('rejects a status that is not a response code', () => {
    const s = setup();
    const bad = makeResponse(s.invite, 180, 'u');
    bad.status = 99;
    expect(() => s.tx.respond(bad)).toThrow(TransactionStateError);
  });

  it('transport error in Proceeding and Completed terminates and informs the TU; in Accepted it waits for Timer L', async () => {
    const p = setup();
    p.channel.failWith = new Error('x');
    p.tx.respond(makeResponse(p.invite, 180, 'u'));
    await flushMicrotasks();
    expect(p.tx.state).toBe('terminated');
    expect(p.transportErrors()).toBe(1);

    const c = setup();
    c.channel.failWith = new Error('x');
    c.tx.respond(makeResponse(c.invite, 486, 'u'));
    await flushMicrotasks();
    expect(c.tx.state).toBe('terminated');

    const a = setup();
    a.channel.failWith = new Error('x');
    a.tx.respond(makeResponse(a.invite, 200, 'u'));
    await flushMicrotasks();
    expect(a.tx.state).toBe('accepted');
    expect(a.transportErrors()).toBe(1);
  });
});

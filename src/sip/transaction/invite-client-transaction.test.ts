import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { SipMessage, SipResponse } from '../../protocol/sip/message.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { resolveTimerSettings } from './timer-settings.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import type { LocalFailure } from './transaction-types.ts';
import { RecordingChannel, flushMicrotasks, makeRequest, makeResponse } from './test-support.ts';

function setup(reliable = false) {
  const clock = new FakeClock();
  const t0 = clock.now();
  const channel = new RecordingChannel(clock, reliable);
  const got: Array<{ status: number; local?: LocalFailure; at: number }> = [];
  let terminated = 0;
  let transportErrors = 0;
  const invite = makeRequest('INVITE', { route: ['<sip:proxy.example.org;lr>'] });
  const tx = new InviteClientTransaction({ clock, timers: resolveTimerSettings(), channel }, invite, 'k', {
    onResponse: (r: SipResponse, local?: LocalFailure) => got.push({ status: r.status, at: clock.now() - t0, ...(local ? { local } : {}) }),
    onTerminated: () => terminated++,
    onTransportError: () => transportErrors++,
  });
  tx.start();
  return { clock, t0, channel, tx, invite, got, terminated: () => terminated, transportErrors: () => transportErrors };
}

const isInvite = (m: SipMessage) => m.kind === 'request' && m.method === 'INVITE';
const isAck = (m: SipMessage) => m.kind === 'request' && m.method === 'ACK';

describe('INVITE client transaction, RFC 3261 figure 5 + RFC 6026 (TEL-1)', () => {
  it('Calling: Timer A retransmits at 500, 1500, 3500, 7500, 15500, 31500 ms; Timer B at 32 s reports 408', () => {
    const s = setup();
    s.clock.advance(40_000);
    expect(s.channel.times(s.t0, isInvite)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(s.got).toEqual([{ status: 408, local: 'timeout', at: 32_000 }]);
    expect(s.tx.state).toBe('terminated');
    expect(s.terminated()).toBe(1);
    expect(s.tx.runningTimers()).toEqual([]);
  });

  it('reliable transport: no Timer A, Timer B still fires at 64*T1', () => {
    const s = setup(true);
    s.clock.advance(31_999);
    expect(s.channel.times(s.t0)).toEqual([0]);
    expect(s.tx.state).toBe('calling');
    s.clock.advance(1);
    expect(s.got).toEqual([{ status: 408, local: 'timeout', at: 32_000 }]);
  });

  it('honours configured T1', () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel(clock);
    const tx = new InviteClientTransaction({ clock, timers: resolveTimerSettings({ t1: 100 }), channel }, makeRequest('INVITE'), 'k', {});
    tx.start();
    clock.advance(6400);
    expect(channel.times(1_700_000_000_000)).toEqual([0, 100, 300, 700, 1500, 3100, 6300]);
    expect(tx.state).toBe('terminated');
  });

  it('Calling -1xx-> Proceeding: retransmissions stop, 1xx passed up, Timer B no longer applies', () => {
    const s = setup();
    s.clock.advance(600);
    s.tx.receiveResponse(makeResponse(s.invite, 180, 'uas'));
    s.tx.receiveResponse(makeResponse(s.invite, 183, 'uas'));
    s.clock.advance(60_000);
    expect(s.channel.times(s.t0, isInvite)).toEqual([0, 500]);
    expect(s.got.map((g) => g.status)).toEqual([180, 183]);
    expect(s.tx.state).toBe('proceeding');
  });

  const finals: Array<{ name: string; provisionalFirst: boolean; reliable: boolean; dAt: number }> = [
    { name: 'Calling -486-> Completed (UDP, Timer D 32 s)', provisionalFirst: false, reliable: false, dAt: 32_000 },
    { name: 'Proceeding -486-> Completed (UDP, Timer D 32 s)', provisionalFirst: true, reliable: false, dAt: 32_000 },
    { name: 'Calling -486-> Completed (TCP, Timer D 0)', provisionalFirst: false, reliable: true, dAt: 0 },
  ];
  it.each(finals)('$name: ACK on the same branch, retransmitted 486 re-ACKed and absorbed', ({ provisionalFirst, reliable, dAt }) => {
    const s = setup(reliable);
    if (provisionalFirst) s.tx.receiveResponse(makeResponse(s.invite, 100));
    const busy = makeResponse(s.invite, 486, 'uas-tag');
    s.tx.receiveResponse(busy);
    expect(s.tx.state).toBe('completed');
    const acks = s.channel.sent.filter((x) => isAck(x.message));
    expect(acks).toHaveLength(1);
    const ack = acks[0]!.message;
    if (ack.kind !== 'request') throw new Error('not a request');
    expect(ack.uri).toBe(s.invite.uri);
    expect(ack.headers.getAll('Via')).toEqual([s.invite.headers.get('Via')]);
    expect(ack.headers.get('CSeq')).toBe('1 ACK');
    expect(ack.headers.get('To')).toContain('tag=uas-tag');
    expect(ack.headers.get('From')).toBe(s.invite.headers.get('From'));
    expect(ack.headers.get('Call-ID')).toBe(s.invite.headers.get('Call-ID'));
    expect(ack.headers.getAll('Route')).toEqual(['<sip:proxy.example.org;lr>']);
    if (!reliable) {
      s.tx.receiveResponse(busy);
      expect(s.channel.sent.filter((x) => isAck(x.message))).toHaveLength(2);
    }
    expect(s.got.filter((g) => g.status === 486)).toHaveLength(1);
    s.clock.advance(Math.max(0, dAt - 1));
    if (dAt > 0) expect(s.tx.state).toBe('completed');
    s.clock.advance(1);
    expect(s.tx.state).toBe('terminated');
    expect(s.channel.times(s.t0, isInvite)).toEqual([0]);
  });

  it('Calling -2xx-> Accepted: each 2xx to the TU, others absorbed, Timer M ends it at 64*T1', () => {
    const s = setup();
    s.clock.advance(100);
    s.tx.receiveResponse(makeResponse(s.invite, 200, 'a'));
    expect(s.tx.state).toBe('accepted');
    s.tx.receiveResponse(makeResponse(s.invite, 200, 'b'));
    s.tx.receiveResponse(makeResponse(s.invite, 180, 'c'));
    s.tx.receiveResponse(makeResponse(s.invite, 486, 'c'));
    expect(s.got.map((g) => g.status)).toEqual([200, 200]);
    expect(s.channel.sent.filter((x) => isAck(x.message))).toHaveLength(0);
    s.clock.advance(31_999);
    expect(s.tx.state).toBe('accepted');
    s.clock.advance(1);
    expect(s.tx.state).toBe('terminated');
    expect(s.channel.times(s.t0, isInvite)).toEqual([0]);
  });

  it('Proceeding -2xx-> Accepted', () => {
    const s = setup();
    s.tx.receiveResponse(makeResponse(s.invite, 180, 'a'));
    s.tx.receiveResponse(makeResponse(s.invite, 200, 'a'));
    expect(s.tx.state).toBe('accepted');
  });

  it('late responses after Terminated are absorbed', () => {
    const s = setup();
    s.tx.receiveResponse(makeResponse(s.invite, 404, 'x'));
    s.clock.advance(32_000);
    expect(s.tx.state).toBe('terminated');
    const before = s.channel.sent.length;
    s.tx.receiveResponse(makeResponse(s.invite, 404, 'x'));
    s.tx.receiveResponse(makeResponse(s.invite, 200, 'x'));
    expect(s.channel.sent.length).toBe(before);
    expect(s.got.map((g) => g.status)).toEqual([404]);
  });

  it('transport error in Calling reports 503 and terminates (17.1.4)', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel(clock);
    channel.failWith = new Error('ECONNREFUSED');
    const got: Array<[number, LocalFailure | undefined]> = [];
    const tx = new InviteClientTransaction({ clock, timers: resolveTimerSettings(), channel }, makeRequest('INVITE'), 'k', {
      onResponse: (r, local) => got.push([r.status, local]),
    });
    tx.start();
    await flushMicrotasks();
    expect(got).toEqual([[503, 'transport-error']]);
    expect(tx.state).toBe('terminated');
    expect(tx.runningTimers()).toEqual([]);
  });

  it('transport error sending the ACK in Completed terminates and informs the TU', async () => {
    const s = setup();
    s.channel.failWith = new Error('gone');
    s.tx.receiveResponse(makeResponse(s.invite, 603, 'x'));
    await flushMicrotasks();
    expect(s.tx.state).toBe('terminated');
    expect(s.transportErrors()).toBe(1);
  });

  it('CANCEL waits for a provisional response and is refused after a final one (9.1)', () => {
    const s = setup();
    let sent = 0;
    s.tx.whenProceeding(() => sent++);
    expect(sent).toBe(0);
    s.tx.receiveResponse(makeResponse(s.invite, 180, 'a'));
    expect(sent).toBe(1);
    s.tx.receiveResponse(makeResponse(s.invite, 486, 'a'));
    expect(() => s.tx.whenProceeding(() => sent++)).toThrow(TransactionStateError);
    try {
      s.tx.whenProceeding(() => sent++);
    } catch (e) {
      expect((e as TransactionStateError).code).toBe('cancel-after-final');
    }
  });

  it('a pending CANCEL is dropped when the final response comes first', () => {
    const s = setup();
    let sent = 0;
    s.tx.whenProceeding(() => sent++);
    s.tx.receiveResponse(makeResponse(s.invite, 486, 'a'));
    s.tx.receiveResponse(makeResponse(s.invite, 180, 'a'));
    expect(sent).toBe(0);
  });
});

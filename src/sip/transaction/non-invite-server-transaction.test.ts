import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { SipMessage } from '../../protocol/sip/message.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { resolveTimerSettings } from './timer-settings.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import { RecordingChannel, flushMicrotasks, makeRequest, makeResponse } from './test-support.ts';

function setup(reliable = false) {
  const clock = new FakeClock();
  const channel = new RecordingChannel(clock, reliable);
  const req = makeRequest('REGISTER');
  let transportErrors = 0;
  const tx = new NonInviteServerTransaction({ clock, timers: resolveTimerSettings(), channel }, req, 'k', { onTransportError: () => transportErrors++ });
  return { clock, channel, tx, req, transportErrors: () => transportErrors };
}

const statuses = (c: RecordingChannel) => c.sent.map((x: { message: SipMessage }) => (x.message.kind === 'response' ? x.message.status : 0));

describe('non-INVITE server transaction, RFC 3261 figure 8 (TEL-2)', () => {
  it('Trying: retransmissions absorbed silently', () => {
    const s = setup();
    s.tx.receiveRequest();
    s.tx.receiveRequest();
    expect(s.channel.sent).toHaveLength(0);
    expect(s.tx.state).toBe('trying');
  });

  it('Trying -1xx-> Proceeding: retransmission resends the provisional; more 1xx allowed', () => {
    const s = setup();
    s.tx.respond(makeResponse(s.req, 100));
    expect(s.tx.state).toBe('proceeding');
    s.tx.receiveRequest();
    s.tx.respond(makeResponse(s.req, 183, 'x'));
    expect(statuses(s.channel)).toEqual([100, 100, 183]);
  });

  const finals = [
    { from: 'trying', status: 200, reliable: false, j: 32_000 },
    { from: 'proceeding', status: 401, reliable: false, j: 32_000 },
    { from: 'trying', status: 200, reliable: true, j: 0 },
  ];
  it.each(finals)('$from -$status-> Completed (reliable=$reliable): retransmission resends the final, Timer J = $j', ({ from, status, reliable, j }) => {
    const s = setup(reliable);
    if (from === 'proceeding') s.tx.respond(makeResponse(s.req, 100));
    s.tx.respond(makeResponse(s.req, status, 'x'));
    expect(s.tx.state).toBe('completed');
    if (j > 0) {
      s.tx.receiveRequest();
      expect(statuses(s.channel).slice(-2)).toEqual([status, status]);
      s.clock.advance(j - 1);
      expect(s.tx.state).toBe('completed');
      s.clock.advance(1);
    } else {
      s.clock.advance(0);
    }
    expect(s.tx.state).toBe('terminated');
  });

  it('a second final response is a TransactionStateError', () => {
    const s = setup();
    s.tx.respond(makeResponse(s.req, 200, 'x'));
    expect(() => s.tx.respond(makeResponse(s.req, 500, 'x'))).toThrowError(TransactionStateError);
  });

  it('transport error in Completed terminates and informs the TU', async () => {
    const s = setup();
    s.channel.failWith = new Error('gone');
    s.tx.respond(makeResponse(s.req, 200, 'x'));
    await flushMicrotasks();
    expect(s.tx.state).toBe('terminated');
    expect(s.transportErrors()).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { resolveTimerSettings } from './timer-settings.ts';
import type { LocalFailure } from './transaction-types.ts';
import { RecordingChannel, flushMicrotasks, makeRequest, makeResponse } from './test-support.ts';

function setup(reliable = false, method = 'OPTIONS') {
  const clock = new FakeClock();
  const t0 = clock.now();
  const channel = new RecordingChannel(clock, reliable);
  const got: Array<{ status: number; local?: LocalFailure; at: number }> = [];
  const req = makeRequest(method);
  const tx = new NonInviteClientTransaction({ clock, timers: resolveTimerSettings(), channel }, req, 'k', {
    onResponse: (r, local) => got.push({ status: r.status, at: clock.now() - t0, ...(local ? { local } : {}) }),
  });
  tx.start();
  return { clock, t0, channel, tx, req, got };
}

describe('non-INVITE client transaction, RFC 3261 figure 6 (TEL-2)', () => {
  it('Trying: Timer E doubles up to T2 (500, 1500, 3500, 7500, then every 4 s); Timer F at 32 s reports 408', () => {
    const s = setup();
    s.clock.advance(40_000);
    expect(s.channel.times(s.t0)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(s.got).toEqual([{ status: 408, local: 'timeout', at: 32_000 }]);
    expect(s.tx.state).toBe('terminated');
  });

  it('Proceeding: Timer E resets to T2 after each retransmission; Timer F still fires', () => {
    const s = setup();
    s.clock.advance(600); // sent at 0, 500; next E due at 1500
    s.tx.receiveResponse(makeResponse(s.req, 100));
    expect(s.tx.state).toBe('proceeding');
    s.clock.advance(40_000);
    expect(s.channel.times(s.t0)).toEqual([0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
    expect(s.got).toEqual([
      { status: 100, at: 600 },
      { status: 408, local: 'timeout', at: 32_000 },
    ]);
  });

  it('reliable: no retransmissions, Timer F fires, Timer K zero', () => {
    const s = setup(true);
    s.clock.advance(40_000);
    expect(s.channel.times(s.t0)).toEqual([0]);
    expect(s.got.map((g) => g.status)).toEqual([408]);

    const r = setup(true);
    r.tx.receiveResponse(makeResponse(r.req, 200));
    expect(r.tx.state).toBe('completed');
    r.clock.advance(0);
    expect(r.tx.state).toBe('terminated');
  });

  const finals = [
    { from: 'trying', status: 200 },
    { from: 'trying', status: 404 },
    { from: 'proceeding', status: 200 },
    { from: 'proceeding', status: 603 },
  ];
  it.each(finals)('$from -$status-> Completed; retransmitted finals absorbed; Timer K = T4 on UDP', ({ from, status }) => {
    const s = setup();
    if (from === 'proceeding') s.tx.receiveResponse(makeResponse(s.req, 180));
    s.tx.receiveResponse(makeResponse(s.req, status, 'x'));
    expect(s.tx.state).toBe('completed');
    s.tx.receiveResponse(makeResponse(s.req, status, 'x'));
    s.tx.receiveResponse(makeResponse(s.req, 180, 'x'));
    expect(s.got.filter((g) => g.status >= 200).map((g) => g.status)).toEqual([status]);
    s.clock.advance(4999);
    expect(s.tx.state).toBe('completed');
    s.clock.advance(1);
    expect(s.tx.state).toBe('terminated');
    expect(s.channel.times(s.t0)).toEqual([0]);
  });

  it('transport error in Trying reports 503 and terminates (17.1.4)', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel(clock);
    channel.failWith = new Error('EHOSTUNREACH');
    const got: Array<[number, LocalFailure | undefined]> = [];
    const tx = new NonInviteClientTransaction({ clock, timers: resolveTimerSettings(), channel }, makeRequest('REGISTER'), 'k', {
      onResponse: (r, l) => got.push([r.status, l]),
    });
    tx.start();
    await flushMicrotasks();
    expect(got).toEqual([[503, 'transport-error']]);
    expect(tx.state).toBe('terminated');
  });

  it('transport error on a Proceeding retransmission reports 503', async () => {
    const s = setup();
    s.tx.receiveResponse(makeResponse(s.req, 100));
    s.channel.failWith = new Error('down');
    s.clock.advance(500);
    await flushMicrotasks();
    expect(s.got.map((g) => [g.status, g.local])).toEqual([
      [100, undefined],
      [503, 'transport-error'],
    ]);
  });
});

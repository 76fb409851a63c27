import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { CallModelError } from './errors.ts';
import { LEG_ACTIONS, LEG_STATES, Leg, type LegAction, type LegState } from './leg.ts';

// Written out again on purpose: the table in leg.ts must match this reading of it.
const ALLOWED: Record<LegState, Partial<Record<LegAction, LegState>>> = {
  idle: { dial: 'dialing', ring: 'ringing', answer: 'connected', hangup: 'terminated' },
  dialing: { ring: 'ringing', progress: 'early', answer: 'connected', hangup: 'terminated' },
  ringing: { progress: 'early', answer: 'connected', hangup: 'terminated' },
  early: { answer: 'connected', hangup: 'terminated' },
  connected: { hold: 'held', hangup: 'terminated' },
  held: { retrieve: 'connected', hangup: 'terminated' },
  terminated: {},
};
const PATH: Record<LegState, LegAction[]> = {
  idle: [],
  dialing: ['dial'],
  ringing: ['ring'],
  early: ['dial', 'progress'],
  connected: ['answer'],
  held: ['answer', 'hold'],
  terminated: ['hangup'],
};
function expectedCode(state: LegState, action: LegAction): string {
  if (state === 'terminated') return 'LEG_TERMINATED';
  if (action === 'retrieve') return 'LEG_NOT_HELD';
  if (action === 'hold') return state === 'held' ? 'LEG_ALREADY_HELD' : 'LEG_NOT_CONNECTED';
  if (action === 'answer') return 'LEG_ALREADY_CONNECTED';
  return 'INVALID_LEG_TRANSITION';
}
function legIn(state: LegState, clock = new FakeClock()): Leg {
  const leg = new Leg('leg-1', { kind: 'agent', id: '8001' }, 'outbound', clock);
  for (const a of PATH[state]) leg.apply(a);
  expect(leg.state).toBe(state);
  return leg;
}

describe('Leg state machine (CTI-1, CTI-2)', () => {
  const cases = LEG_STATES.flatMap((s) => LEG_ACTIONS.map((a) => [s, a] as const));
  it.each(cases)('%s --%s-->', (state, action) => {
    const leg = legIn(state);
    const to = ALLOWED[state][action];
    if (to !== undefined) {
      expect(leg.apply(action)).toEqual({ from: state, to });
      expect(leg.state).toBe(to);
    } else {
      let err: unknown;
      try {
        leg.apply(action);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CallModelError);
      expect((err as CallModelError).code).toBe(expectedCode(state, action));
      expect(leg.state).toBe(state);
    }
  });

  it('keeps ring, answer, hold total and end times from the clock, and who hung up', () => {
    const clock = new FakeClock(1_000);
    const leg = new Leg('leg-1', { kind: 'customer', id: '139' }, 'inbound', clock);
    leg.apply('ring');
    clock.advance(3_000);
    leg.apply('answer');
    clock.advance(10_000);
    leg.apply('hold');
    clock.advance(5_000);
    expect(leg.holdTotalMs()).toBe(5_000);
    leg.apply('retrieve');
    clock.advance(2_000);
    leg.apply('hold');
    clock.advance(1_000);
    leg.apply('hangup', { by: 'peer', cause: 'normal' });
    clock.advance(9_000);
    const s = leg.toJSON();
    expect(s).toMatchObject({ ringAt: 1_000, answerAt: 4_000, endAt: 22_000, endedBy: 'peer', cause: 'normal', state: 'terminated' });
    expect(leg.holdTotalMs()).toBe(6_000);
  });

  it('restores a snapshot exactly', () => {
    const leg = legIn('held');
    const snap = leg.toJSON();
    leg.apply('hangup');
    leg.restore(snap);
    expect(leg.state).toBe('held');
  });
});

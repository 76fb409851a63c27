import { describe, expect, it } from 'vitest';
import { CALL_ERROR_CODES, CALL_ERROR_CODE_LIST, CallModelError } from './errors.ts';
import { INTERACTION_ACTIONS, INTERACTION_STATES, INTERACTION_TABLE, type InteractionAction, type InteractionState } from './interaction.ts';
import { completeConference } from './operations-consult.ts';
import { reach } from './test-kit.ts';

const REACH = reach;

// The allowed actions per state, written out again: the table must match.
const ALLOWED: Record<InteractionState, InteractionAction[]> = {
  ivr: ['enqueue', 'offer', 'end'],
  queued: ['offer', 'blind-ivr', 'end'],
  ringing: ['answer', 'no-answer', 'end'],
  talking: ['hold', 'consult', 'blind-agent', 'blind-queue', 'blind-ivr', 'survey', 'supervise', 'barge', 'intercept', 'end'],
  'on-hold': ['retrieve', 'consult', 'blind-agent', 'blind-queue', 'blind-ivr', 'survey', 'supervise', 'intercept', 'end'],
  consulting: ['consult-answered', 'alternate', 'reconnect', 'consulted-left', 'transfer', 'conference', 'supervise', 'party-left', 'end'],
  conferencing: ['consult', 'party-left', 'supervise', 'barge', 'intercept', 'end'],
  ended: [],
};
const CONSULT_ONLY: InteractionAction[] = ['consult-answered', 'alternate', 'reconnect', 'consulted-left', 'transfer', 'conference'];
function expectedCode(state: InteractionState, action: InteractionAction): string {
  if (state === 'ended') return 'INTERACTION_ENDED';
  if (action === 'retrieve') return 'NOT_ON_HOLD';
  if (action === 'hold' && state === 'on-hold') return 'ALREADY_ON_HOLD';
  if (action === 'consult' && state === 'consulting') return 'CONSULT_IN_PROGRESS';
  if (CONSULT_ONLY.includes(action)) return 'NO_CONSULT';
  if (['supervise', 'barge', 'intercept'].includes(action) && ['ivr', 'queued', 'ringing'].includes(state)) return 'AGENT_NOT_ON_CALL';
  return 'INVALID_STATE';
}

describe('Interaction state machine (CTI-1..CTI-5, SUP-2)', () => {
  it.each(INTERACTION_STATES)('operations reach state %s', (state) => {
    expect(REACH[state]().state).toBe(state);
  });

  it('the table lists exactly the allowed actions', () => {
    for (const s of INTERACTION_STATES) expect(Object.keys(INTERACTION_TABLE[s]).sort()).toEqual([...ALLOWED[s]].sort());
  });

  const cases = INTERACTION_STATES.flatMap((s) => INTERACTION_ACTIONS.map((a) => [s, a] as const));
  it.each(cases)('%s: %s', (state, action) => {
    const ix = REACH[state]();
    if (ALLOWED[state].includes(action)) {
      expect(ix.check(action).length).toBeGreaterThan(0);
      return;
    }
    let err: unknown;
    try {
      ix.check(action);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CallModelError);
    expect((err as CallModelError).code).toBe(expectedCode(state, action));
  });

  it('a failed operation leaves the interaction exactly as it was', () => {
    const ix = REACH.consulting();
    const before = JSON.stringify(ix.toJSON());
    expect(() => completeConference(ix, '8001')).toThrow(CallModelError); // consulted party not answered
    expect(() => ix.run('conference', () => {
      ix.addLeg({ kind: 'agent', id: '9' }, 'outbound');
      throw new CallModelError('BRIDGE_FULL', 'test', 'forced');
    })).toThrow(CallModelError);
    expect(JSON.stringify(ix.toJSON())).toBe(before);
  });
});

describe('Call model error codes (CTI-8: 409 codes of the API)', () => {
  it('each code has a one-line description', () => {
    expect(CALL_ERROR_CODE_LIST.length).toBeGreaterThan(20);
    for (const c of CALL_ERROR_CODE_LIST) {
      expect(c).toMatch(/^[A-Z_]+$/);
      expect(CALL_ERROR_CODES[c]).toMatch(/^[^\n]{10,100}$/);
    }
  });
  it('the message names the code and the subject', () => {
    const e = new CallModelError('NOT_ON_HOLD', 'interaction ix-1', 'retrieve not allowed');
    expect(e.message).toContain('NOT_ON_HOLD');
    expect(e.message).toContain('ix-1');
    expect(e.code).toBe('NOT_ON_HOLD');
  });
});

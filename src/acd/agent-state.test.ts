import { describe, expect, it } from 'vitest';
import { AGENT_STATES, type AgentAction, AgentStateError, nextAgentState, transitionAgent } from './agent-state.ts';

describe('agent state machine (ACD-3, ACD-4, SUP-3)', () => {
  it.each([
    ['logged-out', 'login', 'not-ready'],
    ['not-ready', 'ready', 'ready'],
    ['ready', 'reserve', 'reserved'],
    ['reserved', 'connect', 'talking'],
    ['reserved', 'rona-timeout', 'not-ready'],
    ['reserved', 'withdraw', 'ready'],
    ['talking', 'release', 'wrap-up'],
    ['wrap-up', 'finish-wrap-up', 'ready'],
    ['wrap-up', 'finish-wrap-up-not-ready', 'not-ready'],
    ['ready', 'lock', 'locked'],
    ['locked', 'unlock', 'logged-out'],
    ['ready', 'logout', 'logged-out'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transitionAgent('a', from, action)).toBe(to);
  });

  it.each([
    ['locked', 'login', 'AGENT_LOCKED'],
    ['locked', 'ready', 'AGENT_LOCKED'],
    ['logged-out', 'ready', 'NOT_LOGGED_IN'],
    ['ready', 'login', 'ALREADY_LOGGED_IN'],
    ['talking', 'logout', 'AGENT_BUSY'],
    ['talking', 'lock', 'AGENT_BUSY'],
    ['reserved', 'not-ready', 'AGENT_BUSY'],
    ['ready', 'unlock', 'NOT_LOCKED'],
    ['not-ready', 'connect', 'INVALID_TRANSITION'],
  ] as const)('%s refuses %s with %s', (from, action, code) => {
    try {
      transitionAgent('a', from, action);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AgentStateError);
      expect((e as AgentStateError).code).toBe(code);
    }
  });

  it('no state except logged-out and locked accepts login; only locked accepts unlock', () => {
    for (const s of AGENT_STATES) {
      expect(nextAgentState(s, 'login') !== undefined).toBe(s === 'logged-out');
      expect(nextAgentState(s, 'unlock' as AgentAction) !== undefined).toBe(s === 'locked');
    }
  });
});

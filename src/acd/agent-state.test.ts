import { describe, expect, it } from 'vitest';
import { AGENT_STATES, type AgentAction, type AgentState, AgentStateError, type AgentStateErrorCode, nextAgentState, transitionAgent } from './agent-state.ts';

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

  // Calls the ACD did not route (issue 5): every cell of the three new actions, allowed or refused.
  const DIRECT: Record<'direct-connect' | 'direct-end-ready' | 'direct-end-not-ready', Record<AgentState, AgentState | AgentStateErrorCode>> = {
    'direct-connect': {
      'logged-out': 'NOT_LOGGED_IN',
      'not-ready': 'talking',
      ready: 'talking',
      reserved: 'AGENT_BUSY',
      talking: 'AGENT_BUSY',
      'wrap-up': 'talking',
      locked: 'AGENT_LOCKED',
    },
    'direct-end-ready': {
      'logged-out': 'NOT_LOGGED_IN',
      'not-ready': 'INVALID_TRANSITION',
      ready: 'INVALID_TRANSITION',
      reserved: 'AGENT_BUSY',
      talking: 'ready',
      'wrap-up': 'INVALID_TRANSITION',
      locked: 'AGENT_LOCKED',
    },
    'direct-end-not-ready': {
      'logged-out': 'NOT_LOGGED_IN',
      'not-ready': 'INVALID_TRANSITION',
      ready: 'INVALID_TRANSITION',
      reserved: 'AGENT_BUSY',
      talking: 'not-ready',
      'wrap-up': 'INVALID_TRANSITION',
      locked: 'AGENT_LOCKED',
    },
  };
  const directCells = Object.entries(DIRECT).flatMap(([action, row]) => AGENT_STATES.map((from) => [from, action as AgentAction, row[from]] as const));

  it.each(directCells)('direct call: %s --%s--> %s', (from, action, expected) => {
    if ((AGENT_STATES as readonly string[]).includes(expected)) {
      expect(transitionAgent('a', from, action)).toBe(expected);
      return;
    }
    try {
      transitionAgent('a', from, action);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AgentStateError);
      expect((e as AgentStateError).code).toBe(expected);
    }
  });

  it('a direct call ends like a queue call for a customer (release to wrap-up), from any state that took it', () => {
    for (const from of ['ready', 'not-ready', 'wrap-up'] as const) {
      expect(transitionAgent('a', transitionAgent('a', from, 'direct-connect'), 'release')).toBe('wrap-up');
    }
  });

  it('no state except logged-out and locked accepts login; only locked accepts unlock', () => {
    for (const s of AGENT_STATES) {
      expect(nextAgentState(s, 'login') !== undefined).toBe(s === 'logged-out');
      expect(nextAgentState(s, 'unlock' as AgentAction) !== undefined).toBe(s === 'locked');
    }
  });
});

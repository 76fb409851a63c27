import { describe, expect, it } from 'vitest';
import { BRIDGE_ACTIONS, BRIDGE_ROLES, Bridge, type BridgeRole } from './bridge.ts';
import { CallModelError } from './errors.ts';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallModelError) return e.code;
    throw e;
  }
  return undefined;
}

function twoParty(): Bridge {
  const b = new Bridge('br-1', 4);
  b.join('cust', 'customer', 'full');
  b.join('agent', 'agent', 'full');
  return b;
}

describe('Bridge state machine (TEL-4)', () => {
  const run: Record<(typeof BRIDGE_ACTIONS)[number], (b: Bridge) => void> = {
    join: (b) => b.join('sup', 'supervisor', 'listen'),
    leave: (b) => b.leave('agent'),
    'set-role': (b) => b.setRole('cust', 'hold'),
    close: (b) => b.close(),
  };
  it.each(BRIDGE_ACTIONS)('open --%s--> allowed', (action) => {
    const b = twoParty();
    expect(codeOf(() => run[action](b))).toBeUndefined();
    expect(b.state).toBe(action === 'close' ? 'closed' : 'open');
  });
  it.each(BRIDGE_ACTIONS)('closed --%s--> BRIDGE_CLOSED', (action) => {
    const b = twoParty();
    b.close();
    expect(codeOf(() => run[action](b))).toBe('BRIDGE_CLOSED');
  });

  it.each([
    ['BRIDGE_FULL', (b: Bridge) => ['a2', 'a3', 'a4'].forEach((l) => b.join(l, 'agent', 'full'))],
    ['SECOND_CUSTOMER', (b: Bridge) => b.join('cust2', 'customer', 'full')],
    ['ALREADY_MEMBER', (b: Bridge) => b.join('agent', 'agent', 'full')],
    ['NOT_A_MEMBER', (b: Bridge) => b.leave('nobody')],
    ['NOT_A_MEMBER', (b: Bridge) => b.setRole('nobody', 'full')],
    ['WHISPER_TARGET_INVALID', (b: Bridge) => b.join('sup', 'supervisor', 'whisper')],
    ['WHISPER_TARGET_INVALID', (b: Bridge) => b.join('sup', 'supervisor', 'whisper', 'nobody')],
    ['WHISPER_TARGET_INVALID', (b: Bridge) => b.setRole('agent', 'whisper', 'agent')],
    ['WHISPER_TARGET_INVALID', (b: Bridge) => b.setRole('agent', 'full', 'cust')],
  ] as const)('forbids %s', (code, fn) => {
    const b = twoParty();
    const before = b.toJSON();
    expect(codeOf(() => fn(b))).toBe(code);
    if (code !== 'BRIDGE_FULL') expect(b.toJSON()).toEqual(before);
  });

  it('several agents may join one customer up to the maximum (TEL-4)', () => {
    const b = twoParty();
    b.join('a2', 'agent', 'full');
    b.join('ext', 'external', 'full');
    expect(b.size).toBe(4);
    expect(codeOf(() => b.join('a3', 'agent', 'full'))).toBe('BRIDGE_FULL');
  });

  it('rejects a size below two', () => {
    expect(() => new Bridge('x', 1)).toThrow(RangeError);
  });
});

describe('Bridge roles: who hears whom (CTI-2, SUP-2)', () => {
  // Member "x" with the role under test, next to customer (full) and agent (full).
  // Columns: x hears customer, customer hears x, agent hears x.
  const cases: [BridgeRole, boolean, boolean, boolean][] = [
    ['full', true, true, true],
    ['listen', true, false, false],
    ['whisper', true, false, true],
    ['hold', false, true, true],
    ['mute', true, false, false],
  ];
  it('covers every role', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual([...BRIDGE_ROLES].sort());
  });
  it.each(cases)('role %s', (role, xHearsCust, custHearsX, agentHearsX) => {
    const b = twoParty();
    b.join('x', 'supervisor', role, role === 'whisper' ? 'agent' : undefined);
    expect(b.hears('x', 'cust')).toBe(xHearsCust);
    expect(b.hears('cust', 'x')).toBe(custHearsX);
    expect(b.hears('agent', 'x')).toBe(agentHearsX);
    expect(b.hearsMusic('x')).toBe(role === 'hold');
    expect(b.hears('cust', 'agent')).toBe(true);
  });

  it('a held customer hears music, and the agent still hears the customer (CTI-2)', () => {
    const b = twoParty();
    b.setRole('cust', 'hold');
    expect(b.hearsMusic('cust')).toBe(true);
    expect(b.hears('cust', 'agent')).toBe(false);
    expect(b.hears('agent', 'cust')).toBe(true);
  });

  it('a whisper whose target leaves becomes listen', () => {
    const b = twoParty();
    b.join('sup', 'supervisor', 'whisper', 'agent');
    b.leave('agent');
    expect(b.member('sup')).toEqual({ leg: 'sup', kind: 'supervisor', role: 'listen' });
  });
});

import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from './actions.ts';
import { commandFor, hasRequest, isOutsideTarget, targetAllowed, type ActionRequest, type CommandContext } from './desk-commands.ts';

const ctx: CommandContext = { agentId: 'alice', interactionId: 'ix-1', agents: new Set(['alice', '8001', 'bob', '8002']) };
const noCall: CommandContext = { ...ctx, interactionId: undefined } as CommandContext;
delete (noCall as { interactionId?: string }).interactionId;

describe('toolbar action → HTTP request (CTI-1..CTI-4, ACD-3)', () => {
  it.each<[ActionRequest, CommandContext, unknown]>([
    [{ id: 'sign-in' }, noCall, { path: '/api/v1/agents/alice/login', body: {} }],
    [{ id: 'sign-out' }, noCall, { path: '/api/v1/agents/alice/logout', body: {} }],
    [{ id: 'ready' }, noCall, { path: '/api/v1/agents/alice/ready', body: {} }],
    [{ id: 'not-ready', reason: 'meal' }, noCall, { path: '/api/v1/agents/alice/not-ready', body: { reason: 'meal' } }],
    [{ id: 'wrap-up' }, noCall, { path: '/api/v1/agents/alice/wrap-up-done', body: {} }],
    [{ id: 'make-call', target: ' 95000 ' }, noCall, { path: '/api/v1/calls', body: { number: '95000' } }],
    [{ id: 'make-call', target: '' }, noCall, 'target-required'],
    [{ id: 'make-call', target: 'bob' }, noCall, 'bad-number'],
    [{ id: 'hang-up' }, ctx, { path: '/api/v1/interactions/ix-1/hangup', body: {} }],
    [{ id: 'hold' }, ctx, { path: '/api/v1/interactions/ix-1/hold', body: {} }],
    [{ id: 'retrieve' }, ctx, { path: '/api/v1/interactions/ix-1/retrieve', body: {} }],
    [{ id: 'alternate' }, ctx, { path: '/api/v1/interactions/ix-1/alternate', body: {} }],
    [{ id: 'reconnect' }, ctx, { path: '/api/v1/interactions/ix-1/reconnect', body: {} }],
    [{ id: 'conference' }, ctx, { path: '/api/v1/interactions/ix-1/conference', body: {} }],
    [{ id: 'transfer-attended' }, ctx, { path: '/api/v1/interactions/ix-1/transfer', body: {} }],
    [{ id: 'consult', target: '8002' }, ctx, { path: '/api/v1/interactions/ix-1/consult', body: { target: { agentId: '8002' } } }],
    [{ id: 'consult', target: '13800000000' }, ctx, { path: '/api/v1/interactions/ix-1/consult', body: { target: { number: '13800000000' } } }],
    [{ id: 'consult' }, ctx, 'target-required'],
    [{ id: 'transfer-blind', target: 'bob' }, ctx, { path: '/api/v1/interactions/ix-1/blind-transfer', body: { to: { kind: 'agent', agentId: 'bob' } } }],
    [{ id: 'transfer-blind', target: '95000' }, ctx, { path: '/api/v1/interactions/ix-1/blind-transfer', body: { to: { kind: 'external', number: '95000' } } }],
    [{ id: 'transfer-blind', target: 'nobody' }, ctx, 'bad-number'],
    [{ id: 'hold' }, noCall, 'no-call'],
    [{ id: 'answer' }, ctx, 'no-request'],
  ])('%j → %j', (req, c, expected) => {
    const cmd = commandFor(req, c);
    if (typeof expected === 'string') expect(cmd).toBe(expected);
    else expect(cmd).toEqual({ method: 'POST', ...(expected as object) });
  });

  it('every action but answer has a request; answer is taken on the phone', () => {
    expect(ACTION_IDS.filter((id) => !hasRequest(id))).toEqual(['answer']);
  });

  it('ids are escaped in paths', () => {
    expect(commandFor({ id: 'hold' }, { ...ctx, interactionId: 'a/b' })).toMatchObject({ path: '/api/v1/interactions/a%2Fb/hold' });
  });
});

describe('may-dial-out on the desk (ADM-1)', () => {
  const rules = { mayDialOut: false, extensions: [{ from: '8000', to: '8999' }], serviceNumbers: ['95001'] };
  const agents = new Set(['alice', '8001']);
  it('outside numbers are refused before any request; agents, extensions and service numbers stay allowed', () => {
    const c: CommandContext = { ...ctx, dialling: rules };
    expect(commandFor({ id: 'make-call', target: '913900000000' }, { ...noCall, dialling: rules })).toBe('dial-out-not-allowed');
    expect(commandFor({ id: 'consult', target: '13800000000' }, c)).toBe('dial-out-not-allowed');
    expect(commandFor({ id: 'transfer-blind', target: '13800000000' }, c)).toBe('dial-out-not-allowed');
    expect(commandFor({ id: 'make-call', target: '8050' }, { ...noCall, dialling: rules })).toMatchObject({ path: '/api/v1/calls' });
    expect(commandFor({ id: 'transfer-blind', target: '95001' }, c)).toMatchObject({ body: { to: { kind: 'external', number: '95001' } } });
    expect(commandFor({ id: 'consult', target: '8002' }, c)).toMatchObject({ body: { target: { agentId: '8002' } } });
    expect(commandFor({ id: 'consult', target: '13800000000' }, { ...c, dialling: { ...rules, mayDialOut: true } })).toMatchObject({ body: { target: { number: '13800000000' } } });
  });
  it('isOutsideTarget mirrors the switch: extension ranges by length and value, service numbers, agents', () => {
    expect(isOutsideTarget('8000', rules, agents)).toBe(false);
    expect(isOutsideTarget('80001', rules, agents)).toBe(true);
    expect(isOutsideTarget('alice', rules, agents)).toBe(false);
    expect(isOutsideTarget('95002', rules, agents)).toBe(true);
    expect(targetAllowed('', rules, agents)).toBe(true);
    expect(targetAllowed('95002', undefined, agents)).toBe(true);
  });
});

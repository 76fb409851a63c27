import { describe, expect, it } from 'vitest';
import type { IvrStepEvent } from '../interpreter/ivr-step-event.ts';
import { CallInputs, isSecretField, itemOf, parseAai, redactStep } from './call-inputs.ts';

const step = (kind: IvrStepEvent['kind'], node: string, result: string, input?: string): IvrStepEvent => ({ sessionId: 's', seq: 1, at: 0, kind, node, result, input, durationMs: 1 });

describe('IVR inputs as call data, secrets kept out - IVR-4, IVR-6', () => {
  it.each([
    ['account=12345678', { account: '12345678' }],
    ['account=12345678&verified=true;name=Li%20Lei', { account: '12345678', verified: 'true', name: 'Li Lei' }],
    ['account=1&password=123456&pin=9999', { account: '1' }],
    ['{"account":"1","vip":true}', { account: '1', vip: true }],
    ['anonymous', { aai: 'anonymous' }],
    ['', {}],
    [undefined, {}],
    ['{not json', { aai: '{not json' }],
  ])('aai %j → %j', (aai, want) => {
    expect(parseAai(aai)).toEqual(want);
  });

  it.each([
    ['pwd', true],
    ['tradePassword', true],
    ['pin', true],
    ['card_pin', true],
    ['otp', true],
    ['acct', false],
    ['shipping', false],
    ['footprint', false],
    ['amount', false],
  ])('field %s secret: %s', (name, secret) => {
    expect(isSecretField(name)).toBe(secret);
  });

  it('collects menu choices and field values; masks secret steps for the log', () => {
    const inputs = new CallInputs();
    const steps = [
      step('menu', 'file:///a/main.vxml#menu', '#login', '1'),
      step('input', 'file:///a/main.vxml#login/acct', '"20240001"', '20240001'),
      step('input', 'file:///a/main.vxml#login/pwd', '"654321"', '654321'),
      step('input', 'file:///a/main.vxml#login/amount', 'nomatch', '12'),
      step('input', 'file:///a/main.vxml#login/amount', '12.5', '12*5'),
      step('menu', 'file:///a/main.vxml#menu', 'noinput', ''),
      step('menu', 'file:///a/main.vxml#menu', 'http://h/app/agent.vxml#agent', '9'),
    ];
    for (const s of steps) inputs.record(s);
    expect(inputs.callData('95000', 'account=20240001')).toEqual({
      account: '20240001',
      ivr: { entryPoint: '95000', menuPath: ['#login', 'agent.vxml#agent'], inputs: { acct: '20240001', amount: 12.5 }, steps: 7, secretFieldsEntered: ['pwd'] },
    });
    expect(redactStep(steps[2]!)).toMatchObject({ input: '***', result: '***' });
    expect(redactStep(steps[1]!)).toEqual(steps[1]);
    expect(itemOf('file:///a/main.vxml#login/pwd')).toBe('pwd');
    expect(itemOf('file:///a/main.vxml#menu')).toBeUndefined();
  });
});

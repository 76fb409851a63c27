import { describe, expect, it } from 'vitest';
import { DialPlan } from './dial-plan.ts';
import { DialPlanError } from './dial-plan-error.ts';
import { demoDialPlan } from './demo-dial-plan.ts';

const plan = new DialPlan({
  extensions: [{ from: '8000', to: '8999' }],
  entryPoints: { ivr: { ivr: 'file:///ivr/main.vxml' }, general: { queue: 'general' }, vip: { queue: 'vip' } },
  serviceNumbers: { '95000': 'ivr', '95001': 'general' },
  trunks: { carrier: { dids: { '02160000000': 'vip' }, defaultEntryPoint: 'general' }, other: { dids: {} } },
  external: [
    { prefix: '9', strip: 1, trunk: 'carrier' },
    { pattern: '^1[3-9]\\d{9}$', trunk: 'carrier' },
    { prefix: '77', strip: 2, prepend: '0', uri: 'sip:{number}@10.99.0.9:5070' },
  ],
});

describe('dial plan: inbound routes (TEL-1, TEL-5)', () => {
  it.each([
    ['service number to the IVR', { dialed: '95000' }, { kind: 'entry', entryPointId: 'ivr', entry: { kind: 'ivr', script: 'file:///ivr/main.vxml' } }],
    ['service number to a queue', { dialed: '95001', account: '8001' }, { kind: 'entry', entryPointId: 'general', entry: { kind: 'queue', queueId: 'general' } }],
    ['extension from an extension', { dialed: '8002', account: '8001' }, { kind: 'extension', extension: '8002' }],
    ['DID on a trunk', { dialed: '02160000000', trunkId: 'carrier' }, { kind: 'entry', entryPointId: 'vip', entry: { kind: 'queue', queueId: 'vip' } }],
    ['unknown DID to the trunk default', { dialed: '02169999999', trunkId: 'carrier' }, { kind: 'entry', entryPointId: 'general' }],
    ['access code 9 to the trunk', { dialed: '902161234567', account: '8001' }, { kind: 'external', number: '02161234567', target: { kind: 'trunk', trunkId: 'carrier', number: '02161234567' } }],
    ['11-digit mobile to the trunk', { dialed: '13800138000', account: '8001' }, { kind: 'external', number: '13800138000', target: { kind: 'trunk', trunkId: 'carrier', number: '13800138000' } }],
    ['URI template rule', { dialed: '7712345', account: '8001' }, { kind: 'external', number: '012345', target: { kind: 'uri', uri: 'sip:012345@10.99.0.9:5070' } }],
  ])('%s', (_name, q, expected) => {
    expect(plan.routeInbound(q)).toMatchObject(expected);
  });

  it.each([
    ['unknown number', { dialed: '12345', account: '8001' }, 'no-route', 404],
    ['letters in the number', { dialed: '9000x', account: '8001' }, 'no-route', 404],
    ['short number of the wrong length', { dialed: '800', account: '8001' }, 'no-route', 404],
    ['DID unknown on a trunk without default', { dialed: '1', trunkId: 'other' }, 'no-route', 404],
    ['unknown trunk', { dialed: '1', trunkId: 'nope' }, 'no-route', 404],
    ['external from an unauthenticated caller (toll fraud)', { dialed: '13800138000' }, 'not-allowed', 403],
    ['extension from an unauthenticated caller', { dialed: '8001' }, 'not-allowed', 403],
  ])('%s is refused with a typed error', (_name, q, code, status) => {
    const err = (() => {
      try {
        plan.routeInbound(q);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DialPlanError);
    expect((err as DialPlanError).code).toBe(code);
    expect((err as DialPlanError).sipStatus).toBe(status);
  });
});

describe('dial plan: numbers the switch dials (CTI-1, CTI-3)', () => {
  it.each([
    ['8005', { kind: 'extension', extension: '8005' }],
    ['913800138000', { kind: 'trunk', trunkId: 'carrier', number: '13800138000' }],
    ['13800138000', { kind: 'trunk', trunkId: 'carrier', number: '13800138000' }],
  ])('%s', (n, target) => expect(plan.routeOutbound(n)).toEqual(target));
  it('an unroutable number is no-route', () => expect(() => plan.routeOutbound('42')).toThrow(DialPlanError));
});

describe('dial plan: configuration is validated (TEL-5)', () => {
  it.each([
    ['unknown entry point of a service number', { serviceNumbers: { '1': 'x' } }, /serviceNumbers.1: unknown entry point "x"/],
    ['unknown trunk of a rule', { external: [{ prefix: '9', trunk: 't' }] }, /external.0.trunk: unknown trunk "t"/],
    ['rule with neither trunk nor uri', { external: [{ prefix: '9' }] }, /exactly one of trunk or uri/],
    ['rule with neither prefix nor pattern', { trunks: { t: {} }, external: [{ trunk: 't' }] }, /prefix or a pattern/],
    ['bad regex', { trunks: { t: {} }, external: [{ pattern: '([', trunk: 't' }] }, /valid regular expression/],
    ['uneven range', { extensions: [{ from: '800', to: '8999' }] }, /same length/],
    ['entry point with both kinds', { entryPoints: { a: { queue: 'q', ivr: 'x' } } }, /entryPoints.a/],
    ['unknown key', { extension: [] }, /(root)|extension/],
    ['letters in a service number', { entryPoints: { a: { queue: 'q' } }, serviceNumbers: { abc: 'a' } }, /serviceNumbers.abc/],
  ])('%s', (_name, raw, message) => {
    expect(() => new DialPlan(raw)).toThrow(message);
  });

  it('the demo plan is valid: 95000/95002/95003 IVR packs, 95001 general queue, 8001-8010 extensions', () => {
    const demo = new DialPlan(demoDialPlan());
    expect(demo.routeInbound({ dialed: '95000' })).toMatchObject({ entry: { kind: 'ivr', script: 'securities' } });
    expect(demo.routeInbound({ dialed: '95002' })).toMatchObject({ entry: { kind: 'ivr', script: 'bank' } });
    expect(demo.routeInbound({ dialed: '95003' })).toMatchObject({ entry: { kind: 'ivr', script: 'fund' } });
    expect(demo.routeInbound({ dialed: '95001' })).toMatchObject({ entry: { kind: 'queue', queueId: 'general' } });
    for (let e = 8001; e <= 8010; e++) expect(demo.isExtension(String(e))).toBe(true);
    expect([demo.isPublicNumber('95000'), demo.isPublicNumber('8001'), demo.isPublicNumber('toString')]).toEqual([true, false, false]);
  });
});

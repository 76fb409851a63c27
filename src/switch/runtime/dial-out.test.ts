// ADM-1 may-dial-out in the switch: outside numbers need the right, extensions and service numbers never do.
import { describe, expect, it } from 'vitest';
import { DialPlan } from '../dialplan/dial-plan.ts';
import { assertMayDial, isOutsideNumber } from './dial-out.ts';
import { runtimeKit, settle, talkingCall } from './test-kit.ts';

const plan = new DialPlan({
  extensions: [{ from: '8000', to: '8999' }],
  entryPoints: { general: { queue: 'general' } },
  serviceNumbers: { '95001': 'general' },
  trunks: { carrier: {} },
  external: [{ prefix: '9', strip: 1, trunk: 'carrier' }],
});

describe('may-dial-out rule (ADM-1)', () => {
  it('extensions and service numbers are inside; anything else is outside', () => {
    expect(isOutsideNumber(plan, '8002')).toBe(false);
    expect(isOutsideNumber(plan, '95001')).toBe(false);
    expect(isOutsideNumber(plan, '913900000000')).toBe(true);
    expect(isOutsideNumber(plan, '12345')).toBe(true);
  });

  it('refuses an outside number with the typed code only for an agent without the right', () => {
    const policy = (id: string) => id === '8002';
    expect(() => assertMayDial(policy, plan, '8001', '913900000000')).toThrow(expect.objectContaining({ code: 'dial-out-not-allowed' }));
    expect(() => assertMayDial(policy, plan, '8002', '913900000000')).not.toThrow();
    expect(() => assertMayDial(policy, plan, '8001', '8002')).not.toThrow();
    expect(() => assertMayDial(policy, plan, '8001', '95001')).not.toThrow();
    expect(() => assertMayDial(undefined, plan, '8001', '913900000000')).not.toThrow();
  });
});

describe('switch runtime enforces may-dial-out (ADM-1)', () => {
  const kit = () => {
    const k = runtimeKit();
    k.runtime.setDialOutPolicy((id) => id === '8002');
    return k;
  };

  it('make call: outside number refused before anything rings; an extension goes through; an allowed agent dials out', async () => {
    const k = kit();
    await expect(k.runtime.makeCall('8001', '913900000000')).rejects.toMatchObject({ code: 'dial-out-not-allowed' });
    await settle();
    expect(k.gateway.dials).toHaveLength(0);
    expect(k.runtime.liveCount).toBe(0);
    await k.runtime.makeCall('8001', '8003');
    await k.runtime.makeCall('8002', '913900000000');
    await settle();
    expect(k.gateway.dials.map((d) => d.target)).toEqual([
      { kind: 'extension', extension: '8001' },
      { kind: 'extension', extension: '8002' },
    ]);
  });

  it('consult, blind transfer and REFER to an outside number refused; to an agent allowed', async () => {
    const k = kit();
    const { ix } = await talkingCall(k);
    await expect(k.runtime.consult(ix, '8001', { kind: 'external', number: '913900000000' })).rejects.toMatchObject({ code: 'dial-out-not-allowed' });
    await expect(k.runtime.blindTransfer(ix, '8001', { kind: 'external', number: '913900000000' })).rejects.toMatchObject({ code: 'dial-out-not-allowed' });
    expect(k.runtime.get(ix).state).toBe('talking');
    const agent = k.gateway.legTo('8001');
    k.gateway.emit({ type: 'refer', legId: agent, referId: 'r1', target: { user: '913900000000', uri: 'sip:913900000000@hotline' } });
    await settle();
    expect(k.gateway.calls).toContain(`refer-outcome ${agent} r1 403`);
    expect(k.runtime.get(ix).state).toBe('talking');
    await k.runtime.consult(ix, '8001', { kind: 'agent', agentId: '8003' });
    expect(k.runtime.get(ix).state).toBe('consulting');
  });

  it('the phone dialling an outside number is refused 403 for an agent without the right; an extension call goes through', async () => {
    const k = kit();
    const out = k.gateway.inbound('8001', '913900000000', '8001');
    const allowed = k.gateway.inbound('8002', '913900000000', '8002');
    await settle();
    expect(k.gateway.calls).toContain(`reject ${out} 403`);
    expect(k.gateway.calls).not.toContain(`reject ${allowed} 403`);
    const inside = k.gateway.inbound('8001', '8003', '8001');
    await settle();
    expect(k.gateway.calls).not.toContain(`reject ${inside} 403`);
    expect(k.runtime.liveCount).toBe(2);
  });
});

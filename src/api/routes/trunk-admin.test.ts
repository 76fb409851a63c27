// Trunks administered live (ADM-1, ADM-2) over the real dial plan: what the
// API changes routes the next inbound call, a refused change leaves both the
// plan and the gateway as they were, the document kept under admin.trunks
// brings the same state back, and the password never leaves.
import { describe, expect, it } from 'vitest';
import { DialPlan } from '../../switch/dialplan/index.ts';
import type { TrunkConfig } from '../../switch/gateway/index.ts';
import { ApiError } from '../api-error.ts';
import { ADMIN_TRUNKS_KEY, TrunkAdmin } from './trunk-admin.ts';

const planInput = {
  extensions: [{ from: '8000', to: '8999' }],
  entryPoints: { bank: { ivr: 'bank' }, general: { queue: 'general' } },
  serviceNumbers: { '95001': 'general' },
  trunks: { legacy: { dids: { '5000': 'general' } } },
  external: [{ prefix: '9', strip: 1, trunk: 'legacy' }],
};

function setup(kept?: string) {
  const plan = new DialPlan(planInput);
  const store = new Map<string, string>(kept ? [[ADMIN_TRUNKS_KEY, kept]] : []);
  let gatewayTrunks: TrunkConfig[] = [];
  const admin = new TrunkAdmin({
    dialPlan: plan,
    gateway: { setTrunks: (t) => void (gatewayTrunks = t), registrationStates: () => ({ carrier: 'registered' }) },
    settings: { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, v) },
  });
  return { plan, store, admin, gateway: () => gatewayTrunks };
}

const carrier = { id: 'carrier', host: '192.0.2.10', port: 5062, registration: { username: 'u', password: 'pw-secret', realm: 'carrier.test' }, dids: { '02160000000': 'bank' }, defaultEntryPoint: 'general' };

describe('trunk administration (ADM-1, ADM-2)', () => {
  it('a new trunk routes its DIDs at once and reaches the gateway with its registration; GET hides the password', async () => {
    const { plan, admin, gateway, store } = setup();
    expect(() => plan.routeInbound({ dialed: '02160000000', trunkId: 'carrier' })).toThrow(/unknown trunk/);
    const view = await admin.create(carrier);
    expect(plan.routeInbound({ dialed: '02160000000', trunkId: 'carrier' })).toMatchObject({ kind: 'entry', entryPointId: 'bank' });
    expect(plan.routeInbound({ dialed: '123', trunkId: 'carrier' })).toMatchObject({ entryPointId: 'general' });
    expect(gateway()).toEqual([{ id: 'carrier', host: '192.0.2.10', port: 5062, register: true, username: 'u', password: 'pw-secret', domain: 'carrier.test' }]);
    expect(view).toEqual({ id: 'carrier', host: '192.0.2.10', port: 5062, registration: { username: 'u', realm: 'carrier.test', state: 'registered' }, dids: { '02160000000': 'bank' }, defaultEntryPoint: 'general', origin: 'admin' });
    expect(JSON.stringify(admin.list())).not.toContain('pw-secret');
    expect(store.get(ADMIN_TRUNKS_KEY)).toContain('pw-secret'); // the registration needs it after a restart
    await expect(admin.create(carrier)).rejects.toMatchObject({ code: 'already-exists' });
  });

  it('refuses an unknown entry point and changes nothing', async () => {
    const { plan, admin, gateway } = setup();
    await admin.create(carrier);
    await expect(admin.update('carrier', { dids: { '1': 'nowhere' } })).rejects.toThrow(/nowhere/);
    expect(plan.config.trunks['carrier']!.dids).toEqual({ '02160000000': 'bank' });
    expect(gateway()).toHaveLength(1);
  });

  it('a change without a password keeps it; null stops registering', async () => {
    const { admin, gateway } = setup();
    await admin.create(carrier);
    await admin.update('carrier', { registration: { username: 'u2', expiresSec: 300 } });
    expect(gateway()[0]).toMatchObject({ username: 'u2', password: 'pw-secret', registerExpiresSec: 300 });
    await admin.update('carrier', { registration: null, inboundAddresses: ['192.0.2.11'] });
    expect(gateway()[0]).toEqual({ id: 'carrier', host: '192.0.2.10', port: 5062, inboundAddresses: ['192.0.2.11'] });
  });

  it('a dial-plan trunk is listed, becomes administered when given a host, and cannot go while an external route uses it', async () => {
    const { admin, plan } = setup();
    expect(admin.list()).toEqual([{ id: 'legacy', dids: { '5000': 'general' }, origin: 'dial-plan' }]);
    await expect(admin.update('legacy', { dids: { '5000': 'bank' } })).rejects.toBeInstanceOf(ApiError);
    await admin.update('legacy', { host: '192.0.2.20', inboundAddresses: ['192.0.2.20'] });
    expect(admin.get('legacy')).toMatchObject({ origin: 'admin', host: '192.0.2.20', dids: { '5000': 'general' } });
    await expect(admin.remove('legacy')).rejects.toThrow(/external.0.trunk/);
    expect(plan.config.trunks['legacy']).toBeDefined();
  });

  it('restore() brings back what was kept, over the dial-plan file', async () => {
    const first = setup();
    await first.admin.create(carrier);
    await first.admin.update('carrier', { dids: { '4000': 'general' } });
    const second = setup(first.store.get(ADMIN_TRUNKS_KEY));
    expect(await second.admin.restore()).toEqual({ restored: ['carrier'], removed: [] });
    expect(second.plan.routeInbound({ dialed: '4000', trunkId: 'carrier' })).toMatchObject({ entryPointId: 'general' });
    expect(second.gateway()[0]).toMatchObject({ id: 'carrier', password: 'pw-secret' });
    await second.admin.remove('carrier');
    expect(second.gateway()).toEqual([]);
    expect(() => second.plan.routeInbound({ dialed: '4000', trunkId: 'carrier' })).toThrow(/unknown trunk/);
  });
});

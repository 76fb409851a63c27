import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHa1 } from '../../protocol/sip/digest.ts';
import { FakeClock, systemClock } from '../../shared/clock.ts';
import { EphemeralCredentials } from '../../sip/auth/ephemeral-credentials.ts';
import { createSipAccount } from '../../sip/auth/sip-account-factory.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import { DialPlan, demoDialPlan } from '../../switch/dialplan/index.ts';
import { buildHttpApi } from '../http-api.ts';
import { serviceNumbersOf, webphoneRoutes } from './webphone-routes.ts';

const ephemeral = new EphemeralCredentials('hotline', systemClock, 3_600_000);
let stores: Stores;
let app: FastifyInstance;
const tok: Record<string, string> = {};

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  for (const [username, role] of [['8001', 'agent'], ['8002', 'agent'], ['admin', 'admin']] as const) {
    await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date() });
    const { token, hash } = newBearerToken();
    await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date() });
    tok[username] = token;
  }
  await stores.sipAccounts.put(createSipAccount({ username: '8001', realm: 'hotline', password: 'demo-8001', createdAt: new Date(0) }));
  await stores.sipAccounts.put({ ...createSipAccount({ username: '8002', realm: 'hotline', password: 'demo-8002', createdAt: new Date(0) }), enabled: false });
  const plan = new DialPlan(demoDialPlan());
  app = buildHttpApi(
    { version: 't', clock: new FakeClock(0), realm: 'hotline', startedAt: 0, stores, components: async () => ({}) },
    { routes: webphoneRoutes({ wsPort: 5066, sipDomain: 'hotline', serviceNumbers: () => serviceNumbersOf(plan), issueCredential: (u) => ephemeral.issue(u) }) },
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

describe('web phone API (MSG-4, TEL-2)', () => {
  it('GET /api/v1/webphone/config needs no sign-in: WebSocket port, SIP domain, the service numbers with their entry points', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/webphone/config' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      wsPort: 5066,
      sipDomain: 'hotline',
      entryPoints: [
        { number: '95000', entryPoint: 'securities', kind: 'ivr' },
        { number: '95001', entryPoint: 'general', kind: 'queue' },
        { number: '95002', entryPoint: 'bank', kind: 'ivr' },
        { number: '95003', entryPoint: 'fund', kind: 'ivr' },
      ],
    });
  });

  it("GET /api/v1/webphone/credentials: a short-lived MD5 HA1 for the signed-in agent, never its password or its own hash; 401 without a token, 404 without an enabled account", async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/webphone/credentials', headers: { authorization: `Bearer ${tok['8001']}` } });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { ha1: string; expiresAt: string };
    expect(body).toMatchObject({ username: '8001', realm: 'hotline', wsPort: 5066, sipDomain: 'hotline' });
    expect(ephemeral.ha1sFor('8001')).toEqual([body.ha1]);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(body.ha1).not.toBe(computeHa1('MD5', '8001', 'hotline', 'demo-8001'));
    expect(r.body).not.toContain('demo-8001');
    expect((await app.inject({ method: 'GET', url: '/api/v1/webphone/credentials' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webphone/credentials', headers: { authorization: `Bearer ${tok['8002']}` } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webphone/credentials', headers: { authorization: `Bearer ${tok.admin}` } })).statusCode).toBe(404);
  });
});

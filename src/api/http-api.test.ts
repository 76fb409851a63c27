import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeHa1 } from '../protocol/sip/digest.ts';
import { FakeClock } from '../shared/clock.ts';
import type { Registration } from '../sip/ports.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import type { ApiDeps, ComponentHealth } from './api-deps.ts';
import { buildHttpApi, listMountedRoutes } from './http-api.ts';
import { openApiPath } from './openapi.ts';

const T0 = Date.UTC(2025, 4, 6, 7, 8, 9);
let stores: Stores;
let app: FastifyInstance;
let clock: FakeClock;
let components: Record<string, ComponentHealth>;
const tokens = { admin: '', agent: '', expired: '' };

const auth = (t: string) => ({ authorization: `Bearer ${t}` });

async function addUser(username: string, role: 'admin' | 'agent', expiresAt?: Date): Promise<string> {
  if (!(await stores.users.get(username))) await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-${hash.slice(0, 6)}`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0), ...(expiresAt ? { expiresAt } : {}) });
  return token;
}

function reg(contact: string, expiresInMs: number, aor = 'sip:8001@hotline.local'): Registration {
  return { aor, contact, contactHeader: `<${contact}>`, q: 1, callId: 'c', cseq: 1, expiresAt: new Date(T0 + expiresInMs), registeredAt: new Date(T0 - 1000), transport: 'udp', sourceAddress: '127.0.0.1', sourcePort: 5062, userAgent: 'baresip' };
}

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  const deps: ApiDeps = {
    version: '9.9.9',
    clock,
    realm: 'hotline.local',
    startedAt: T0 - 42_000,
    stores,
    components: async () => components,
  };
  app = buildHttpApi(deps);
  await app.ready();
  tokens.admin = await addUser('admin', 'admin');
  tokens.agent = await addUser('8001', 'agent');
  tokens.expired = await addUser('admin', 'admin', new Date(T0 - 1));
});
afterAll(async () => {
  await app.close();
  await stores.close();
});
beforeEach(() => {
  components = { store: { status: 'up' }, http: { status: 'up' }, sip: { status: 'up' } };
});

describe('GET /health (OPS-3)', () => {
  it('answers 200 with version, uptime and components', async () => {
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', version: '9.9.9', uptimeSec: 42, components });
  });
  it('is degraded (200) when a component has not started, 503 when one is down', async () => {
    components.sip = { status: 'not-started', detail: 'not wired' };
    expect((await app.inject({ method: 'GET', url: '/health' })).json().status).toBe('degraded');
    components.store = { status: 'down' };
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect([r.statusCode, r.json().status]).toEqual([503, 'down']);
  });
});

describe('/api/v1 bearer auth (OPS-1)', () => {
  it.each([
    ['no token', {}, 401],
    ['malformed header', { authorization: 'Basic abc' }, 401],
    ['unknown token', auth('htl_nope'), 401],
    ['expired token', 'expired', 401],
    ['agent token on admin route', 'agent', 403],
    ['admin token', 'admin', 200],
  ] as const)('%s', async (_, h, status) => {
    const headers = typeof h === 'string' ? auth(tokens[h as keyof typeof tokens]) : h;
    const r = await app.inject({ method: 'GET', url: '/api/v1/sip-users', headers });
    expect(r.statusCode).toBe(status);
    if (status === 401) {
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(r.json().error.code).toBe('unauthorized');
    }
  });
});

describe('/api/v1/sip-users (ADM-1, TEL-2)', () => {
  it('creates an account with HA1 for MD5 and SHA-256 of the realm, never exposing them', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/sip-users', headers: auth(tokens.admin), payload: { ext: '7001', password: 'secret-7001', name: 'Alice' } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({ ext: '7001', name: 'Alice', realm: 'hotline.local', enabled: true, createdAt: new Date(T0).toISOString() });
    const a = await stores.sipAccounts.get('7001');
    expect(a?.ha1Md5).toBe(computeHa1('MD5', '7001', 'hotline.local', 'secret-7001'));
    expect(a?.ha1Sha256).toBe(computeHa1('SHA-256', '7001', 'hotline.local', 'secret-7001'));
    const list = await app.inject({ method: 'GET', url: '/api/v1/sip-users', headers: auth(tokens.admin) });
    expect(list.body).not.toMatch(/ha1|secret/i);
    expect((await app.inject({ method: 'GET', url: '/api/v1/sip-users/7001', headers: auth(tokens.admin) })).json().name).toBe('Alice');
  });
  it('generates a password when none is given and returns it once', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/sip-users', headers: auth(tokens.admin), payload: { ext: '7002' } });
    const { password } = r.json() as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect((await stores.sipAccounts.get('7002'))?.ha1Md5).toBe(computeHa1('MD5', '7002', 'hotline.local', password));
    expect((await app.inject({ method: 'GET', url: '/api/v1/sip-users/7002', headers: auth(tokens.admin) })).json().password).toBeUndefined();
  });
  it.each([
    ['duplicate ext', { ext: '7001', password: 'another-pw' }, 409, 'already-exists'],
    ['bad ext', { ext: 'a b', password: 'another-pw' }, 400, 'invalid-request'],
    ['short password', { ext: '7003', password: 'x' }, 400, 'invalid-request'],
    ['unknown field', { ext: '7003', password: 'another-pw', role: 'admin' }, 400, 'invalid-request'],
  ])('rejects %s', async (_, payload, status, code) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/sip-users', headers: auth(tokens.admin), payload });
    expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
  });
  it('rejects a body that is not JSON with 400', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/sip-users', headers: { ...auth(tokens.admin), 'content-type': 'application/json' }, payload: '{' });
    expect([r.statusCode, r.json().error.code]).toEqual([400, 'invalid-request']);
  });
  it('removes an account and its registrations; 404 after', async () => {
    await stores.registrations.put(reg('sip:7001@127.0.0.1:5062', 60_000, 'sip:7001@hotline.local'));
    await stores.registrations.put(reg('sip:8001@127.0.0.1:5062', 60_000));
    const r = await app.inject({ method: 'DELETE', url: '/api/v1/sip-users/7001', headers: auth(tokens.admin) });
    expect(r.statusCode).toBe(204);
    expect((await stores.registrations.listAll()).map((x) => x.aor)).toEqual(['sip:8001@hotline.local']);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/sip-users/7001', headers: auth(tokens.admin) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/sip-users/7001', headers: auth(tokens.admin) })).json().error.code).toBe('not-found');
    await stores.registrations.removeAll('sip:8001@hotline.local');
  });
});

describe('/api/v1/registrations (TEL-2)', () => {
  it('lists unexpired bindings only', async () => {
    await stores.registrations.put(reg('sip:8001@127.0.0.1:5062', 30_000));
    await stores.registrations.put(reg('sip:8001@127.0.0.1:5064', 0));
    const r = await app.inject({ method: 'GET', url: '/api/v1/registrations', headers: auth(tokens.admin) });
    expect(r.json()).toEqual([
      { aor: 'sip:8001@hotline.local', contact: 'sip:8001@127.0.0.1:5062', q: 1, transport: 'udp', source: '127.0.0.1:5062', registeredAt: new Date(T0 - 1000).toISOString(), expiresAt: new Date(T0 + 30_000).toISOString(), expiresInSec: 30, userAgent: 'baresip' },
    ]);
    const none = await app.inject({ method: 'GET', url: '/api/v1/registrations?aor=sip:9@x', headers: auth(tokens.admin) });
    expect(none.json()).toEqual([]);
  });
});

describe('/api/v1/security (OPS-2, OPS-4)', () => {
  it('lists active bans, lifts one with an unban event, 404 for an unknown address', async () => {
    await stores.bans.put({ address: '198.51.100.7', reason: 'brute force', bannedAt: new Date(T0 - 10), until: new Date(T0 + 3_600_000) });
    await stores.bans.put({ address: '198.51.100.8', reason: 'old', bannedAt: new Date(T0 - 10), until: new Date(T0 - 1) });
    const list = await app.inject({ method: 'GET', url: '/api/v1/security/bans', headers: auth(tokens.admin) });
    expect(list.json()).toEqual([{ address: '198.51.100.7', reason: 'brute force', bannedAt: new Date(T0 - 10).toISOString(), until: new Date(T0 + 3_600_000).toISOString() }]);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/security/bans/198.51.100.7', headers: auth(tokens.admin) })).statusCode).toBe(204);
    expect(await stores.bans.list()).toHaveLength(1);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/security/bans/198.51.100.7', headers: auth(tokens.admin) })).statusCode).toBe(404);
    const events = await app.inject({ method: 'GET', url: '/api/v1/security/events?kind=unban', headers: auth(tokens.admin) });
    expect(events.json()).toMatchObject([{ kind: 'unban', sourceAddress: '198.51.100.7', at: new Date(T0).toISOString() }]);
  });
  it('filters events by since and limit; rejects a bad since', async () => {
    for (let i = 1; i <= 3; i++) await stores.securityEvents.append({ at: new Date(T0 + i * 1000), kind: 'auth-failure', sourceAddress: '203.0.113.5', username: `u${i}` });
    const since = new Date(T0 + 2000).toISOString();
    const r = await app.inject({ method: 'GET', url: `/api/v1/security/events?kind=auth-failure&since=${since}&limit=1`, headers: auth(tokens.admin) });
    expect(r.json().map((e: { username: string }) => e.username)).toEqual(['u3']);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/security/events?since=yesterday', headers: auth(tokens.admin) });
    expect([bad.statusCode, bad.json().error.message]).toEqual([400, 'since: must be an ISO 8601 date-time']);
  });
});

describe('errors and OpenAPI (OPS-4)', () => {
  it('answers an unknown route with a JSON 404', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect([r.statusCode, r.json().error.code]).toEqual([404, 'not-found']);
  });
  it('documents every mounted route in /openapi.json (3.1)', async () => {
    type Schema = { $ref?: string; properties?: object; required?: string[] };
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, Schema> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const routes = listMountedRoutes(app);
    expect(routes.length).toBeGreaterThanOrEqual(9);
    for (const r of routes) expect(doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    const post = doc.paths['/api/v1/sip-users']?.post as { requestBody: { content: { 'application/json': { schema: Schema } } } };
    const ref = post.requestBody.content['application/json'].schema.$ref!;
    expect(ref).toBe('#/components/schemas/NewSipUser');
    const body = doc.components.schemas[ref.split('/').pop()!]!;
    expect(Object.keys(body.properties!)).toEqual(['ext', 'password', 'name', 'enabled']);
    expect(body.required).toEqual(['ext']);
    // Every $ref points at a schema the document holds.
    for (const m of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas[m[1]!], m[1]).toBeDefined();
  });
});

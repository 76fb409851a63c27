import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { UserRole } from '../../store/user-store.ts';
import { buildHttpApi } from '../http-api.ts';
import { permissionsOfRole } from '../permissions.ts';
import { SESSION_TTL_MS } from './session-routes.ts';

const T0 = Date.UTC(2026, 0, 5, 1, 2, 3);
let stores: Stores;
let app: FastifyInstance;
const clock = new FakeClock(T0);

const signIn = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  const users: [string, UserRole, boolean][] = [
    ['admin', 'admin', true],
    ['8001', 'agent', true],
    ['8100', 'supervisor', true],
    ['8009', 'agent', false],
  ];
  for (const [username, role, enabled] of users) {
    await stores.users.put({ username, displayName: `User ${username}`, passwordHash: await hashPassword(`pw-${username}`), role, enabled, createdAt: new Date(T0) });
  }
  app = buildHttpApi({ version: 't', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

describe('POST /api/v1/session: web sign-in by role (ADM-1, OPS-1)', () => {
  it.each([
    ['admin', 'admin'],
    ['8001', 'agent'],
    ['8100', 'supervisor'],
  ] as const)('%s signs in as %s and GET /me answers with the role', async (username, role) => {
    const r = await signIn(username, `pw-${username}`);
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.user).toEqual({ username, displayName: `User ${username}`, role, expiresAt: new Date(T0 + SESSION_TTL_MS).toISOString(), permissions: permissionsOfRole(role) });
    expect(body.expiresAt).toBe(new Date(T0 + SESSION_TTL_MS).toISOString());
    expect(body.token).toMatch(/^htl_/);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(body.token) });
    expect([me.statusCode, me.json().role]).toEqual([200, role]);
  });

  it.each([
    ['wrong password', 'admin', 'nope', 'wrong username or password'],
    ['unknown user', 'ghost', 'pw-ghost', 'wrong username or password'],
    ['disabled user', '8009', 'pw-8009', 'user disabled'],
  ])('refuses a %s with 401 and logs an auth-failure event (OPS-2)', async (_, username, password, detail) => {
    const r = await signIn(username, password);
    expect([r.statusCode, r.json().error.code]).toEqual([401, 'unauthorized']);
    const [latest] = await stores.securityEvents.list({ kind: 'auth-failure', limit: 1 });
    expect(latest).toMatchObject({ kind: 'auth-failure', username, transport: 'http' });
    expect(latest?.detail).toContain(detail);
  });

  it.each([
    ['no body', undefined],
    ['missing password', { username: 'admin' }],
    ['extra field', { username: 'admin', password: 'x', role: 'admin' }],
  ])('rejects %s with 400', async (_, payload) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/session', ...(payload ? { payload } : {}) });
    expect(r.statusCode).toBe(400);
  });

  it('an agent token works on agent routes only: admin routes answer 403', async () => {
    const { token } = (await signIn('8001', 'pw-8001')).json();
    expect((await app.inject({ method: 'GET', url: '/api/v1/sip-users', headers: bearer(token) })).statusCode).toBe(403);
    const admin = (await signIn('admin', 'pw-admin')).json();
    expect((await app.inject({ method: 'GET', url: '/api/v1/sip-users', headers: bearer(admin.token) })).statusCode).toBe(200);
  });
});

describe('session expiry and sign-out (OPS-1)', () => {
  it('DELETE /api/v1/session ends the token; /me then answers 401', async () => {
    const { token } = (await signIn('8100', 'pw-8100')).json();
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: bearer(token) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('a token stops working when it expires, and the next sign-in prunes it', async () => {
    const { token } = (await signIn('8001', 'pw-8001')).json();
    clock.advance(SESSION_TTL_MS);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401);
    const before = (await stores.apiTokens.list('8001')).length;
    expect(before).toBeGreaterThan(0);
    expect((await signIn('8001', 'pw-8001')).statusCode).toBe(201);
    const left = await stores.apiTokens.list('8001');
    expect(left).toHaveLength(1);
    expect(left[0]!.expiresAt!.getTime()).toBe(clock.now() + SESSION_TTL_MS);
  });

  it('GET /me without a token answers 401 with a Bearer challenge', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(r.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toContain('Bearer');
  });

  it('the OpenAPI document lists the session routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/session'])).toEqual(['post', 'delete']);
    expect(doc.paths['/api/v1/me'].get.summary).toContain('signed-in user');
  });
});

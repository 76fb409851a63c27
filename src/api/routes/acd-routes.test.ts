// Agent, queue, routing-rule and blacklist routes through Fastify inject, over a real AcdService (issue 5, ACD-3, ACD-7, ACD-9, SUP-1, SUP-3).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
let stores: Stores;
let app: FastifyInstance;
let bare: FastifyInstance;
let clock: FakeClock;
let svc: AcdService;
let sw: FakeSwitch;
const tok = { admin: '', sup: '', a1: '', a2: '' };
const auth = (t: string) => ({ authorization: `Bearer ${t}` });

async function addUser(username: string, role: 'admin' | 'supervisor' | 'agent'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return token;
}

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  svc = new AcdService({
    clock,
    config: parseAcdConfig({
      agents: [{ id: 'alice', extension: '8001', skills: { general: 5 } }, { id: '8002', skills: { general: 5 } }],
      queues: [{ id: 'general', name: 'General', requiredSkills: [{ skill: 'general' }], serviceTimeLimitMs: 600_000, serviceTimeReminderMs: 60_000 }, { id: 'vip' }],
      entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
    }),
  });
  sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  const deps: ApiDeps = { version: '1.0.0', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
  app = buildHttpApi({ ...deps, acd: svc.control });
  bare = buildHttpApi(deps);
  await Promise.all([app.ready(), bare.ready()]);
  tok.admin = await addUser('admin', 'admin');
  tok.sup = await addUser('8100', 'supervisor');
  tok.a1 = await addUser('8001', 'agent');
  tok.a2 = await addUser('8002', 'agent');
});
afterAll(async () => {
  await Promise.all([app.close(), bare.close()]);
  await stores.close();
});

const post = (url: string, t: string, payload?: object) => app.inject({ method: 'POST', url, headers: auth(t), ...(payload !== undefined ? { payload } : {}) });

describe('ACD routes without a running ACD', () => {
  it.each(['/api/v1/agents', '/api/v1/queues', '/api/v1/routing-rules', '/api/v1/blacklist'])('GET %s answers 503 unavailable', async (url) => {
    const r = await bare.inject({ method: 'GET', url, headers: auth(tok.admin) });
    expect([r.statusCode, r.json().error.code]).toEqual([503, 'unavailable']);
    expect(r.json().error.message).toMatch(/ACD is not running/);
  });
});

describe('/api/v1/agents (ACD-3, SUP-1, SUP-3)', () => {
  it('an agent logs itself in and goes ready, by extension; the list shows live states', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents' })).statusCode).toBe(401);
    const login = await post('/api/v1/agents/8001/login', tok.a1);
    expect([login.statusCode, login.json()]).toMatchObject([200, { id: 'alice', extension: '8001', state: 'not-ready', since: new Date(T0).toISOString() }]);
    expect((await post('/api/v1/agents/alice/ready', tok.a1)).json().state).toBe('ready');
    const list = await app.inject({ method: 'GET', url: '/api/v1/agents', headers: auth(tok.a2) });
    expect(list.json().map((a: { id: string; state: string }) => [a.id, a.state])).toEqual([
      ['alice', 'ready'],
      ['8002', 'logged-out'],
    ]);
  });

  it('an agent may not act on another; a supervisor may, and only a supervisor locks', async () => {
    const r = await post('/api/v1/agents/8002/login', tok.a1);
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'forbidden']);
    expect((await post('/api/v1/agents/8002/login', tok.sup)).json().state).toBe('not-ready');
    expect((await post('/api/v1/agents/8002/lock', tok.a2)).statusCode).toBe(403);
    expect((await post('/api/v1/agents/8002/lock', tok.sup)).json().state).toBe('locked');
    const again = await post('/api/v1/agents/8002/login', tok.a2);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'AGENT_LOCKED']);
    expect((await post('/api/v1/agents/8002/unlock', tok.admin)).json().state).toBe('logged-out');
  });

  it.each([
    ['ready while logged out', '/api/v1/agents/8002/ready', 409, 'NOT_LOGGED_IN'],
    ['wrap-up-done without a call', '/api/v1/agents/alice/wrap-up-done', 409, 'INVALID_TRANSITION'],
    ['an unknown agent', '/api/v1/agents/9999/ready', 404, 'UNKNOWN_AGENT'],
  ])('refuses %s with the typed code', async (_, url, status, code) => {
    const r = await post(url, tok.admin);
    expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
  });

  it('not-ready takes a reason; during a call it is taken when the call work ends', async () => {
    const ix = sw.call('13900000001', { entryPoint: '95001' });
    sw.answer(ix);
    const during = await post('/api/v1/agents/alice/not-ready', tok.a1, { reason: 'training' });
    expect(during.json()).toMatchObject({ state: 'talking', pendingNotReady: 'training', interactionId: ix });
    sw.hangUp(ix);
    const after = await app.inject({ method: 'GET', url: '/api/v1/agents/8001', headers: auth(tok.a1) });
    expect(after.json()).toMatchObject({ state: 'not-ready', reason: 'training', counters: { answered: 1 } });
    const bad = await post('/api/v1/agents/alice/not-ready', tok.a1, { reason: '' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('/api/v1/queues (SUP-1)', () => {
  it('shows waiting calls, the longest wait and the service level', async () => {
    const ix = sw.call('13900000002', { entryPoint: '95001' });
    clock.advance(12_000);
    const r = await app.inject({ method: 'GET', url: '/api/v1/queues', headers: auth(tok.a2) });
    const general = r.json()[0];
    expect(general).toMatchObject({ id: 'general', name: 'General', waiting: 1, longestWaitSec: 12, serviceLevel: 1, serviceLevelThresholdSec: 20, counters: { entered: 2, answered: 1 } });
    // CTI-7: the limit a desktop loaded mid-call rebuilds its countdown from; none for a queue without one
    expect(general).toMatchObject({ serviceTimeLimitSec: 600, serviceTimeReminderSec: 60 });
    expect(r.json()[1]).toMatchObject({ id: 'vip', waiting: 0, serviceLevel: null, asaSec: null });
    expect(r.json()[1]).not.toHaveProperty('serviceTimeLimitSec');
    sw.hangUp(ix);
  });
});

describe('/api/v1/routing-rules (ACD-9)', () => {
  const rules = { pre: [{ id: 'vip', when: { customerLevel: ['special'] }, queue: 'vip' }] };

  it('replaces the rules at once, versioned; invalid rules change nothing', async () => {
    const cur = await app.inject({ method: 'GET', url: '/api/v1/routing-rules', headers: auth(tok.sup) });
    expect(cur.json()).toMatchObject({ version: 1, author: 'initial' });
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/routing-rules', headers: auth(tok.sup), payload: { pre: [{ id: 'x', when: {}, queue: 'nowhere' }] } });
    expect([bad.statusCode, bad.json().error.message]).toEqual([400, 'unknown queue nowhere']);
    const worse = await app.inject({ method: 'PUT', url: '/api/v1/routing-rules', headers: auth(tok.sup), payload: { pre: 'all' } });
    expect(worse.statusCode).toBe(400);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/routing-rules', headers: auth(tok.a1), payload: rules })).statusCode).toBe(403);
    const ok = await app.inject({ method: 'PUT', url: '/api/v1/routing-rules', headers: auth(tok.sup), payload: rules });
    expect([ok.statusCode, ok.json()]).toMatchObject([200, { version: 2, author: '8100', rules: { pre: rules.pre, post: [], translation: [] } }]);
    expect(svc.screen('95001', '1').kind).toBe('queue');
    const back = await post('/api/v1/routing-rules/rollback', tok.sup, { version: 1 });
    expect(back.json()).toMatchObject({ version: 3, note: 'rollback to 1', rules: { pre: [] } });
    const hist = await app.inject({ method: 'GET', url: '/api/v1/routing-rules/history', headers: auth(tok.sup) });
    expect(hist.json().map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
    expect((await post('/api/v1/routing-rules/rollback', tok.sup, { version: 42 })).statusCode).toBe(404);
  });
});

describe('/api/v1/blacklist (ACD-7)', () => {
  it('adds, lists and removes entries; the next call meets them', async () => {
    const add = await post('/api/v1/blacklist', tok.sup, { number: '+8613800000000', mode: 'refuse', reason: 'harassment' });
    expect([add.statusCode, add.json()]).toEqual([201, { number: '13800000000', match: 'exact', mode: 'refuse', reason: 'harassment' }]);
    expect((await post('/api/v1/blacklist', tok.sup, { number: '0755', match: 'prefix', expiresAt: '2027-01-01T00:00:00Z' })).json()).toEqual({ number: '0755', match: 'prefix', expiresAt: '2027-01-01T00:00:00.000Z' });
    expect((await post('/api/v1/blacklist', tok.sup, { number: 'abc' })).statusCode).toBe(400);
    const list = await app.inject({ method: 'GET', url: '/api/v1/blacklist', headers: auth(tok.sup) });
    expect(list.json().map((e: { number: string }) => e.number)).toEqual(['13800000000', '0755']);
    expect(svc.screen('95001', '13800000000')).toMatchObject({ kind: 'refuse' });
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/blacklist/13800000000', headers: auth(tok.sup) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/blacklist/13800000000', headers: auth(tok.sup) })).statusCode).toBe(404);
    expect(svc.screen('95001', '13800000000')).toMatchObject({ kind: 'queue' });
  });
});

describe('OpenAPI for the ACD routes', () => {
  it('documents each route with its typed 409 body', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: { $ref?: string } } } }> }>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    for (const p of ['/api/v1/agents', '/api/v1/agents/{id}/ready', '/api/v1/agents/{id}/lock', '/api/v1/queues', '/api/v1/routing-rules', '/api/v1/blacklist', '/api/v1/blacklist/{number}']) expect(doc.paths[p], p).toBeDefined();
    const conflict = doc.paths['/api/v1/agents/{id}/ready']!.post!.responses['409']!.content!['application/json'].schema.$ref;
    expect(conflict).toBe('#/components/schemas/AcdError');
    expect(JSON.stringify(doc.components.schemas.AcdError)).toContain('AGENT_LOCKED');
  });
});

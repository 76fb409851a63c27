// Agents administration routes over a real AcdService and SQLite stores (issue 7, ADM-1, ADM-2, ADM-3).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { computeHa1 } from '../../protocol/sip/digest.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken, verifyPassword } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';
import { AgentAdmin } from './agent-admin.ts';
import { agentAdminRoutes } from './agent-admin-routes.ts';
import { AuditRecorder } from './audit-recorder.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const REALM = 'hotline.local';
const CONFIG = {
  agents: [{ id: '8001', skills: { general: 5 } }],
  queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000 }],
  entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
};

let stores: Stores;
let clock: FakeClock;
let svc: AcdService;
let sw: FakeSwitch;
let app: FastifyInstance;
let adminTok: string;
let agentTok: string;
let logLines: string[];
let firstAdmin: AgentAdmin;

function startAcd(): { svc: AcdService; sw: FakeSwitch } {
  const s = new AcdService({ clock, config: parseAcdConfig(CONFIG) });
  const w = new FakeSwitch(clock);
  w.queuePort = s;
  s.attach(w, new RecordingTreatment(w));
  return { svc: s, sw: w };
}

async function startApp(acd: AcdService): Promise<{ app: FastifyInstance; admin: AgentAdmin }> {
  const deps: ApiDeps = { version: '1', clock, realm: REALM, startedAt: T0, stores, components: async () => ({}), acd: acd.control, audit: new AuditRecorder(stores.audit) };
  const admin = new AgentAdmin({ acd, users: stores.users, sipAccounts: stores.sipAccounts, settings: stores.meta, realm: REALM, clock });
  const { Writable } = await import('node:stream');
  const { pino } = await import('pino');
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (logLines.push(chunk.toString()), cb()) });
  const a = buildHttpApi(deps, { routes: agentAdminRoutes(admin), logger: pino(sink) });
  await a.ready();
  return { app: a, admin };
}

async function token(username: string, role: 'admin' | 'agent'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw-123456'), role, enabled: true, createdAt: new Date(T0) });
  const { token: t, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return t;
}

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, tok: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tok}` }, ...(payload !== undefined ? { payload } : {}) });
const signIn = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });

beforeEach(async () => {
  logLines = [];
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  ({ svc, sw } = startAcd());
  ({ app, admin: firstAdmin } = await startApp(svc));
  adminTok = await token('admin', 'admin');
  agentTok = await token('8001', 'agent');
});
afterEach(async () => {
  await app.close();
  await stores.close();
});

describe('agents administration (ADM-1, ADM-2)', () => {
  it('one request makes the SIP account, the web user and the ACD agent; the agent signs in and takes the waiting call', async () => {
    const ix = sw.call('13900000001', { entryPoint: '95001' });
    const r = await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'Agent 8011', password: 'secret-8011', skills: { general: 7 }, level: 6, groups: ['front-line'], mayDialOut: true });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ id: '8011', extension: '8011', name: 'Agent 8011', level: 6, skills: { general: 7 }, groups: ['front-line'], mayDialOut: true, status: 'normal', state: 'logged-out', webUser: true, sipAccount: true });
    expect(r.json().password).toBeUndefined();
    const sip = await stores.sipAccounts.get('8011');
    expect(sip?.ha1Md5).toBe(computeHa1('MD5', '8011', REALM, 'secret-8011'));
    const s = await signIn('8011', 'secret-8011');
    expect(s.statusCode).toBe(201);
    const t = s.json().token as string;
    expect((await req('POST', '/api/v1/agents/8011/login', t)).statusCode).toBe(200);
    expect((await req('POST', '/api/v1/agents/8011/ready', t)).json().state).toBe('reserved');
    expect(sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual([[ix, '8011']]);
    const created = (await req('GET', '/api/v1/audit?action=agent.create', adminTok)).json();
    expect(created).toMatchObject([{ actor: 'admin', role: 'admin', action: 'agent.create', target: '8011', outcome: 'ok', status: 201, detail: { name: 'Agent 8011', level: 6, groups: ['front-line'] } }]);
    expect(JSON.stringify(created)).not.toContain('secret-8011');
  });

  it('may-dial-out as the switch asks it: granted and withdrawn at once; configured agents not administered may not; non-agents may (ADM-1)', async () => {
    await firstAdmin.restore();
    expect(firstAdmin.mayDialOut('8001')).toBe(false);
    expect(firstAdmin.mayDialOut('8100')).toBe(true);
    await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'Agent 8011', password: 'secret-8011', skills: { general: 7 }, mayDialOut: true });
    expect(firstAdmin.mayDialOut('8011')).toBe(true);
    expect((await req('PATCH', '/api/v1/admin/agents/8011', adminTok, { mayDialOut: false })).statusCode).toBe(200);
    expect(firstAdmin.mayDialOut('8011')).toBe(false);
    expect((await req('PATCH', '/api/v1/admin/agents/8001', adminTok, { mayDialOut: true })).statusCode).toBe(200);
    expect(firstAdmin.mayDialOut('8001')).toBe(true);
  });

  it('a generated password is returned once; an existing SIP account is kept; duplicates and bad input are refused', async () => {
    const r = await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8012', name: 'Agent 8012', skills: {} });
    expect(r.statusCode).toBe(201);
    const pw = r.json().password as string;
    expect(pw.length).toBeGreaterThanOrEqual(12);
    expect((await signIn('8012', pw)).statusCode).toBe(201);
    expect((await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8012', name: 'x', skills: {} })).statusCode).toBe(409);
    expect((await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8001', name: 'x', skills: {} })).statusCode).toBe(409);
    expect((await req('POST', '/api/v1/admin/agents', adminTok, { extension: 'abc', name: 'x' })).statusCode).toBe(400);
    expect((await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8013', name: 'x', skills: { general: 11 } })).statusCode).toBe(400);
    expect((await req('POST', '/api/v1/admin/agents', agentTok, { extension: '8014', name: 'x' })).statusCode).toBe(403);
    expect((await req('GET', '/api/v1/admin/agents', agentTok)).statusCode).toBe(403);
  });

  it('skills change at once; frozen agents cannot sign in nor log in to the ACD; password reset changes web and SIP; normal restores', async () => {
    await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'Agent 8011', password: 'secret-8011', skills: { general: 3 } });
    const u = await req('PATCH', '/api/v1/admin/agents/8011', adminTok, { skills: { general: 9, vip: 8 }, level: 9 });
    expect(u.json()).toMatchObject({ skills: { general: 9, vip: 8 }, level: 9 });
    expect(svc.agentConfig('8011')?.skills).toEqual({ general: 9, vip: 8 });
    const f = await req('PATCH', '/api/v1/admin/agents/8011', adminTok, { status: 'frozen' });
    expect(f.json()).toMatchObject({ status: 'frozen', state: 'locked' });
    expect((await signIn('8011', 'secret-8011')).statusCode).toBe(401);
    expect((await req('POST', '/api/v1/agents/8011/login', adminTok)).json().error.code).toBe('AGENT_DISABLED');
    expect((await stores.sipAccounts.get('8011'))?.enabled).toBe(true);
    expect((await req('PATCH', '/api/v1/admin/agents/8011', adminTok, { status: 'deregistered', password: 'another-pw' })).json().status).toBe('deregistered');
    const sip = await stores.sipAccounts.get('8011');
    expect(sip).toMatchObject({ enabled: false, ha1Md5: computeHa1('MD5', '8011', REALM, 'another-pw') });
    expect(await verifyPassword('another-pw', (await stores.users.get('8011'))!.passwordHash)).toBe(true);
    expect((await req('PATCH', '/api/v1/admin/agents/8011', adminTok, { status: 'normal' })).json()).toMatchObject({ status: 'normal', state: 'logged-out' });
    expect((await signIn('8011', 'another-pw')).statusCode).toBe(201);
    expect((await stores.sipAccounts.get('8011'))?.enabled).toBe(true);
    expect((await req('PATCH', '/api/v1/admin/agents/9999', adminTok, { level: 3 })).statusCode).toBe(404);
    const log = (await req('GET', '/api/v1/audit?action=agent.*', adminTok)).json() as { action: string; target: string; outcome: string }[];
    expect(log.reverse().map((e) => `${e.action} ${e.target} ${e.outcome}`)).toEqual([
      'agent.create 8011 ok',
      'agent.update 8011 ok',
      'agent.status 8011 ok',
      'agent.login 8011 AGENT_DISABLED', // refused requests are logged too, with their typed code
      'agent.status 8011 ok',
      'agent.password 8011 ok',
      'agent.status 8011 ok',
      'agent.update 9999 not-found',
    ]);
  });

  it('what an administrator set survives a restart: the new ACD gets the created agent, changed skills and statuses back', async () => {
    await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'Agent 8011', password: 'secret-8011', skills: { general: 7 }, mayDialOut: true });
    await req('PATCH', '/api/v1/admin/agents/8001', adminTok, { skills: { general: 2 }, status: 'frozen' });
    await firstAdmin.restore();
    svc.control.addToBlacklist({ number: '13900000666', mode: 'refuse' });
    svc.control.addToBlacklist({ number: '139', match: 'prefix', mode: 'flag' });
    svc.control.removeFromBlacklist('139');
    svc.control.addToBlacklist({ number: '13900000777', mode: 'hangup' });
    await firstAdmin.flushed();
    await app.close();
    const again = startAcd();
    const { app: a2, admin } = await startApp(again.svc);
    app = a2;
    expect(again.svc.agentConfig('8011')).toBeUndefined();
    const r = await admin.restore();
    expect(r).toEqual({ restored: ['8011', '8001'], skipped: [], blacklist: 2 });
    expect(again.svc.control.blacklist().map((e) => [e.number, e.mode])).toEqual([
      ['13900000666', 'refuse'],
      ['13900000777', 'hangup'],
    ]);
    const list = (await req('GET', '/api/v1/admin/agents', adminTok)).json() as { id: string }[];
    expect(list).toEqual([
      expect.objectContaining({ id: '8001', skills: { general: 2 }, status: 'frozen', state: 'locked' }),
      expect.objectContaining({ id: '8011', name: 'Agent 8011', skills: { general: 7 }, mayDialOut: true, status: 'normal', state: 'logged-out' }),
    ]);
  });

  it('the routes are in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/admin/agents'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/admin/agents/{id}'] ?? {})).toEqual(['patch']);
  });
});

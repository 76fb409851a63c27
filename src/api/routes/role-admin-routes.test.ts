// Custom roles over a real Fastify app, the switch runtime, an AcdService and SQLite stores on a file (issue 7, ADM-1, ADM-2, ADM-3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import { runtimeKit, settle } from '../../switch/runtime/test-kit.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';
import { permissionsOfRole } from '../permissions.ts';
import { AgentAdmin } from './agent-admin.ts';
import { agentAdminRoutes } from './agent-admin-routes.ts';
import { AuditRecorder } from './audit-recorder.ts';
import { callRoutes } from './call-routes.ts';
import { ADMIN_ROLE_ASSIGNMENTS_KEY, ADMIN_ROLES_KEY, RoleAdmin } from './role-admin.ts';
import { roleAdminRoutes } from './role-admin-routes.ts';

const T0 = Date.UTC(2026, 11, 7, 1, 0);
const CONFIG = {
  agents: [{ id: '8001', skills: { general: 5 } }],
  queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }] }],
  entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
};

let dir: string;
let stores: Stores;
let clock: FakeClock;
let k: ReturnType<typeof runtimeKit>;
let acd: AcdService;
let app: FastifyInstance;
let roles: RoleAdmin;
const tok: Record<string, string> = {};

async function startApp(): Promise<void> {
  roles = new RoleAdmin(stores.users, stores.meta);
  await roles.restore();
  const agents = new AgentAdmin({ acd, users: stores.users, sipAccounts: stores.sipAccounts, settings: stores.meta, realm: 'r', clock, roles });
  const deps: ApiDeps = { version: '1', clock, realm: 'r', startedAt: T0, stores, components: async () => ({}), acd: acd.control, audit: new AuditRecorder(stores.audit), roles };
  app = buildHttpApi(deps, { routes: [...callRoutes(k.runtime), ...agentAdminRoutes(agents), ...roleAdminRoutes(roles)] });
  await app.ready();
}

async function user(username: string, role: 'admin' | 'agent' | 'supervisor'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw-123456'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return token;
}

const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, who: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tok[who]}` }, ...(payload !== undefined ? { payload } : {}) });

/** A customer call answered by agent 8001, to monitor. */
async function talkingCall(): Promise<string> {
  k.gateway.inbound(`1380000${Math.floor(Math.random() * 9000 + 1000)}`, '95001');
  await settle();
  const ix = k.queue.enqueued.at(-1)!.interactionId;
  await k.runtime.offerToAgent(ix, '8001', { autoAnswer: true, ringTimeoutMs: 1000 });
  await settle();
  k.gateway.emit({ type: 'answered', legId: k.gateway.legTo('8001') });
  await settle();
  return ix;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-roles-'));
  stores = await openStores({ kind: 'sqlite', file: join(dir, 'hotline.db') });
  clock = new FakeClock(T0);
  k = runtimeKit();
  acd = new AcdService({ clock, config: parseAcdConfig(CONFIG) });
  const sw = new FakeSwitch(clock);
  sw.queuePort = acd;
  acd.attach(sw, new RecordingTreatment(sw));
  await startApp();
  tok.admin = await user('admin', 'admin');
  tok.sup = await user('8100', 'supervisor');
  tok.lead = await user('8101', 'supervisor');
  tok.agent = await user('8001', 'agent');
});
afterEach(async () => {
  await app.close();
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('custom roles (ADM-1)', () => {
  it('a supervisor-based role without supervision: 403 permission-denied on monitor, agents still readable; built-in users unaffected; kept across a restart', async () => {
    const created = await req('POST', '/api/v1/admin/roles', 'admin', { id: 'team-lead', name: 'Team lead', base: 'supervisor', permissions: ['acd', 'calls', 'audit', 'tasks', 'notices'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ id: 'team-lead', name: 'Team lead', base: 'supervisor', permissions: ['acd', 'calls', 'notices', 'tasks', 'audit'], users: [] });
    expect((await req('PUT', '/api/v1/admin/users/8101/role', 'admin', { role: 'team-lead' })).json()).toEqual({ username: '8101', role: 'team-lead' });

    await talkingCall();
    const dials = k.gateway.dials.length;
    const denied = await req('POST', '/api/v1/agents/8001/monitor', 'lead');
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'permission-denied']);
    expect(k.gateway.dials.length).toBe(dials); // nobody was called to listen
    expect((await req('GET', '/api/v1/agents', 'lead')).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/agents/8001', 'lead')).json().id).toBe('8001');
    expect((await req('GET', '/api/v1/audit', 'lead')).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/blacklist', 'lead')).statusCode).toBe(200); // acd kept: the supervisor's ACD routes too
    const me = (await req('GET', '/api/v1/me', 'lead')).json();
    expect(me).toMatchObject({ username: '8101', role: 'supervisor', customRole: { id: 'team-lead', name: 'Team lead' }, permissions: ['acd', 'calls', 'notices', 'tasks', 'audit'] });

    // The built-in supervisor and agent are as before.
    expect((await req('POST', '/api/v1/agents/8001/monitor', 'sup')).statusCode).toBe(200);
    expect(k.gateway.dials.length).toBe(dials + 1);
    expect((await req('GET', '/api/v1/me', 'sup')).json()).toMatchObject({ role: 'supervisor', permissions: permissionsOfRole('supervisor') });
    expect((await req('GET', '/api/v1/me', 'sup')).json().customRole).toBeUndefined();
    expect((await req('POST', '/api/v1/agents/8001/monitor', 'agent')).json().error.code).toBe('forbidden');
    expect((await req('GET', '/api/v1/agents', 'agent')).statusCode).toBe(200);

    // A restart on the same database: the role and the assignment are back, and enforced.
    await app.close();
    await stores.close();
    stores = await openStores({ kind: 'sqlite', file: join(dir, 'hotline.db') });
    await startApp();
    expect(roles.list()).toEqual([expect.objectContaining({ id: 'team-lead', users: ['8101'] })]);
    expect((await req('POST', '/api/v1/agents/8009/monitor', 'lead')).json().error.code).toBe('permission-denied');
    expect((await req('POST', '/api/v1/agents/8009/monitor', 'sup')).json().error.code).toBe('AGENT_NOT_ON_CALL');
    expect((await req('GET', '/api/v1/agents', 'lead')).statusCode).toBe(200);

    // A change is in force for the next request; unassigned, the user is a plain supervisor again.
    expect((await req('PATCH', '/api/v1/admin/roles/team-lead', 'admin', { permissions: ['calls'] })).json().permissions).toEqual(['calls']);
    expect((await req('GET', '/api/v1/agents', 'lead')).json().error.code).toBe('permission-denied');
    expect((await req('PUT', '/api/v1/admin/users/8101/role', 'admin', { role: null })).json()).toEqual({ username: '8101', role: null });
    expect((await req('POST', '/api/v1/agents/8009/monitor', 'lead')).json().error.code).toBe('AGENT_NOT_ON_CALL');
    expect(JSON.parse((await stores.meta.get(ADMIN_ROLE_ASSIGNMENTS_KEY))!)).toEqual({});
  });

  it('a role only restricts its base, must match the user, and is not deleted while assigned (typed codes)', async () => {
    const beyond = await req('POST', '/api/v1/admin/roles', 'admin', { id: 'x', name: 'X', base: 'agent', permissions: ['calls', 'supervision'] });
    expect([beyond.statusCode, beyond.json().error.code]).toEqual([400, 'permission-beyond-base']);
    expect((await req('POST', '/api/v1/admin/roles', 'admin', { id: 'x', name: 'X', base: 'agent', permissions: ['nope'] })).statusCode).toBe(400);
    expect((await req('POST', '/api/v1/admin/roles', 'admin', { id: 'x', name: 'X', base: 'admin', permissions: ['sip', 'security'] })).json().error.code).toBe('admin-role-without-admin');
    expect((await req('POST', '/api/v1/admin/roles', 'admin', { id: 'supervisor', name: 'S', base: 'agent', permissions: [] })).statusCode).toBe(409);
    expect((await req('POST', '/api/v1/admin/roles', 'admin', { id: 'phones', name: 'Phones only', base: 'agent', permissions: ['acd'] })).statusCode).toBe(201);
    expect((await req('POST', '/api/v1/admin/roles', 'admin', { id: 'phones', name: 'Again', base: 'agent', permissions: [] })).statusCode).toBe(409);
    const patchBeyond = await req('PATCH', '/api/v1/admin/roles/phones', 'admin', { permissions: ['admin'] });
    expect([patchBeyond.statusCode, patchBeyond.json().error.code]).toEqual([400, 'permission-beyond-base']);
    expect((await req('PATCH', '/api/v1/admin/roles/ghost', 'admin', { name: 'G' })).statusCode).toBe(404);
    const mismatch = await req('PUT', '/api/v1/admin/users/8100/role', 'admin', { role: 'phones' });
    expect([mismatch.statusCode, mismatch.json().error.code]).toEqual([400, 'role-base-mismatch']);
    expect((await req('PUT', '/api/v1/admin/users/8100/role', 'admin', { role: 'ghost' })).json().error.code).toBe('unknown-role');
    expect((await req('PUT', '/api/v1/admin/users/ghost/role', 'admin', { role: 'phones' })).statusCode).toBe(404);
    expect((await req('GET', '/api/v1/admin/roles', 'sup')).json().error.code).toBe('forbidden');

    // The agents administration assigns through its PATCH; the agent keeps acd and loses calls.
    expect((await req('GET', '/api/v1/dialling', 'agent')).statusCode).toBe(200);
    const patched = await req('PATCH', '/api/v1/admin/agents/8001', 'admin', { role: 'phones' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().role).toBe('phones');
    expect((await req('GET', '/api/v1/agents', 'agent')).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/me', 'agent')).json().permissions).toEqual(['acd']);
    expect((await req('GET', '/api/v1/dialling', 'agent')).json().error.code).toBe('permission-denied');
    expect((await req('POST', '/api/v1/agents/8001/login', 'agent')).statusCode).toBe(200);
    expect((await req('PATCH', '/api/v1/admin/agents/8001', 'admin', { role: 'nope' })).json().error.code).toBe('unknown-role');

    const inUse = await req('DELETE', '/api/v1/admin/roles/phones', 'admin');
    expect([inUse.statusCode, inUse.json().error.code]).toEqual([409, 'role-in-use']);
    expect((await req('PATCH', '/api/v1/admin/agents/8001', 'admin', { role: null })).json().role).toBeUndefined();
    expect((await req('DELETE', '/api/v1/admin/roles/phones', 'admin')).statusCode).toBe(204);
    expect(JSON.parse((await stores.meta.get(ADMIN_ROLES_KEY))!)).toEqual([]);

    const log = (await req('GET', '/api/v1/audit', 'admin')).json() as { action: string; target?: string; outcome: string }[];
    expect(log.reverse().map((e) => `${e.action} ${e.target ?? '-'} ${e.outcome}`)).toEqual([
      'role.create x permission-beyond-base',
      'role.create x invalid-request',
      'role.create x admin-role-without-admin',
      'role.create supervisor already-exists',
      'role.create phones ok',
      'role.create phones already-exists',
      'role.update phones permission-beyond-base',
      'role.update ghost not-found',
      'user.role 8100 role-base-mismatch',
      'user.role 8100 unknown-role',
      'user.role ghost not-found',
      'agent.update 8001 ok',
      'agent.login 8001 ok',
      'agent.update 8001 unknown-role',
      'role.delete phones role-in-use',
      'agent.update 8001 ok',
      'role.delete phones ok',
    ]);

    // An admin-based role keeps administration and may drop the rest: a second admin without security.
    tok.admin2 = await user('admin2', 'admin');
    expect((await req('POST', '/api/v1/admin/roles', 'admin', { id: 'ops', name: 'Ops', base: 'admin', permissions: ['admin', 'acd'] })).statusCode).toBe(201);
    expect((await req('PUT', '/api/v1/admin/users/admin2/role', 'admin', { role: 'ops' })).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/security/bans', 'admin2')).json().error.code).toBe('permission-denied');
    expect((await req('GET', '/api/v1/admin/roles', 'admin2')).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/security/bans', 'admin')).statusCode).toBe(200);
  });

  it('the OpenAPI document has the routes, the permission of each route and the permission-denied answer', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { 'x-permission'?: string; responses: Record<string, { description: string }> }>> };
    expect(Object.keys(doc.paths['/api/v1/admin/roles'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/admin/roles/{id}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    expect(Object.keys(doc.paths['/api/v1/admin/users/{username}/role'] ?? {})).toEqual(['put']);
    const monitor = doc.paths['/api/v1/agents/{id}/monitor']!.post!;
    expect(monitor['x-permission']).toBe('supervision');
    expect(monitor.responses['403']!.description).toContain('permission-denied');
    expect(doc.paths['/api/v1/me']!.get!['x-permission']).toBeUndefined();
    const perms = (await req('GET', '/api/v1/admin/permissions', 'admin')).json() as { permission: string; minRole: string }[];
    expect(perms.find((p) => p.permission === 'supervision')).toEqual({ permission: 'supervision', minRole: 'supervisor' });
  });
});

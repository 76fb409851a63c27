// Organisation catalog routes over a real AcdService, SQLite stores and the operation log (issue 7, ADM-1, ADM-2, ADM-3).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcdService, OrgCatalog, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { DeskBoard } from '../../messaging/desk-board.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';
import { AgentAdmin } from './agent-admin.ts';
import { agentAdminRoutes } from './agent-admin-routes.ts';
import { AuditRecorder } from './audit-recorder.ts';
import { ADMIN_ORG_KEY, OrgAdmin } from './org-admin.ts';
import { orgAdminRoutes } from './org-admin-routes.ts';
import { taskNoticeRoutes } from './task-notice-routes.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const REALM = 'hotline.local';
const CONFIG = {
  agents: [
    { id: '8001', skills: { general: 5 }, groups: [{ group: 'legacy', priority: 1 }] },
    { id: '8002', skills: { general: 5 } },
  ],
  queues: [
    { id: 'general', requiredSkills: [{ skill: 'general' }] },
    { id: 'vip', requiredSkills: [{ skill: 'general' }], groups: ['vip-desk'] },
  ],
  entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
  rules: { pre: [{ id: 'special-to-vip', when: { customerLevel: ['special'] }, queue: 'vip' }] },
};

let stores: Stores;
let clock: FakeClock;
let svc: AcdService;
let sw: FakeSwitch;
let app: FastifyInstance;
let orgAdmin: OrgAdmin;
let adminTok: string;
let supTok: string;

async function startApp(): Promise<void> {
  svc = new AcdService({ clock, config: parseAcdConfig(CONFIG) });
  sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  const deps: ApiDeps = { version: '1', clock, realm: REALM, startedAt: T0, stores, components: async () => ({}), acd: svc.control, audit: new AuditRecorder(stores.audit) };
  // Wired as src/app/server.ts wires them.
  const org: OrgCatalog = new OrgCatalog({
    agentsInBranch: (b: string): string[] => agentAdmin.agentsInBranch(b),
    agentsInGroup: (g: string): string[] => agentAdmin.agentsInGroup(g),
    queuesOfGroup: (g) => svc.settings.queueList().filter((q) => q.groups?.includes(g)).map((q) => q.id),
  });
  orgAdmin = new OrgAdmin(org, stores.meta, svc);
  await orgAdmin.restore();
  const agentAdmin: AgentAdmin = new AgentAdmin({ acd: svc, users: stores.users, sipAccounts: stores.sipAccounts, settings: stores.meta, realm: REALM, clock, org });
  await agentAdmin.restore();
  const board = new DeskBoard({ tasks: stores.tasks, notices: stores.notices, clock, agents: () => svc.control.agents().map((a) => ({ id: a.id, extension: a.extension, groups: (svc.agentConfig(a.id)?.groups ?? []).map((g) => g.group) })), knownGroups: () => org.groups().map((g) => g.id) });
  app = buildHttpApi(deps, { routes: [...orgAdminRoutes(orgAdmin), ...agentAdminRoutes(agentAdmin), ...taskNoticeRoutes(board)] });
  await app.ready();
}

async function token(username: string, role: 'admin' | 'supervisor'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw-123456'), role, enabled: true, createdAt: new Date(T0) });
  const { token: t, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return t;
}

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, tok: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tok}` }, ...(payload !== undefined ? { payload } : {}) });

beforeEach(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  await startApp();
  adminTok = await token('admin', 'admin');
  supTok = await token('sup', 'supervisor');
});
afterEach(async () => {
  await app.close();
  await stores.close();
});

describe('branches and agent groups (ADM-1)', () => {
  it('create, change, refuse with typed codes, delete; a branch still used is 409 branch-in-use; all in the operation log', async () => {
    expect((await req('POST', '/api/v1/admin/branches', adminTok, { id: 'hq', name: 'Head office', phone: '021-5555 0000' })).statusCode).toBe(201);
    const sh = await req('POST', '/api/v1/admin/branches', adminTok, { id: 'sh', name: 'Shanghai', parent: 'hq' });
    expect(sh.statusCode, sh.body).toBe(201);
    const dup = await req('POST', '/api/v1/admin/branches', adminTok, { id: 'sh', name: 'Again' });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'duplicate-id']);
    const orphan = await req('POST', '/api/v1/admin/agent-groups', adminTok, { id: 'front', name: 'Front line', branch: 'nowhere' });
    expect([orphan.statusCode, orphan.json().error.code]).toEqual([400, 'unknown-branch']);
    const cycle = await req('PATCH', '/api/v1/admin/branches/hq', adminTok, { parent: 'sh' });
    expect([cycle.statusCode, cycle.json().error.code]).toEqual([400, 'branch-cycle']);
    const bad = await req('POST', '/api/v1/admin/branches', adminTok, { id: 'bj', name: '' });
    expect(bad.statusCode).toBe(400);

    const g = await req('POST', '/api/v1/admin/agent-groups', adminTok, { id: 'front', name: 'Front line', branch: 'sh', supervisors: ['sup'] });
    expect([g.statusCode, g.json()]).toEqual([201, { id: 'front', name: 'Front line', branch: 'sh', supervisors: ['sup'] }]);
    expect((await req('GET', '/api/v1/admin/agent-groups', adminTok)).json()).toEqual([{ id: 'front', name: 'Front line', branch: 'sh', supervisors: ['sup'] }]);

    const inUse = await req('DELETE', '/api/v1/admin/branches/sh', adminTok);
    expect([inUse.statusCode, inUse.json().error.code]).toEqual([409, 'branch-in-use']);
    expect(inUse.json().error.message).toContain('group front');
    expect((await req('PATCH', '/api/v1/admin/agent-groups/front', adminTok, { branch: null })).json()).toEqual({ id: 'front', name: 'Front line', supervisors: ['sup'] });
    expect((await req('DELETE', '/api/v1/admin/branches/sh', adminTok)).statusCode).toBe(204);
    expect((await req('DELETE', '/api/v1/admin/branches/sh', adminTok)).statusCode).toBe(404);
    expect((await req('GET', '/api/v1/admin/branches', adminTok)).json()).toEqual([{ id: 'hq', name: 'Head office', phone: '021-5555 0000' }]);

    const log = (await req('GET', '/api/v1/audit?action=branch.*', adminTok)).json() as { action: string; target: string; outcome: string }[];
    expect(log.map((e) => [e.action, e.target, e.outcome]).reverse()).toEqual([
      ['branch.create', 'hq', 'ok'],
      ['branch.create', 'sh', 'ok'],
      ['branch.create', 'sh', 'duplicate-id'],
      ['branch.update', 'hq', 'branch-cycle'],
      ['branch.create', 'bj', 'invalid-request'],
      ['branch.delete', 'sh', 'branch-in-use'],
      ['branch.delete', 'sh', 'ok'],
      ['branch.delete', 'sh', 'not-found'],
    ]);
  });

  it('only admins: a supervisor gets 403', async () => {
    expect((await req('GET', '/api/v1/admin/branches', supTok)).statusCode).toBe(403);
    expect((await req('POST', '/api/v1/admin/ticket-types', supTok, { id: 'x', name: 'x', category: 'y', slaHours: 1 })).statusCode).toBe(403);
  });

  it('agents take a branch and catalog groups; a branch or group agents use is not removed; the notices form sees administered groups', async () => {
    await req('POST', '/api/v1/admin/branches', adminTok, { id: 'sh', name: 'Shanghai' });
    await req('POST', '/api/v1/admin/agent-groups', adminTok, { id: 'front', name: 'Front line', branch: 'sh' });
    await req('POST', '/api/v1/admin/agent-groups', adminTok, { id: 'empty', name: 'Nobody yet' });
    const unknownGroup = await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'A', password: 'secret-8011', groups: ['made-up'] });
    expect([unknownGroup.statusCode, unknownGroup.json().error.code]).toEqual([400, 'unknown-group']);
    const unknownBranch = await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'A', password: 'secret-8011', branch: 'bj' });
    expect([unknownBranch.statusCode, unknownBranch.json().error.code]).toEqual([400, 'unknown-branch']);
    // A group the configuration file gave an agent stays accepted (compatibility).
    const a = await req('POST', '/api/v1/admin/agents', adminTok, { extension: '8011', name: 'A', password: 'secret-8011', groups: ['front', 'legacy'], branch: 'sh' });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ groups: ['front', 'legacy'], branch: 'sh' });

    const br = await req('DELETE', '/api/v1/admin/branches/sh', adminTok);
    expect([br.statusCode, br.json().error.code]).toEqual([409, 'branch-in-use']);
    const gr = await req('DELETE', '/api/v1/admin/agent-groups/front', adminTok);
    expect([gr.statusCode, gr.json().error.code]).toEqual([409, 'group-in-use']);
    expect(gr.json().error.message).toContain('agent 8011');

    const groups = (await req('GET', '/api/v1/agent-groups', supTok)).json();
    expect(groups).toEqual([
      { group: 'empty', agents: [] },
      { group: 'front', agents: ['8011'] },
      { group: 'legacy', agents: ['8001', '8011'] },
    ]);

    const moved = await req('PATCH', '/api/v1/admin/agents/8011', adminTok, { branch: null, groups: ['legacy'] });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().branch).toBeUndefined();
    expect((await req('DELETE', '/api/v1/admin/agent-groups/front', adminTok)).statusCode).toBe(204);
    await req('PATCH', '/api/v1/admin/agent-groups/empty', adminTok, { branch: 'sh' });
    expect((await req('DELETE', '/api/v1/admin/branches/sh', adminTok)).json().error.message).toContain('group empty');
  });

  it('a group a queue serves is not removed (group-in-use)', async () => {
    await req('POST', '/api/v1/admin/agent-groups', adminTok, { id: 'vip-desk', name: 'VIP desk' });
    const r = await req('DELETE', '/api/v1/admin/agent-groups/vip-desk', adminTok);
    expect([r.statusCode, r.json().error.code, r.json().error.message]).toEqual([409, 'group-in-use', 'group vip-desk is still used by queue vip']);
  });
});

describe('customer classes and ticket types (ADM-1)', () => {
  it('a new class routes the next call that names it with its level; built-in levels are never removed', async () => {
    const list = (await req('GET', '/api/v1/admin/customer-classes', adminTok)).json();
    expect(list.map((c: { id: string }) => c.id)).toEqual(['special', 'priority', 'standard']);
    const builtin = await req('DELETE', '/api/v1/admin/customer-classes/special', adminTok);
    expect([builtin.statusCode, builtin.json().error.code]).toEqual([409, 'builtin-class']);

    sw.call('13900000001', { entryPoint: '95001', callData: { customerLevel: 'gold' } });
    const waiting = () => Object.fromEntries(svc.control.queues().map((q) => [q.id, q.waiting]));
    expect(waiting()).toEqual({ general: 1, vip: 0 });
    const c = await req('POST', '/api/v1/admin/customer-classes', adminTok, { id: 'gold', name: 'Gold card', level: 'special' });
    expect(c.statusCode, c.body).toBe(201);
    sw.call('13900000002', { entryPoint: '95001', callData: { customerLevel: 'gold' } });
    expect(waiting()).toEqual({ general: 1, vip: 1 });
    const badLevel = await req('PATCH', '/api/v1/admin/customer-classes/gold', adminTok, { level: 'platinum' });
    expect(badLevel.statusCode).toBe(400);
    await req('PATCH', '/api/v1/admin/customer-classes/gold', adminTok, { level: 'standard' });
    sw.call('13900000003', { entryPoint: '95001', callData: { customerLevel: 'gold' } });
    expect(waiting()).toEqual({ general: 2, vip: 1 });
  });

  it('ticket types: defaults, change, delete; the catalog is kept across a restart', async () => {
    const t = await req('POST', '/api/v1/admin/ticket-types', adminTok, { id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24 });
    expect([t.statusCode, t.json()]).toEqual([201, { id: 'complaint', name: 'Complaint', category: 'service', slaHours: 24, active: true }]);
    expect((await req('PATCH', '/api/v1/admin/ticket-types/complaint', adminTok, { active: false, slaHours: 8 })).json()).toMatchObject({ active: false, slaHours: 8 });
    const unknownField = await req('PATCH', '/api/v1/admin/ticket-types/complaint', adminTok, { colour: 'red' });
    expect(unknownField.statusCode).toBe(400);
    await req('POST', '/api/v1/admin/ticket-types', adminTok, { id: 'refund', name: 'Refund', category: 'money', slaHours: 48 });
    expect((await req('DELETE', '/api/v1/admin/ticket-types/refund', adminTok)).statusCode).toBe(204);
    await req('POST', '/api/v1/admin/customer-classes', adminTok, { id: 'gold', name: 'Gold', level: 'special' });
    await req('PATCH', '/api/v1/admin/customer-classes/standard', adminTok, { name: '普通客户' });
    await orgAdmin.flushed();
    expect(JSON.parse((await stores.meta.get(ADMIN_ORG_KEY))!).ticketTypes).toHaveLength(1);

    await app.close();
    await startApp();
    expect((await req('GET', '/api/v1/admin/ticket-types', adminTok)).json()).toEqual([{ id: 'complaint', name: 'Complaint', category: 'service', slaHours: 8, active: false }]);
    expect((await req('GET', '/api/v1/admin/customer-classes', adminTok)).json()).toEqual([
      { id: 'special', name: 'Special', level: 'special', builtin: true },
      { id: 'priority', name: 'Priority', level: 'priority', builtin: true },
      { id: 'standard', name: '普通客户', level: 'standard', builtin: true },
      { id: 'gold', name: 'Gold', level: 'special' },
    ]);
    sw.call('13900000004', { entryPoint: '95001', callData: { customerLevel: 'gold' } });
    expect(svc.control.queues().find((q) => q.id === 'vip')?.waiting).toBe(1);
  });

  it('the OpenAPI document describes the catalog routes and their schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const p of ['/api/v1/admin/branches', '/api/v1/admin/agent-groups/{id}', '/api/v1/admin/customer-classes', '/api/v1/admin/ticket-types/{id}']) expect(Object.keys(doc.paths)).toContain(p);
    expect(Object.keys(doc.paths['/api/v1/admin/branches/{id}'])).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Branch', 'AgentGroup', 'CustomerClass', 'TicketType', 'OrgError', 'BranchChange']));
    for (const m of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas[m[1]!], m[1]).toBeDefined();
  });
});

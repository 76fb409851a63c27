// The operation log through the API (issue 7, ADM-3) and tasks and notices (SUP-4), over a real AcdService and SQLite stores.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { DeskBoard, type DeskEvent } from '../../messaging/desk-board.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { ApiDeps } from '../api-deps.ts';
import { Audience } from '../event-stream.ts';
import { buildHttpApi } from '../http-api.ts';
import { AuditRecorder } from './audit-recorder.ts';
import { auditActionOf, redact } from './audit-hook.ts';
import { taskNoticeRoutes } from './task-notice-routes.ts';
import { boardStreamEvent } from '../../app/event-feed.ts';

const T0 = Date.UTC(2026, 11, 6, 9, 0);
const CONFIG = {
  agents: [
    { id: '8003', skills: { general: 5 }, groups: [{ group: 'front-line', priority: 1 }] },
    { id: '8004', skills: { general: 5 }, groups: [{ group: 'front-line', priority: 1 }] },
    { id: '8005', skills: { general: 5 }, groups: [{ group: 'seniors', priority: 1 }] },
  ],
  queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000 }],
  entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
};

let stores: Stores;
let clock: FakeClock;
let app: FastifyInstance;
let recorder: AuditRecorder;
let board: DeskBoard;
let events: DeskEvent[];
let errors: string[];
const tok: Record<string, string> = {};

async function user(username: string, role: 'admin' | 'supervisor' | 'agent'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw-123456'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return token;
}

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, who: string | undefined, payload?: object) =>
  app.inject({ method, url, headers: who ? { authorization: `Bearer ${tok[who] ?? who}` } : {}, ...(payload !== undefined ? { payload } : {}) });
const audit = async (query = '') => (await call('GET', `/api/v1/audit${query}`, 'sup1')).json() as { actor: string; role?: string; action: string; target?: string; outcome: string; status: number; detail?: Record<string, unknown>; sourceAddress?: string }[];

beforeEach(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  const svc = new AcdService({ clock, config: parseAcdConfig(CONFIG) });
  const sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  errors = [];
  recorder = new AuditRecorder(stores.audit, { error: (_o, msg) => errors.push(msg) });
  board = new DeskBoard({
    tasks: stores.tasks,
    notices: stores.notices,
    clock,
    agents: () => svc.control.agents().map((a) => ({ id: a.id, extension: a.extension, groups: (svc.agentConfig(a.id)?.groups ?? []).map((g) => g.group) })),
  });
  events = [];
  board.onEvent((e) => events.push(e));
  const deps: ApiDeps = { version: '1', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}), acd: svc.control, audit: recorder };
  app = buildHttpApi(deps, { routes: taskNoticeRoutes(board) });
  await app.ready();
  tok['admin'] = await user('admin', 'admin');
  tok['sup1'] = await user('sup1', 'supervisor');
  for (const a of ['8003', '8004', '8005']) tok[a] = await user(a, 'agent');
});
afterEach(async () => {
  await app.close();
  await stores.close();
});

describe('operation log (ADM-3)', () => {
  it('keeps sign-in (success and failure) and sign-out with who, role, outcome and address, never the password', async () => {
    expect((await call('POST', '/api/v1/session', undefined, { username: '8003', password: 'wrong-one' })).statusCode).toBe(401);
    const s = await call('POST', '/api/v1/session', undefined, { username: '8003', password: 'pw-123456' });
    expect(s.statusCode).toBe(201);
    expect((await call('DELETE', '/api/v1/session', s.json().token as string)).statusCode).toBe(204);
    const log = await audit('?action=session.*');
    expect(log.map((e) => [e.actor, e.role, e.action, e.target, e.outcome, e.status])).toEqual([
      ['8003', 'agent', 'session.sign-out', undefined, 'ok', 204],
      ['8003', 'agent', 'session.sign-in', '8003', 'ok', 201],
      ['8003', undefined, 'session.sign-in', '8003', 'unauthorized', 401],
    ]);
    expect(log[2]!.sourceAddress).toBe('127.0.0.1');
    expect(JSON.stringify(log)).not.toMatch(/pw-123456|wrong-one/);
  });

  it('keeps every agent and supervisor action with its target, refused ones with their typed code; GETs are not actions', async () => {
    await call('POST', '/api/v1/agents/8003/login', '8003');
    await call('POST', '/api/v1/agents/8003/ready', '8003');
    await call('POST', '/api/v1/agents/8003/ready', '8004'); // not its own agent
    await call('POST', '/api/v1/agents/8004/ready', '8004'); // not logged in
    await call('POST', '/api/v1/agents/8003/lock', 'sup1');
    await call('GET', '/api/v1/agents', '8003');
    await call('POST', '/api/v1/blacklist', 'sup1', { number: '13900000666', mode: 'refuse', reason: 'abuse' });
    const log = await audit();
    expect(log.reverse().map((e) => `${e.actor} ${e.action} ${e.target} ${e.outcome}`)).toEqual([
      '8003 agent.login 8003 ok',
      '8003 agent.ready 8003 ok',
      '8004 agent.ready 8003 forbidden',
      '8004 agent.ready 8004 NOT_LOGGED_IN',
      'sup1 agent.lock 8003 ok',
      'sup1 blacklist.add 13900000666 ok',
    ]);
    expect(log[5]!.detail).toMatchObject({ number: '13900000666', mode: 'refuse', reason: 'abuse' });
    expect(log[3]!.detail).toMatchObject({ request: 'POST /api/v1/agents/8004/ready' });
  });

  it('filters by actor, action prefix, target and time; agents may not read it; bad filters are 400', async () => {
    await call('POST', '/api/v1/agents/8003/login', '8003');
    clock.advance(60_000);
    await call('POST', '/api/v1/agents/8004/login', '8004');
    await call('POST', '/api/v1/agents/8004/lock', 'sup1');
    expect((await audit('?actor=8004')).map((e) => e.action)).toEqual(['agent.login']);
    expect((await audit('?target=8004')).map((e) => e.action)).toEqual(['agent.lock', 'agent.login']);
    expect((await audit('?action=agent.lo*&limit=2')).map((e) => e.target)).toEqual(['8004', '8004']);
    expect((await audit(`?until=${new Date(T0 + 1).toISOString()}`)).map((e) => e.actor)).toEqual(['8003']);
    expect((await audit(`?since=${new Date(T0 + 60_000).toISOString()}`)).length).toBe(2);
    expect((await call('GET', '/api/v1/audit', '8003')).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/audit?since=yesterday', 'sup1')).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/audit', 'admin')).statusCode).toBe(200);
  });

  it('a failing audit write never fails the request: it is logged and counted', async () => {
    await sql`drop table audit_log`.execute(stores.database.db);
    const r = await call('POST', '/api/v1/agents/8003/login', '8003');
    expect(r.statusCode).toBe(200);
    await recorder.flushed();
    expect(recorder.failed).toBe(1);
    expect(errors).toEqual(['audit write failed']);
  });

  it('one table names actions and targets; secrets are redacted', () => {
    expect(auditActionOf('POST', '/api/v1/agents/:id/monitor', { id: '8003' }, {})).toEqual({ action: 'supervise.monitor', target: '8003' });
    expect(auditActionOf('POST', '/api/v1/interactions/:id/hold', { id: 'ix-1' }, {})).toEqual({ action: 'interaction.hold', target: 'ix-1' });
    expect(auditActionOf('POST', '/api/v1/interactions/:id/recording/start', { id: 'ix-1' }, {})).toEqual({ action: 'interaction.recording-start', target: 'ix-1' });
    expect(auditActionOf('POST', '/api/v1/tasks/:id/status', { id: 't1' }, { status: 'done' })).toEqual({ action: 'task.done', target: 't1' });
    expect(auditActionOf('POST', '/api/v1/notices', {}, { audience: { group: 'seniors' } })).toEqual({ action: 'notice.post', target: 'group:seniors' });
    expect(auditActionOf('PUT', '/api/v1/some/new/:thing', { thing: 'x' }, {})).toEqual({ action: 'put /api/v1/some/new/:thing', target: 'x' });
    expect(redact({ extension: '8011', password: 'p', nested: [{ pin: '1234', ok: 1 }] })).toEqual({ extension: '8011', password: '***', nested: [{ pin: '***', ok: 1 }] });
  });
});

describe('tasks and notices (SUP-4)', () => {
  it('a supervisor assigns a task; the agent moves it assigned -> in-progress -> done; illegal moves are 409 with the typed code', async () => {
    const created = await call('POST', '/api/v1/tasks', 'sup1', { assignee: '8003', title: 'Call back Mr Li', detail: 'about his order', due: new Date(T0 + 3_600_000).toISOString() });
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json() as { id: string };
    expect(created.json()).toMatchObject({ assignee: '8003', status: 'assigned', createdBy: 'sup1', due: new Date(T0 + 3_600_000).toISOString() });
    expect((await call('POST', '/api/v1/tasks', '8003', { assignee: '8004', title: 'x' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/tasks', 'sup1', { assignee: '9999', title: 'x' })).json().error.code).toBe('unknown-agent');
    expect((await call('GET', '/api/v1/tasks', '8004')).json()).toEqual([]);
    expect((await call('GET', '/api/v1/tasks', '8003')).json()).toMatchObject([{ id: task.id }]);
    const skip = await call('POST', `/api/v1/tasks/${task.id}/status`, '8003', { status: 'done' });
    expect([skip.statusCode, skip.json().error.code]).toEqual([409, 'illegal-task-transition']);
    expect((await call('POST', `/api/v1/tasks/${task.id}/status`, '8004', { status: 'in-progress' })).json().error.code).toBe('task-not-yours');
    expect((await call('POST', `/api/v1/tasks/${task.id}/status`, '8003', { status: 'in-progress' })).json().status).toBe('in-progress');
    clock.advance(1000);
    expect((await call('POST', `/api/v1/tasks/${task.id}/status`, '8003', { status: 'done' })).json()).toMatchObject({ status: 'done', updatedAt: new Date(T0 + 1000).toISOString() });
    expect((await call('GET', '/api/v1/tasks?status=done', 'sup1')).json()).toMatchObject([{ id: task.id, status: 'done' }]);
    expect(events.map((e) => `${e.type} ${e.recipients.join(',')}`)).toEqual(['task.assigned 8003', 'task.updated 8003', 'task.updated 8003']);
    const log = await audit('?action=task.*');
    expect(log.reverse().map((e) => `${e.actor} ${e.action} ${e.outcome}`)).toEqual([
      'sup1 task.assign ok',
      '8003 task.assign forbidden',
      'sup1 task.assign unknown-agent',
      '8003 task.done illegal-task-transition',
      '8004 task.in-progress task-not-yours',
      '8003 task.in-progress ok',
      '8003 task.done ok',
    ]);
  });

  it('notices to one agent, a group or all reach exactly those agents; each acknowledges its own; a restart keeps them', async () => {
    const one = (await call('POST', '/api/v1/notices', 'sup1', { audience: { agent: '8003' }, title: 'See me' })).json() as { id: string };
    clock.advance(1);
    const group = (await call('POST', '/api/v1/notices', 'sup1', { audience: { group: 'front-line' }, title: 'Meeting', body: 'at 3 pm' })).json() as { id: string; recipients: unknown };
    expect(group.recipients).toEqual([{ agentId: '8003' }, { agentId: '8004' }]);
    clock.advance(1);
    await call('POST', '/api/v1/notices', 'sup1', { audience: 'all', title: 'Fire drill' });
    expect((await call('POST', '/api/v1/notices', 'sup1', { audience: { group: 'nobody' }, title: 'x' })).json().error.code).toBe('unknown-group');
    expect((await call('GET', '/api/v1/agent-groups', 'sup1')).json()).toEqual([
      { group: 'front-line', agents: ['8003', '8004'] },
      { group: 'seniors', agents: ['8005'] },
    ]);
    const titles = async (who: string) => ((await call('GET', '/api/v1/notices', who)).json() as { title: string }[]).map((n) => n.title);
    expect(await titles('8003')).toEqual(['Fire drill', 'Meeting', 'See me']);
    expect(await titles('8005')).toEqual(['Fire drill']);
    expect((await call('POST', `/api/v1/notices/${one.id}/ack`, '8004')).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/notices/${group.id}/ack`, '8004')).statusCode).toBe(204);
    const sup = (await call('GET', '/api/v1/notices', 'sup1')).json() as { id: string; recipients: { agentId: string; readAt?: string }[] }[];
    expect(sup.find((n) => n.id === group.id)!.recipients).toEqual([{ agentId: '8003' }, { agentId: '8004', readAt: new Date(T0 + 2).toISOString() }]);
    // The stream: each board event reaches its recipients and supervisors only.
    const posted = events.filter((e) => e.type === 'notice.posted').map(boardStreamEvent);
    const sees = (role: 'agent' | 'supervisor', id: string) => posted.filter((e) => new Audience(role, id).admits(e)).length;
    expect([sees('agent', '8003'), sees('agent', '8004'), sees('agent', '8005'), sees('supervisor', 'sup1')]).toEqual([3, 2, 1, 3]);
    // What the next process reads from the same database.
    const again = new DeskBoard({ tasks: stores.tasks, notices: stores.notices, clock, agents: () => [{ id: '8004', extension: '8004', groups: [] }] });
    expect((await again.notices({ username: '8004', role: 'agent' })).map((n) => [n.title, n.recipients.find((r) => r.agentId === '8004')?.readAt !== undefined])).toEqual([
      ['Fire drill', false],
      ['Meeting', true],
    ]);
    expect((await audit('?action=notice.*')).map((e) => `${e.actor} ${e.action} ${e.target} ${e.outcome}`)).toContain('8004 notice.ack ' + group.id + ' ok');
  });
});

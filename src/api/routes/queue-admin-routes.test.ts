// Queues, business hours and entry points administration over a real AcdService and SQLite store (issue 7, ADM-1, ADM-2, ACD-2, ACD-6, CTI-7).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AcdEvent } from '../../acd/index.ts';
import { AcdService, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';
import { hoursAdminRoutes } from './hours-admin-routes.ts';
import { QueueAdmin } from './queue-admin.ts';
import { queueAdminRoutes } from './queue-admin-routes.ts';

// Monday 2026-11-23 10:00 in Asia/Shanghai.
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const CONFIG = {
  agents: [
    { id: '8001', skills: { general: 5 } },
    { id: '8002', skills: { general: 9, vip: 8 } },
  ],
  queues: [
    { id: 'general', name: 'General', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000 },
    { id: 'vip', requiredSkills: [{ skill: 'vip', minLevel: 7 }] },
  ],
  entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
};

let stores: Stores;
let clock: FakeClock;
let svc: AcdService;
let sw: FakeSwitch;
let treatment: RecordingTreatment;
let app: FastifyInstance;
let admin: QueueAdmin;
let adminTok: string;
let supTok: string;
let logLines: string[];

function startAcd(): { svc: AcdService; sw: FakeSwitch; treatment: RecordingTreatment } {
  const s = new AcdService({ clock, config: parseAcdConfig(CONFIG) });
  const w = new FakeSwitch(clock);
  w.queuePort = s;
  const t = new RecordingTreatment(w);
  s.attach(w, t);
  return { svc: s, sw: w, treatment: t };
}

async function startApp(acd: AcdService): Promise<{ app: FastifyInstance; admin: QueueAdmin }> {
  const deps: ApiDeps = { version: '1', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}), acd: acd.control };
  const qa = new QueueAdmin(acd, stores.meta);
  const { Writable } = await import('node:stream');
  const { pino } = await import('pino');
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (logLines.push(chunk.toString()), cb()) });
  const a = buildHttpApi(deps, { routes: [...queueAdminRoutes(qa), ...hoursAdminRoutes(qa)], logger: pino(sink) });
  await a.ready();
  return { app: a, admin: qa };
}

async function token(username: string, role: 'admin' | 'supervisor'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw-123456'), role, enabled: true, createdAt: new Date(T0) });
  const { token: t, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return t;
}

const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, tok: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tok}` }, ...(payload !== undefined ? { payload } : {}) });
const ready = (id: string) => {
  svc.control.act(id, 'login');
  svc.control.act(id, 'ready');
};
const audits = () => logLines.filter((l) => l.includes('admin change')).map((l) => JSON.parse(l).audit);

beforeEach(async () => {
  logLines = [];
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  ({ svc, sw, treatment } = startAcd());
  ({ app, admin } = await startApp(svc));
  adminTok = await token('admin', 'admin');
  supTok = await token('sup', 'supervisor');
});
afterEach(async () => {
  await app.close();
  await stores.close();
});

describe('queues administration (ADM-1, ADM-2, CTI-7)', () => {
  it('lists queues; a lowered service-time limit reaches the next call at once; the change is logged', async () => {
    const list = await req('GET', '/api/v1/admin/queues', adminTok);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject([{ id: 'general', name: 'General', requiredSkills: [{ skill: 'general' }], ringTimeoutMs: 10_000, waiting: 0 }, { id: 'vip' }]);
    const events: AcdEvent[] = [];
    svc.engine.events.on((e) => e.type === 'service-time' && events.push(e));
    const r = await req('PATCH', '/api/v1/admin/queues/general', adminTok, { serviceTimeLimitMs: 20_000, serviceTimeReminderMs: 5_000, strategy: { rules: ['fewest-calls', 'longest-idle'] } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id: 'general', name: 'General', serviceTimeLimitMs: 20_000, serviceTimeReminderMs: 5_000, strategy: { rules: ['fewest-calls', 'longest-idle'] } });
    ready('8001');
    const ix = sw.call('13900000001', { entryPoint: '95001' });
    sw.answer(ix);
    clock.advance(20_000);
    expect(events).toMatchObject([{ agentId: '8001', remainingMs: 5_000 }, { agentId: '8001', remainingMs: 0, limitMs: 20_000 }]);
    expect(audits()).toMatchObject([{ by: 'admin', action: 'queue.update', queue: 'general', detail: { serviceTimeLimitMs: 20_000 } }]);
    const cleared = await req('PATCH', '/api/v1/admin/queues/general', adminTok, { serviceTimeLimitMs: null, serviceTimeReminderMs: null, name: null });
    expect(cleared.json().serviceTimeLimitMs).toBeUndefined();
    expect(cleared.json().name).toBeUndefined();
  });

  it('required skills changed live send the waiting call to the agent who now fits', async () => {
    ready('8001');
    const ix = sw.call('13900000002', { queueId: 'vip' });
    expect((await req('GET', '/api/v1/admin/queues', adminTok)).json()[1]).toMatchObject({ id: 'vip', waiting: 1 });
    expect(sw.offers).toHaveLength(0);
    const r = await req('PATCH', '/api/v1/admin/queues/vip', adminTok, { requiredSkills: [{ skill: 'general', minLevel: 5 }] });
    expect(r.statusCode).toBe(200);
    expect(sw.offers.map((o) => [o.interactionId, o.agentId])).toEqual([[ix, '8001']]);
  });

  it('creates a queue with treatment; refuses duplicates, bad values with typed codes, unknown ids and non-admins', async () => {
    const c = await req('POST', '/api/v1/admin/queues', adminTok, {
      id: 'funds',
      name: 'Funds',
      requiredSkills: [{ skill: 'funds', minLevel: 6 }],
      strategy: { rules: ['skill-first', 'longest-idle'] },
      serviceLevelMs: 30_000,
      treatment: { maxWait: { afterMs: 120_000, action: 'voicemail' }, overflow: { toQueue: 'general', afterMs: 60_000 } },
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({ id: 'funds', waiting: 0, treatment: { overflow: { toQueue: 'general' } } });
    expect(svc.control.queues().map((q) => q.id)).toEqual(['general', 'vip', 'funds']);
    const dup = await req('POST', '/api/v1/admin/queues', adminTok, { id: 'funds', requiredSkills: [] });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'DUPLICATE_QUEUE']);
    const self = await req('PATCH', '/api/v1/admin/queues/funds', adminTok, { treatment: { overflow: { toQueue: 'funds', afterMs: 1000 } } });
    expect([self.statusCode, self.json().error]).toEqual([400, { code: 'INVALID_CONFIG', message: 'treatment.overflow.toQueue: a queue cannot overflow to itself' }]);
    const unknownTarget = await req('PATCH', '/api/v1/admin/queues/funds', adminTok, { treatment: { overflow: { toQueue: 'nowhere', afterMs: 1000 } } });
    expect(unknownTarget.json().error).toEqual({ code: 'INVALID_CONFIG', message: 'treatment.overflow.toQueue: unknown queue nowhere' });
    const reminder = await req('PATCH', '/api/v1/admin/queues/funds', adminTok, { serviceTimeLimitMs: 10_000, serviceTimeReminderMs: 15_000 });
    expect([reminder.statusCode, reminder.json().error.code]).toEqual([400, 'INVALID_CONFIG']);
    const badStrategy = await req('PATCH', '/api/v1/admin/queues/funds', adminTok, { strategy: { rules: ['coin-toss'] } });
    expect([badStrategy.statusCode, badStrategy.json().error.code]).toEqual([400, 'invalid-request']);
    const badLevel = await req('POST', '/api/v1/admin/queues', adminTok, { id: 'x', requiredSkills: [{ skill: 'a', minLevel: 11 }] });
    expect(badLevel.statusCode).toBe(400);
    expect((await req('POST', '/api/v1/admin/queues', adminTok, { id: 'bad id!' })).statusCode).toBe(400);
    const missing = await req('PATCH', '/api/v1/admin/queues/nowhere', adminTok, { name: 'x' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'not-found']);
    expect((await req('GET', '/api/v1/admin/queues', supTok)).statusCode).toBe(403);
    expect((await req('PATCH', '/api/v1/admin/queues/funds', supTok, { name: 'x' })).statusCode).toBe(403);
    expect(svc.settings.queue('funds')).toMatchObject({ name: 'Funds', treatment: { overflow: { toQueue: 'general' } } });
    expect(audits().map((a) => a.action)).toEqual(['queue.create']);
  });
});

describe('business hours and entry points (ACD-6, ADM-2)', () => {
  it('hours closing now send the next call to night service; a holiday is kept; open again when cleared', async () => {
    const h = await req('GET', '/api/v1/admin/hours', adminTok);
    expect(h.json()).toEqual([{ id: 'general', numbers: ['95001'], queue: 'general', hours: null, nightService: { kind: 'voicemail' }, blacklistMode: 'flag', open: true, rule: 'always' }]);
    const put = await req('PUT', '/api/v1/admin/hours/general', adminTok, {
      hours: { weekly: { '1': [{ from: '13:00', to: '18:00' }], '2': [{ from: '09:00', to: '18:00' }] }, holidays: ['2026-12-25'] },
      nightService: { kind: 'voicemail', mailbox: 'night' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ open: false, rule: 'weekly', hours: { timeZone: 'Asia/Shanghai', holidays: ['2026-12-25'] }, nightService: { mailbox: 'night' } });
    ready('8001');
    const ix = sw.call('13900000003', { entryPoint: '95001' });
    expect(treatment.of(ix)).toMatchObject([{ op: 'voicemail', mailbox: 'night' }]);
    expect(sw.offers).toHaveLength(0);
    const bad = await req('PUT', '/api/v1/admin/hours/general', adminTok, { hours: { weekly: { '1': [{ from: '18:00', to: '09:00' }] } } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'invalid-request']);
    const badZone = await req('PUT', '/api/v1/admin/hours/general', adminTok, { hours: { timeZone: 'Mars/Olympus' } });
    expect(badZone.statusCode).toBe(400);
    expect((await req('PUT', '/api/v1/admin/hours/nowhere', adminTok, { hours: null })).statusCode).toBe(404);
    expect((await req('GET', '/api/v1/admin/hours', adminTok)).json()[0].hours.holidays).toEqual(['2026-12-25']);
    const open = await req('PUT', '/api/v1/admin/hours/general', adminTok, { hours: null });
    expect(open.json()).toMatchObject({ open: true, rule: 'always', hours: null });
    const next = sw.call('13900000004', { entryPoint: '95001' });
    expect(sw.offers.map((o) => o.interactionId)).toEqual([next]);
  });

  it('an entry point sent to another queue takes the next call there; an unknown queue is refused', async () => {
    ready('8002');
    const r = await req('PATCH', '/api/v1/admin/entry-points/general', adminTok, { queue: 'vip' });
    expect(r.json()).toMatchObject({ id: 'general', queue: 'vip' });
    sw.call('13900000005', { entryPoint: '95001' });
    expect(svc.engine.entry(svc.engine.agentSnapshot('8002').entryId!)?.queueId).toBe('vip');
    const bad = await req('PATCH', '/api/v1/admin/entry-points/general', adminTok, { queue: 'nowhere' });
    expect([bad.statusCode, bad.json().error]).toEqual([400, { code: 'INVALID_CONFIG', message: 'queue: unknown queue nowhere' }]);
    expect((await req('GET', '/api/v1/admin/entry-points', adminTok)).json()[0].queue).toBe('vip');
    expect(audits().map((a) => [a.action, a.entryPoint])).toEqual([['entry-point.update', 'general']]);
  });
});

describe('kept across a restart (ADM-2)', () => {
  it('the new ACD gets the created and changed queues and the hours back', async () => {
    await req('POST', '/api/v1/admin/queues', adminTok, { id: 'funds', requiredSkills: [{ skill: 'funds' }], treatment: { overflow: { toQueue: 'overflow', afterMs: 5000 } } }).then((r) => expect(r.statusCode).toBe(400));
    await req('POST', '/api/v1/admin/queues', adminTok, { id: 'overflow', requiredSkills: [] });
    await req('POST', '/api/v1/admin/queues', adminTok, { id: 'funds', requiredSkills: [{ skill: 'funds' }], treatment: { overflow: { toQueue: 'overflow', afterMs: 5000 } } });
    await req('PATCH', '/api/v1/admin/queues/overflow', adminTok, { treatment: { overflow: { toQueue: 'funds', afterMs: 9000 } } });
    await req('PATCH', '/api/v1/admin/queues/general', adminTok, { serviceTimeLimitMs: 45_000 });
    await req('PUT', '/api/v1/admin/hours/general', adminTok, { hours: { holidays: ['2026-11-23'] } });
    await admin.restore(); // as at start: from now on every rules version is kept
    expect(svc.control.applyRules({ pre: [{ id: 'vip-to-funds', when: { customerLevel: ['special'] }, queue: 'funds' }] }, 'admin')).toMatchObject({ ok: true, version: 2 });
    expect(svc.control.applyRules({ pre: [{ id: 'vip-to-overflow', when: { customerLevel: ['special'] }, queue: 'overflow' }] }, 'sup')).toMatchObject({ ok: true, version: 3 });
    await admin.flushed();
    await app.close();
    const again = startAcd();
    ({ app, admin } = await startApp(again.svc));
    expect(again.svc.settings.queue('funds')).toBeUndefined();
    expect(await admin.restore()).toEqual({ queues: ['overflow', 'funds', 'general'], entryPoints: ['general'], ruleVersions: 3, skipped: [] });
    expect(again.svc.control.currentRules()).toMatchObject({ version: 3, author: 'sup', rules: { pre: [{ id: 'vip-to-overflow' }] } });
    expect(again.svc.control.ruleHistory().map((v) => v.version)).toEqual([1, 2, 3]);
    expect(again.svc.control.rollbackRules(2, 'admin')).toMatchObject({ ok: true, version: 4 });
    expect(again.svc.settings.queue('general')?.serviceTimeLimitMs).toBe(45_000);
    expect(again.svc.settings.queue('overflow')?.treatment?.overflow?.toQueue).toBe('funds');
    expect(again.svc.control.queues().map((q) => q.id)).toEqual(['general', 'vip', 'overflow', 'funds']);
    expect((await req('GET', '/api/v1/admin/hours', adminTok)).json()[0]).toMatchObject({ open: false, rule: 'holiday' });
  });
});

describe('OpenAPI (ADM-1)', () => {
  it('declares the administration routes with their bodies', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/admin/queues', '/api/v1/admin/queues/{id}', '/api/v1/admin/hours', '/api/v1/admin/hours/{id}', '/api/v1/admin/entry-points', '/api/v1/admin/entry-points/{id}']));
    expect(doc.paths['/api/v1/admin/queues/{id}'].patch.responses).toHaveProperty('404');
    expect(doc.paths['/api/v1/admin/queues'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NewQueue' });
    expect(Object.keys(doc.components.schemas.NewQueue.properties)).toEqual(expect.arrayContaining(['requiredSkills', 'strategy', 'treatment', 'serviceLevelMs', 'serviceTimeLimitMs', 'serviceTimeReminderMs']));
    expect(doc.components.schemas).toHaveProperty('BusinessHours');
  });
});

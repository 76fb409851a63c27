// Screen-pop and wrap-up routes (issue 7/8: CTI-6, CRM-1, CRM-3, CRM-5) through Fastify inject,
// over the real back-office simulator, the real CallRecorder on SQLite and a real AcdService.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../../acd/service/test-kit.ts';
import { HttpBackOffice, SimulatedBackOffice } from '../../backoffice/index.ts';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import { CallRecorder } from '../../switch/records/call-recorder.ts';
import type { LogEvent } from '../../switch/records/record-events.ts';
import type { InteractionView } from '../../switch/runtime/interaction-view.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';
import { crmRoutes, startOfLocalDay } from './crm-routes.ts';

/** Monday 2026-11-23 10:00 Beijing, in session. */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const CALLER = '13912345678';
let stores: Stores;
let app: FastifyInstance;
let clock: FakeClock;
let sw: FakeSwitch;
let svc: AcdService;
let recorder: CallRecorder;
let backOffice: SimulatedBackOffice;
const views = new Map<string, InteractionView>();
const tok = { sup: '', a1: '', a2: '' };
const auth = (t: string) => ({ authorization: `Bearer ${t}` });

async function addUser(username: string, role: 'supervisor' | 'agent'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return token;
}

const authenticated = { pack: 'securities', authenticated: true, customer: { customerId: 'x', name: '王建国', account: '10000001', kind: 'securities' }, path: ['main', 'agent'], inputs: {} };

/**
 * One customer call through the ACD (FakeSwitch), its legs and the ACD's events fed to the
 * recorder as the runtime would; the live view carries the IVR's call data.
 */
async function customerCall(callData: Record<string, unknown>, talkMs: number, number = CALLER): Promise<string> {
  const ix = sw.call(number, { entryPoint: '95001', callData: callData as never });
  const at = clock.now();
  const leg = (id: string, party: { kind: 'customer' | 'agent'; id: string }, from: string, to: string, t = clock.now()): LogEvent =>
    ({ type: 'leg.state', interaction: ix, leg: id, party, from, to, at: t }) as LogEvent;
  await recorder.publish([leg(`${ix}-c`, { kind: 'customer', id: number }, 'idle', 'ringing', at), { type: 'queue.entered', interaction: ix, queueId: 'general', at } as LogEvent]);
  sw.answer(ix);
  const agent = sw.offers.at(-1)!.agentId;
  await recorder.publish([leg(`${ix}-c`, { kind: 'customer', id: number }, 'ringing', 'connected'), leg(`${ix}-agent`, { kind: 'agent', id: agent }, 'idle', 'connected'),
    { type: 'agent.connected', interaction: ix, agentId: agent, leg: `${ix}-agent`, at: clock.now() } as LogEvent,
    { type: 'interaction.state', interaction: ix, from: 'queued', to: 'talking', action: 'answer', at: clock.now() } as LogEvent]);
  views.set(ix, {
    id: ix, state: 'talking', customer: { number }, callData: callData as never, agentId: agent, queueId: 'general',
    legs: [{ id: `${ix}-agent`, party: { kind: 'agent', id: agent }, direction: 'outbound', state: 'connected', createdAt: at, holdTotalMs: 0 }],
    bridges: [], supervisors: [], recording: false, startedAt: new Date(at).toISOString(),
  });
  clock.advance(talkMs);
  return ix;
}

async function hangUp(ix: string): Promise<void> {
  const agent = views.get(ix)!.agentId!;
  sw.hangUp(ix);
  await recorder.publish([
    { type: 'leg.state', interaction: ix, leg: `${ix}-c`, party: { kind: 'customer', id: views.get(ix)!.customer.number }, from: 'connected', to: 'terminated', at: clock.now() } as LogEvent,
    { type: 'agent.released', interaction: ix, agentId: agent, leg: `${ix}-agent`, by: 'peer', cause: 'normal', at: clock.now() } as LogEvent,
    { type: 'leg.state', interaction: ix, leg: `${ix}-agent`, party: { kind: 'agent', id: agent }, from: 'connected', to: 'terminated', at: clock.now() } as LogEvent,
    { type: 'interaction.ended', interaction: ix, by: 'party', cause: 'normal', at: clock.now() } as LogEvent,
  ]);
  views.delete(ix); // the switch forgets the call
}

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0 - 86_400_000); // the first call is yesterday
  svc = new AcdService({
    clock,
    config: parseAcdConfig({
      agents: [{ id: 'alice', extension: '8001', skills: { general: 5 } }, { id: '8002', skills: { general: 5 } }],
      queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }], wrapUpMs: 120_000 }],
      entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
    }),
  });
  sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  recorder = new CallRecorder(stores.events, stores.callRecords);
  backOffice = new SimulatedBackOffice(clock);
  const deps: ApiDeps = { version: '1.0.0', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}), acd: svc.control, callRecords: stores.callRecords };
  const calls = { get: (id: string) => { const v = views.get(id); if (!v) throw new Error(`no interaction ${id}`); return v; } };
  app = buildHttpApi(deps, { routes: crmRoutes({ calls, records: recorder, backOffice, settings: stores.meta }) });
  await app.ready();
  tok.sup = await addUser('8100', 'supervisor');
  tok.a1 = await addUser('8001', 'agent');
  tok.a2 = await addUser('8002', 'agent');
  svc.control.act('alice', 'login');
  svc.control.act('alice', 'ready');
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

const get = (url: string, t: string) => app.inject({ method: 'GET', url, headers: auth(t) });
const post = (url: string, t: string, payload: object) => app.inject({ method: 'POST', url, headers: auth(t), payload });
const ready = async () => {
  clock.advance(200_000); // any wrap-up has timed out
  if (svc.control.agent('alice').state !== 'ready') svc.control.act('alice', 'ready');
};

describe('screen pop and wrap-up (CTI-6, CRM-1, CRM-3, CRM-5)', () => {
  let past: string[] = [];
  let current = '';

  it('pops the authenticated caller’s back-office profile, status, shareholder accounts and past calls; no secrets', async () => {
    const y = await customerCall({}, 30_000);
    await hangUp(y);
    await ready();
    clock.advance(T0 - clock.now()); // today
    const t = await customerCall(authenticated, 45_000);
    await hangUp(t);
    await ready();
    past = [y, t];
    current = await customerCall(authenticated, 5_000);
    const r = await get(`/api/v1/interactions/${current}/screen-pop`, tok.a1);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.caller).toBe(CALLER);
    expect(body.history).toMatchObject({ total: 2, today: 1, talkMs: 75_000 });
    expect(body.history.items.map((i: { id: string }) => i.id)).toEqual([t, y]);
    expect(body.history.items[0]).toMatchObject({ talkMs: 45_000, disposition: 'answered', agents: ['alice'] });
    expect(body.customer.account).toBe('10000001');
    expect(body.customer.overview.profile).toMatchObject({ name: '王建国', fundAccounts: ['10000001'] });
    expect(body.customer.overview.profile.branch.name.length).toBeGreaterThan(0);
    expect(['standard', 'gold', 'vip']).toContain(body.customer.overview.customerClass);
    expect(body.customer.overview.fundAccounts[0]).toMatchObject({ fundAccount: '10000001', status: 'normal' });
    expect(body.customer.overview.fundAccounts[0].shareholderAccounts.map((s: { id: string }) => s.id)).toEqual(['A100000011', '0100000011']);
    expect(Array.isArray(body.customer.reminders)).toBe(true);
    expect(body.customer.overview.birthday).toBeUndefined();
    expect(r.body).not.toContain('135790');
    expect(r.body).not.toContain('888888');
  });

  it('an agent not on the call gets 403 not-on-call, an unknown call 404 no-call-record; a supervisor reads any', async () => {
    const other = await get(`/api/v1/interactions/${current}/screen-pop`, tok.a2);
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'not-on-call']);
    const none = await get('/api/v1/interactions/nope/screen-pop', tok.a1);
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'no-call-record']);
    expect((await get(`/api/v1/interactions/${current}/screen-pop`, tok.sup)).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/interactions/${current}/screen-pop` })).statusCode).toBe(401);
  });

  it('shows a locked account as a service reminder (CRM-5)', async () => {
    for (const pw of ['1', '2', '3']) await backOffice.loginWithFundAccount('securities', '10000001', pw).catch(() => undefined);
    const body = (await get(`/api/v1/interactions/${current}/screen-pop`, tok.a1)).json();
    expect(body.customer.overview.fundAccounts[0].status).toBe('locked');
    expect(body.customer.reminders).toContainEqual({ kind: 'account-locked', account: '10000001' });
    backOffice.unlock('10000001');
  });

  it('refuses a bad note with typed 4xx codes', async () => {
    await hangUp(current);
    expect(svc.control.agent('alice').state).toBe('wrap-up');
    const url = `/api/v1/interactions/${current}/wrap-up`;
    const noSummary = await post(url, tok.a1, { category: 'trading', selfEvaluation: 'good', summary: '  ' });
    expect(noSummary.statusCode).toBe(400);
    const badEval = await post(url, tok.a1, { category: 'trading', selfEvaluation: 'great', summary: 'x' });
    expect(badEval.statusCode).toBe(400);
    const unknown = await post(url, tok.a1, { category: 'astrology', selfEvaluation: 'good', summary: 'x' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'unknown-category']);
    const notMine = await post(url, tok.a2, { category: 'trading', selfEvaluation: 'good', summary: 'x' });
    expect([notMine.statusCode, notMine.json().error.code]).toEqual([403, 'not-on-call']);
    expect(svc.control.agent('alice').state).toBe('wrap-up');
  });

  it('files the note during wrap-up; done ends the wrap-up; the call record returns it with the customer', async () => {
    const r = await post(`/api/v1/interactions/${current}/wrap-up`, tok.a1, { category: 'account-inquiry', selfEvaluation: 'good', summary: '查询余额', done: true });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ wrapUpEnded: true, agent: { id: 'alice', state: 'ready' }, contact: { agentId: 'alice', category: 'account-inquiry', selfEvaluation: 'good', summary: '查询余额' } });
    expect(svc.control.agent('alice').state).toBe('ready');
    await recorder.publish([{ type: 'agent.wrapup-ended', interaction: current, agentId: 'alice', at: clock.now() } as LogEvent]);
    const rec = (await app.inject({ method: 'GET', url: `/api/v1/call-records/${current}`, headers: auth(tok.sup) })).json();
    expect(rec.contacts).toHaveLength(1);
    expect(rec.contacts[0]).toMatchObject({ agentId: 'alice', category: 'account-inquiry', selfEvaluation: 'good', summary: '查询余额', at: new Date(clock.now()).toISOString() });
    expect(rec.contacts[0].customer).toMatchObject({ account: '10000001', name: '王建国', kind: 'securities', shareholderAccount: 'A100000011' });
    expect(rec.contacts[0].customer.branchName.length).toBeGreaterThan(0);
  });

  it('after the call and its wrap-up, a second note replaces the first; past calls in the next pop show it', async () => {
    clock.advance(60_000);
    const r = await post(`/api/v1/interactions/${current}/wrap-up`, tok.a1, { category: 'complaint', selfEvaluation: 'fair', summary: 'complained about waiting' });
    expect(r.json()).toMatchObject({ wrapUpEnded: false, contact: { category: 'complaint' } });
    const rec = (await app.inject({ method: 'GET', url: `/api/v1/call-records/${current}`, headers: auth(tok.sup) })).json();
    expect(rec.contacts.map((c: { category: string; summary: string }) => [c.category, c.summary])).toEqual([['complaint', 'complained about waiting']]);
    await ready();
    const next = await customerCall(authenticated, 1_000);
    const pop = (await get(`/api/v1/interactions/${next}/screen-pop`, tok.a1)).json();
    expect(pop.history.total).toBe(3);
    expect(pop.history.items[0]).toMatchObject({ id: current, contacts: [{ category: 'complaint', selfEvaluation: 'fair' }] });
    await hangUp(next);
    expect(past).toHaveLength(2);
  });

  it('categories: defaults, replaced by a supervisor only, enforced on the next note', async () => {
    const d = (await get('/api/v1/wrap-up/categories', tok.a1)).json();
    expect(d.isDefault).toBe(true);
    expect(d.categories.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['account-inquiry', 'trading', 'transfer', 'complaint']));
    const list = [{ id: 'ipo', zh: '新股申购', en: 'IPO subscription' }, { id: 'other', zh: '其他', en: 'Other' }];
    expect((await app.inject({ method: 'PUT', url: '/api/v1/wrap-up/categories', headers: auth(tok.a1), payload: list })).statusCode).toBe(403);
    const dup = await app.inject({ method: 'PUT', url: '/api/v1/wrap-up/categories', headers: auth(tok.sup), payload: [...list, list[0]] });
    expect(dup.statusCode).toBe(400);
    const put = await app.inject({ method: 'PUT', url: '/api/v1/wrap-up/categories', headers: auth(tok.sup), payload: list });
    expect(put.json()).toEqual({ categories: list, isDefault: false });
    const old = await post(`/api/v1/interactions/${current}/wrap-up`, tok.a1, { category: 'complaint', selfEvaluation: 'good', summary: 'x' });
    expect(old.json().error.code).toBe('unknown-category');
    expect((await post(`/api/v1/interactions/${current}/wrap-up`, tok.a1, { category: 'ipo', selfEvaluation: 'good', summary: 'x' })).statusCode).toBe(200);
  });

  it('a back office that does not answer: the pop still has the history, the customer with error unavailable and no profile', async () => {
    await ready();
    const ix = await customerCall(authenticated, 1_000);
    const calls = { get: (id: string) => { const v = views.get(id); if (!v) throw new Error(`no interaction ${id}`); return v; } };
    const deps: ApiDeps = { version: '1.0.0', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}), acd: svc.control, callRecords: stores.callRecords };
    const down = buildHttpApi(deps, { routes: crmRoutes({ calls, records: recorder, backOffice: new HttpBackOffice({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 }), settings: stores.meta }) });
    try {
      const r = await down.inject({ method: 'GET', url: `/api/v1/interactions/${ix}/screen-pop`, headers: auth(tok.a1) });
      expect(r.statusCode).toBe(200);
      expect(r.json().customer).toEqual({ account: '10000001', kind: 'securities', reminders: [], error: 'unavailable' });
      expect(r.json().history.total).toBeGreaterThan(0);
    } finally {
      await down.close();
      await hangUp(ix);
    }
  });

  it('"today" starts at midnight in the center time zone', () => {
    expect(startOfLocalDay(Date.UTC(2026, 10, 22, 23, 30), 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 22, 16, 0));
    expect(startOfLocalDay(Date.UTC(2026, 10, 23, 15, 59, 59, 999), 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 22, 16, 0));
    expect(startOfLocalDay(Date.UTC(2026, 10, 23, 12), 'UTC')).toBe(Date.UTC(2026, 10, 23));
  });

  it('the OpenAPI document lists the routes with their typed 4xx answers', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const wrap = doc.paths['/api/v1/interactions/{id}/wrap-up'].post;
    expect(Object.keys(wrap.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409']));
    expect(JSON.stringify(wrap.responses['400'])).toContain('CrmError');
    expect(doc.components.schemas.CrmError.properties.error.properties.code.enum).toEqual(expect.arrayContaining(['unknown-category', 'not-on-call', 'no-call-record']));
    expect(doc.paths['/api/v1/interactions/{id}/screen-pop'].get).toBeDefined();
    expect(doc.paths['/api/v1/wrap-up/categories'].put).toBeDefined();
  });
});

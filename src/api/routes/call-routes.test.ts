import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_ERROR_CODE_LIST } from '../../switch/model/index.ts';
import { runtimeKit, settle } from '../../switch/runtime/test-kit.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';
import { callRoutes } from './call-routes.ts';

let stores: Stores;
let app: FastifyInstance;
let k: ReturnType<typeof runtimeKit>;
const tok: Record<string, string> = {};

async function user(username: string, role: 'admin' | 'agent' | 'supervisor'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date() });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date() });
  return token;
}

const post = (url: string, who: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tok[who]}` }, payload });
const get = (url: string, who: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tok[who]}` } });

/** A fresh customer call in the general queue, answered by agent 8001. */
async function talkingCall(): Promise<{ ix: string; cust: string; agent: string }> {
  const cust = k.gateway.inbound(`1380000${Math.floor(Math.random() * 9000 + 1000)}`, '95001');
  await settle();
  const ix = k.queue.enqueued.at(-1)!.interactionId;
  await k.runtime.offerToAgent(ix, '8001', { autoAnswer: true, ringTimeoutMs: 1000 });
  await settle();
  const agent = k.gateway.legTo('8001');
  k.gateway.emit({ type: 'answered', legId: agent });
  await settle();
  return { ix, cust, agent };
}

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  k = runtimeKit();
  const deps: ApiDeps = { version: 't', clock: { now: () => Date.now(), setTimeout: () => ({ cancel() {} }) }, realm: 'r', startedAt: 0, stores, components: async () => ({}) };
  app = buildHttpApi(deps, { routes: callRoutes(k.runtime) });
  await app.ready();
  tok.a1 = await user('8001', 'agent');
  tok.a2 = await user('8002', 'agent');
  tok.sup = await user('8100', 'supervisor');
  tok.admin = await user('admin', 'admin');
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

describe('call data over HTTP (CTI-5, CRM-1)', () => {
  it('an agent attaches data but not the customer identity, which is the IVR’s (or an admin’s) to set', async () => {
    const { ix } = await talkingCall();
    expect((await post(`/api/v1/interactions/${ix}/data`, 'a1', { callData: { ticket: 'T-1' } })).statusCode).toBe(200);
    for (const callData of [{ authenticated: true }, { customer: { account: '10000001' } }]) {
      const r = await post(`/api/v1/interactions/${ix}/data`, 'a1', { callData });
      expect([r.statusCode, r.json().error.code]).toEqual([403, 'forbidden']);
    }
    const admin = await post(`/api/v1/interactions/${ix}/data`, 'admin', { callData: { authenticated: true, customer: { account: '10000001' } } });
    expect(admin.json().callData).toMatchObject({ ticket: 'T-1', authenticated: true, customer: { account: '10000001' } });
    await post(`/api/v1/interactions/${ix}/hangup`, 'a1');
  });
});

describe('call API: call control over HTTP (CTI-1, CTI-2)', () => {
  it('hold and retrieve by the handling agent; the view shows the state and the music', async () => {
    const { ix, cust } = await talkingCall();
    const r = await post(`/api/v1/interactions/${ix}/hold`, 'a1');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: ix, state: 'on-hold', agentId: '8001' });
    expect(k.media.hears(cust)).toEqual(['music']);
    expect((await post(`/api/v1/interactions/${ix}/retrieve`, 'a1')).json().state).toBe('talking');
    const list = await get('/api/v1/calls', 'a1');
    expect(list.json().map((v: { id: string }) => v.id)).toContain(ix);
    expect((await get('/api/v1/calls', 'a2')).json().map((v: { id: string }) => v.id)).not.toContain(ix);
  });

  it('make call answers 202 with the interaction; an unroutable number is 422', async () => {
    const r = await post('/api/v1/calls', 'a2', { number: '913900000000' });
    expect(r.statusCode).toBe(202);
    expect((await get(`/api/v1/interactions/${r.json().interactionId}`, 'a2')).json().state).toBe('ringing');
    const bad = await post('/api/v1/calls', 'a2', { number: '42' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('no-route');
  });
});

describe('call API: every illegal operation is 409 with a typed code (CTI-1..CTI-4, SUP-2)', () => {
  it.each([
    ['retrieve a call not on hold', 'a1', 'retrieve', {}, 'NOT_ON_HOLD'],
    ['complete a transfer with no consult', 'a1', 'transfer', {}, 'NO_CONSULT'],
    ['complete a conference with no consult', 'a1', 'conference', {}, 'NO_CONSULT'],
    ['alternate with no consult', 'a1', 'alternate', {}, 'NO_CONSULT'],
    ['reconnect with no consult', 'a1', 'reconnect', {}, 'NO_CONSULT'],
    ['hold by an agent not on the call (admin acting for 8003)', 'admin', 'hold', { agentId: '8003' }, 'AGENT_NOT_ON_CALL'],
  ])('%s', async (_n, who, op, body, code) => {
    const { ix } = await talkingCall();
    const r = await post(`/api/v1/interactions/${ix}/${op}`, who, body);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe(code);
  });

  it('hold twice is ALREADY_ON_HOLD; consult twice is CONSULT_IN_PROGRESS; anything after the end is INTERACTION_ENDED', async () => {
    const { ix, cust } = await talkingCall();
    await post(`/api/v1/interactions/${ix}/hold`, 'a1');
    expect((await post(`/api/v1/interactions/${ix}/hold`, 'a1')).json().error.code).toBe('ALREADY_ON_HOLD');
    await post(`/api/v1/interactions/${ix}/consult`, 'a1', { target: { agentId: '8004' } });
    const again = await post(`/api/v1/interactions/${ix}/consult`, 'a1', { target: { number: '913900000000' } });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'CONSULT_IN_PROGRESS']);
    const early = await post(`/api/v1/interactions/${ix}/transfer`, 'a1');
    expect(early.json().error.code).toBe('CONSULT_NOT_ANSWERED');
    k.gateway.emit({ type: 'hangup', legId: cust, cause: 'bye' });
    await settle();
    // ended interactions stay readable but refuse every operation
    expect((await get(`/api/v1/interactions/${ix}`, 'a1')).json().state).toBe('ended');
    const after = await post(`/api/v1/interactions/${ix}/hold`, 'a1');
    expect([after.statusCode, after.json().error.code]).toEqual([409, 'INTERACTION_ENDED']);
  });

  it('monitoring an idle agent is 409 AGENT_NOT_ON_CALL; a supervisor already listening is ALREADY_SUPERVISED', async () => {
    const idle = await post('/api/v1/agents/8009/monitor', 'sup');
    expect([idle.statusCode, idle.json().error.code]).toEqual([409, 'AGENT_NOT_ON_CALL']);
    await talkingCall();
    expect((await post('/api/v1/agents/8001/monitor', 'sup')).statusCode).toBe(200);
    const twice = await post('/api/v1/agents/8001/monitor', 'sup');
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'ALREADY_SUPERVISED']);
    const intercept = await post('/api/v1/agents/8001/intercept', 'sup');
    expect([intercept.statusCode, intercept.json().error.code]).toEqual([409, 'NOT_SUPERVISING']);
    await post('/api/v1/agents/8001/force-release', 'sup');
  });
});

describe('call API: roles (ADM-1)', () => {
  it('an agent may not act for another agent or supervise; unknown interactions are 404', async () => {
    const { ix } = await talkingCall();
    expect((await post(`/api/v1/interactions/${ix}/hold`, 'a2', { agentId: '8001' })).statusCode).toBe(403);
    expect((await post('/api/v1/agents/8001/monitor', 'a2')).statusCode).toBe(403);
    const nf = await post('/api/v1/interactions/nope/hold', 'a1');
    expect([nf.statusCode, nf.json().error.code]).toEqual([404, 'no-such-interaction']);
    expect((await post(`/api/v1/interactions/${ix}/hold`, 'admin')).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/v1/interactions/${ix}/hold`, payload: {} })).statusCode).toBe(401);
    await post(`/api/v1/interactions/${ix}/hangup`, 'a1');
  });

  it('the OpenAPI document lists every call-model code with its meaning', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const conflict = doc.components.schemas.CallConflict;
    expect(conflict.properties.error.properties.code.enum).toEqual(CALL_ERROR_CODE_LIST);
    for (const code of CALL_ERROR_CODE_LIST) expect(conflict.description).toContain(code);
    expect(doc.paths['/api/v1/interactions/{id}/hold'].post.responses['409']).toBeDefined();
    expect(doc.paths['/api/v1/agents/{id}/barge'].post.security).toEqual([{ bearer: [] }]);
  });
});

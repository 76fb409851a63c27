// ADM-1 may-dial-out over HTTP: outside numbers refused 403 dial-out-not-allowed (declared in OpenAPI), inside numbers allowed.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeKit, settle, talkingCall } from '../../switch/runtime/test-kit.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
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

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  k = runtimeKit();
  k.runtime.setDialOutPolicy((id) => id === '8002');
  app = buildHttpApi({ version: 't', clock: { now: () => Date.now(), setTimeout: () => ({ cancel() {} }) }, realm: 'r', startedAt: 0, stores, components: async () => ({}) }, { routes: callRoutes(k.runtime) });
  await app.ready();
  tok.a1 = await user('8001', 'agent');
  tok.a2 = await user('8002', 'agent');
});
afterAll(async () => {
  await app.close();
  await stores.close();
});

describe('may-dial-out over the call API (ADM-1, CTI-1, CTI-3, CTI-4)', () => {
  it('make call to an outside number: 403 dial-out-not-allowed without the right, 202 with it; an extension always', async () => {
    const refused = await post('/api/v1/calls', 'a1', { number: '913900000000' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'dial-out-not-allowed']);
    expect((await post('/api/v1/calls', 'a1', { number: '8003' })).statusCode).toBe(202);
    expect((await post('/api/v1/calls', 'a2', { number: '913900000000' })).statusCode).toBe(202);
  });

  it('consult and blind transfer to an outside number are refused the same way; the call goes on', async () => {
    const { ix } = await talkingCall(k, '13800000077');
    const consult = await post(`/api/v1/interactions/${ix}/consult`, 'a1', { target: { number: '913900000000' } });
    expect([consult.statusCode, consult.json().error.code]).toEqual([403, 'dial-out-not-allowed']);
    const blind = await post(`/api/v1/interactions/${ix}/blind-transfer`, 'a1', { to: { kind: 'external', number: '913900000000' } });
    expect([blind.statusCode, blind.json().error.code]).toEqual([403, 'dial-out-not-allowed']);
    await settle();
    expect(k.runtime.get(ix).state).toBe('talking');
  });

  it('GET /api/v1/dialling tells the desktop whether it may dial out and which numbers are inside', async () => {
    const get = (who: string) => app.inject({ method: 'GET', url: '/api/v1/dialling', headers: { authorization: `Bearer ${tok[who]}` } });
    expect((await get('a1')).json()).toEqual({ mayDialOut: false, extensions: [{ from: '8000', to: '8999' }], serviceNumbers: ['95000', '95001'] });
    expect((await get('a2')).json()).toMatchObject({ mayDialOut: true });
    const other = await app.inject({ method: 'GET', url: '/api/v1/dialling?agentId=8002', headers: { authorization: `Bearer ${tok.a1}` } });
    expect(other.statusCode).toBe(403);
  });

  it('OpenAPI declares the 403 with its typed code on the dialling routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.schemas.DialOutRefused.properties.error.properties.code.enum).toContain('dial-out-not-allowed');
    for (const path of ['/api/v1/calls', '/api/v1/interactions/{id}/consult', '/api/v1/interactions/{id}/blind-transfer']) {
      expect(JSON.stringify(doc.paths[path].post.responses['403'])).toContain('DialOutRefused');
    }
  });
});

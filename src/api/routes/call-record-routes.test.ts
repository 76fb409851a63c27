// Call-record routes through Fastify inject, over the SQLite record store filled by the
// real projection of real call-model operations (issue 4 item 5, CTI-1, RPT-2, ADM-1).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { hashPassword, newBearerToken } from '../../store/password-hash.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import { acceptInbound, answer, consult, completeTransfer, hangup, hold, offer, retrieve } from '../../switch/model/index.ts';
import { legOf } from '../../switch/model/test-kit.ts';
import { CallRecordProjection } from '../../switch/records/call-record-projection.ts';
import type { RecordBundle } from '../../switch/records/call-record.ts';
import { Tape } from '../../switch/records/test-tape.ts';
import type { ApiDeps } from '../api-deps.ts';
import { buildHttpApi } from '../http-api.ts';

const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);
let stores: Stores;
let app: FastifyInstance;
let bare: FastifyInstance;
const tok = { sup: '', agent: '' };
const auth = (t: string) => ({ authorization: `Bearer ${t}` });
let ids: string[] = [];

async function addUser(username: string, role: 'supervisor' | 'agent'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date(T0) });
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return token;
}

/** Three calls a minute apart: answered with hold by 8001; abandoned in queue; transferred 8001 -> 8002. */
function calls(): RecordBundle[] {
  const t = new Tape(T0);
  const a = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000001' }, { kind: 'queue', queueId: 'funds' })).interaction;
  t.advance(2_000);
  t.op(offer(a, '8001'));
  t.advance(1_000);
  t.op(answer(a, legOf(a, 'agent', '8001')));
  t.op(hold(a, '8001'));
  t.advance(5_000);
  t.op(retrieve(a, '8001'));
  t.advance(10_000);
  t.op(hangup(a, a.customerLeg));
  t.advance(42_000);
  const b = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000002' }, { kind: 'queue', queueId: 'funds' })).interaction;
  t.advance(30_000);
  t.op(hangup(b, b.customerLeg));
  t.advance(30_000);
  const c = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000003' }, { kind: 'queue', queueId: 'stocks' })).interaction;
  t.op(offer(c, '8001'));
  t.op(answer(c, legOf(c, 'agent', '8001')));
  t.op(consult(c, '8001', { kind: 'agent', agentId: '8002' }));
  t.op(answer(c, legOf(c, 'agent', '8002')));
  t.op(completeTransfer(c, '8001'));
  t.advance(20_000);
  t.op(hangup(c, c.customerLeg));
  ids = [a.id, b.id, c.id];
  const p = new CallRecordProjection();
  return t.entries.map((e) => p.apply(e)).filter((x) => x !== undefined);
}

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  await stores.callRecords.upsert(calls());
  const deps: ApiDeps = { version: '1.0.0', clock: new FakeClock(T0), realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
  app = buildHttpApi({ ...deps, callRecords: stores.callRecords });
  bare = buildHttpApi(deps);
  await Promise.all([app.ready(), bare.ready()]);
  tok.sup = await addUser('8100', 'supervisor');
  tok.agent = await addUser('8001', 'agent');
});
afterAll(async () => {
  await Promise.all([app.close(), bare.close()]);
  await stores.close();
});

const get = (url: string, t = tok.sup, on = app) => on.inject({ method: 'GET', url, headers: auth(t) });
const idsOf = (body: { items: { id: string }[] }) => body.items.map((r) => r.id);

describe('GET /api/v1/call-records (CTI-1, RPT-2)', () => {
  it('lists records newest first with ISO times, durations in ms, and the total', async () => {
    const r = await get('/api/v1/call-records');
    expect(r.statusCode).toBe(200);
    const body = r.json() as { total: number; limit: number; offset: number; items: Record<string, unknown>[] };
    expect([body.total, body.limit, body.offset, idsOf(body as never)]).toEqual([3, 50, 0, [ids[2], ids[1], ids[0]]]);
    expect(body.items[2]).toMatchObject({
      id: ids[0], direction: 'inbound', customer: '13800000001', queueId: 'funds', agents: ['8001'], disposition: 'answered', status: 'ended',
      startedAt: new Date(T0).toISOString(), answeredAt: new Date(T0 + 3_000).toISOString(), endedAt: new Date(T0 + 18_000).toISOString(),
      queueMs: 2_000, ringMs: 1_000, talkMs: 10_000, holdMs: 5_000, holdCount: 1, hungUpBy: 'customer', cause: 'normal',
      wrapups: [{ agentId: '8001', startedAt: new Date(T0 + 18_000).toISOString() }],
    });
    expect(body.items[2]).not.toHaveProperty('lastSeq');
    expect(body.items[1]).not.toHaveProperty('answeredAt'); // unknown fields are left out, not null
  });

  it.each([
    ['disposition=abandoned-queue', [1]],
    ['disposition=transferred', [2]],
    ['agent=8002', [2]],
    ['agent=8001', [2, 0]],
    ['number=13800000002', [1]],
    [`from=${new Date(T0 + 60_000).toISOString()}`, [2, 1]],
    [`from=${new Date(T0 + 60_000).toISOString()}&to=${new Date(T0 + 120_000).toISOString()}`, [1]],
    ['limit=1&offset=1', [1]],
    ['agent=9999', []],
  ])('filters: %s', async (q, want) => {
    const r = await get(`/api/v1/call-records?${q}`);
    expect(r.statusCode).toBe(200);
    expect(idsOf(r.json())).toEqual(want.map((i) => ids[i]));
  });

  it.each(['disposition=lost', 'from=yesterday', 'limit=0', 'limit=5000', 'offset=-1', 'colour=red'])('answers 400 to a bad query: %s', async (q) => {
    const r = await get(`/api/v1/call-records?${q}`);
    expect([r.statusCode, (r.json() as { error: { code: string } }).error.code]).toEqual([400, 'invalid-request']);
  });

  it('needs a supervisor token, and a record store', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/call-records' })).statusCode).toBe(401);
    expect((await get('/api/v1/call-records', tok.agent)).statusCode).toBe(403);
    const r = await get('/api/v1/call-records', tok.sup, bare);
    expect([r.statusCode, (r.json() as { error: { code: string } }).error.code]).toEqual([503, 'unavailable']);
  });
});

describe('GET /api/v1/call-records/:id (CTI-1, CTI-3)', () => {
  it('returns the record with its legs', async () => {
    const r = await get(`/api/v1/call-records/${ids[2]}`);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { disposition: string; transfers: number; legs: { party: { kind: string; id: string }; durationMs: number; endAt: string; cause?: string }[] };
    expect([body.disposition, body.transfers]).toEqual(['transferred', 1]);
    expect(body.legs.map((l) => `${l.party.kind}:${l.party.id}`)).toEqual(['customer:13800000003', 'agent:8001', 'agent:8002']);
    expect(body.legs[1]).toMatchObject({ cause: 'transferred', endedBy: 'system' });
    expect(body.legs[2]).toMatchObject({ durationMs: 20_000, endAt: new Date(T0 + 140_000).toISOString() });
  });

  it('answers 404 for an unknown id', async () => {
    const r = await get('/api/v1/call-records/ix-404');
    expect([r.statusCode, (r.json() as { error: { code: string } }).error.code]).toEqual([404, 'not-found']);
  });

  it('is documented in /openapi.json', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/call-records'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/api/v1/call-records/{id}'] ?? {})).toContain('get');
  });
});

// `hotline agent|agents|queues` against a server with a running ACD, as people run them (issue 5, ACD-3, SUP-1).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotlineCli } from '../../test/support/server.ts';
import { AcdService, parseAcdConfig } from '../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../acd/service/test-kit.ts';
import { buildHttpApi } from '../api/http-api.ts';
import { FakeClock } from '../shared/clock.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0, 5);
let stores: Stores;
let app: FastifyInstance;
let bare: FastifyInstance;
let sw: FakeSwitch;
let clock: FakeClock;
let token = '';
const urls = { acd: '', bare: '' };

const cli = (...args: string[]) => runHotlineCli([...args, '--server', urls.acd, '--token', token]);

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  clock = new FakeClock(T0);
  const svc = new AcdService({
    clock,
    config: parseAcdConfig({ agents: [{ id: '8001', name: 'Alice Wong' }, { id: '8002' }], queues: [{ id: 'general', name: 'General' }], entryPoints: [{ id: 'g', numbers: ['95001'], queue: 'general' }] }),
  });
  sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  await stores.users.put({ username: 'admin', passwordHash: await hashPassword('pw'), role: 'admin', enabled: true, createdAt: new Date(T0) });
  const t = newBearerToken();
  token = t.token;
  await stores.apiTokens.put({ id: 'admin-t', tokenHash: t.hash, username: 'admin', label: 'test', createdAt: new Date(T0) });
  const deps = { version: '1', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
  app = buildHttpApi({ ...deps, acd: svc.control });
  bare = buildHttpApi(deps);
  urls.acd = await app.listen({ host: '127.0.0.1', port: 0 });
  urls.bare = await bare.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await Promise.all([app?.close(), bare?.close()]);
  await stores?.close();
});

describe('hotline agent / agents / queues (ACD-3, SUP-1)', () => {
  it('agent login, ready and notready by extension; agents shows the states', async () => {
    const login = await cli('agent', 'login', '8001');
    expect([login.code, login.stdout.trim(), login.stderr]).toEqual([0, 'agent 8001 (8001): not-ready (login)', '']);
    expect((await cli('agent', 'ready', '8001')).stdout.trim()).toBe('agent 8001 (8001): ready');
    const pause = await cli('agent', 'notready', '8001', '--reason', 'lunch', '--json');
    expect(JSON.parse(pause.stdout)).toMatchObject({ id: '8001', state: 'not-ready', reason: 'lunch' });
    const [json, table] = await Promise.all([cli('agents', '--json'), cli('agents')]);
    expect((JSON.parse(json.stdout) as { id: string; state: string }[]).map((a) => [a.id, a.state])).toEqual([
      ['8001', 'not-ready'],
      ['8002', 'logged-out'],
    ]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+EXT\s+NAME\s+STATE\s+SINCE\s+ANSWERED\s+RONA\s+CALL$/);
    expect(lines[1]).toMatch(/^8001\s+8001\s+Alice Wong\s+not-ready \(lunch\)\s+02:00:05\s+0\s+0$/);
  });

  it('a forbidden request prints the typed reason and fails', async () => {
    const r = await cli('agent', 'ready', '8002');
    expect([r.code, r.stderr]).toEqual([1, 'hotline: agent 8002: ready not allowed in state logged-out (NOT_LOGGED_IN) (HTTP 409)\n']);
    const unknown = await cli('agent', 'logout', '9999');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'hotline: no agent 9999 (HTTP 404)\n']);
  });

  it('queues --json and the table show a waiting call', async () => {
    sw.call('13900000001', { entryPoint: '95001' });
    clock.advance(7_000);
    const [json, table] = await Promise.all([cli('queues', '--json'), cli('queues')]);
    expect(JSON.parse(json.stdout)).toMatchObject([{ id: 'general', name: 'General', waiting: 1, longestWaitSec: 7, serviceLevel: null }]);
    expect(table.stdout.trimEnd().split('\n')[1]).toMatch(/^general\s+General\s+1\s+7s\s+-@20s\s+-\s+1\s+0\s+0$/);
  });

  it('says so when the server runs no ACD', async () => {
    const r = await runHotlineCli(['agents', '--json', '--server', urls.bare, '--token', token]);
    expect([r.code, r.stderr]).toEqual([1, 'hotline: the ACD is not running on this server (no ACD configuration is wired in) (HTTP 503)\n']);
  });
});

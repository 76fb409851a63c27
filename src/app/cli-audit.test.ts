// `hotline audit` against a server that keeps the operation log, as people run it (issue 7, ADM-3).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotlineCli } from '../../test/support/server.ts';
import { AcdService, parseAcdConfig } from '../acd/service/index.ts';
import { FakeSwitch, RecordingTreatment } from '../acd/service/test-kit.ts';
import { buildHttpApi } from '../api/http-api.ts';
import { AuditRecorder } from '../api/routes/audit-recorder.ts';
import { FakeClock } from '../shared/clock.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { auditPath } from './cli-audit.ts';

const T0 = Date.UTC(2026, 11, 6, 8, 30, 5);
let stores: Stores;
let app: FastifyInstance;
let url = '';
const tokens: Record<string, string> = {};

const cli = (...args: string[]) => runHotlineCli([...args, '--server', url, '--token', tokens['admin']!]);

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  const clock = new FakeClock(T0);
  const svc = new AcdService({ clock, config: parseAcdConfig({ agents: [{ id: '8001' }, { id: '8002' }], queues: [{ id: 'general' }], entryPoints: [{ id: 'g', numbers: ['95001'], queue: 'general' }] }) });
  const sw = new FakeSwitch(clock);
  sw.queuePort = svc;
  svc.attach(sw, new RecordingTreatment(sw));
  for (const [u, role] of [['admin', 'admin'], ['8001', 'agent']] as const) {
    await stores.users.put({ username: u, passwordHash: await hashPassword('pw'), role, enabled: true, createdAt: new Date(T0) });
    const t = newBearerToken();
    tokens[u] = t.token;
    await stores.apiTokens.put({ id: `${u}-t`, tokenHash: t.hash, username: u, label: 'test', createdAt: new Date(T0) });
  }
  app = buildHttpApi({ version: '1', clock, realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}), acd: svc.control, audit: new AuditRecorder(stores.audit) });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  const post = (path: string, who: string) => app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${tokens[who]}` } });
  await post('/api/v1/agents/8001/login', '8001');
  await post('/api/v1/agents/8001/ready', '8001');
  await post('/api/v1/agents/8002/lock', 'admin');
  await post('/api/v1/agents/8002/ready', 'admin');
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
});

describe('hotline audit (ADM-3)', () => {
  it('prints the log newest first as a table, with refused actions and their code', async () => {
    const r = await cli('audit');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^AT\s+ACTOR\s+ROLE\s+ACTION\s+TARGET\s+OUTCOME\s+FROM/);
    expect(rows.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 6).join(' '))).toEqual([
      'admin admin agent.ready 8002 AGENT_LOCKED (409)',
      'admin admin agent.lock 8002 ok',
      '8001 agent agent.ready 8001 ok',
      '8001 agent agent.login 8001 ok',
    ]);
    expect(rows[1]).toContain('2026-12-06 08:30:05');
  });

  it('filters by actor and action prefix; --json prints the entries', async () => {
    const r = await cli('audit', '--actor', '8001', '--action', 'agent.*', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { action: string; actor: string }[]).map((e) => `${e.actor} ${e.action}`)).toEqual(['8001 agent.ready', '8001 agent.login']);
    expect(auditPath({ actor: 'a b', limit: '5' })).toBe('/api/v1/audit?actor=a+b&limit=5');
    expect((await cli('audit', '--actor', 'nobody')).stdout.trim()).toBe('no entries');
  });

  it('an agent’s token is refused', async () => {
    const r = await runHotlineCli(['audit', '--server', url, '--token', tokens['8001']!]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/403|forbidden|requires role supervisor/);
  });
});

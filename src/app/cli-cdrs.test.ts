// `hotline cdrs` against an HTTP API serving real call records, as people run it (child
// processes of bin/hotline.js), plus the pure helpers (issue 4 item 6, OPS-4, CTI-1).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHotlineCli } from '../../test/support/server.ts';
import { buildHttpApi } from '../api/http-api.ts';
import { FakeClock } from '../shared/clock.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { acceptInbound, answer, hangup, hold, offer, retrieve } from '../switch/model/index.ts';
import { legOf } from '../switch/model/test-kit.ts';
import { CallRecordProjection } from '../switch/records/call-record-projection.ts';
import { Tape } from '../switch/records/test-tape.ts';
import { cdrCsv, cdrDetail, cdrQuery, duration, parseInstant } from './cli-cdrs.ts';

// Records start "now" (the CLI resolves --since against the real clock).
const T0 = Date.now() - 10 * 60_000;
let stores: Stores;
let app: FastifyInstance;
let url = '';
let token = '';
const ids: string[] = [];
const cli = (...args: string[]) => runHotlineCli([...args, '--server', url, '--token', token]);

beforeAll(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  const t = new Tape(T0);
  const a = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000001' }, { kind: 'queue', queueId: 'funds' })).interaction;
  t.advance(4_000);
  t.op(offer(a, '8001'));
  t.advance(2_000);
  t.op(answer(a, legOf(a, 'agent', '8001')));
  t.op(hold(a, '8001'));
  t.advance(15_000);
  t.op(retrieve(a, '8001'));
  t.advance(65_000);
  t.op(hangup(a, a.customerLeg));
  t.advance(5 * 60_000); // the second call started 5 minutes ago or less
  const b = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000002' }, { kind: 'ivr', script: 'main.vxml' })).interaction;
  t.advance(20_000);
  t.op(hangup(b, b.customerLeg));
  ids.push(a.id, b.id);
  const p = new CallRecordProjection();
  await stores.callRecords.upsert(t.entries.map((e) => p.apply(e)).filter((x) => x !== undefined));
  await stores.users.put({ username: 'admin', passwordHash: await hashPassword('pw'), role: 'admin', enabled: true, createdAt: new Date(T0) });
  const tk = newBearerToken();
  token = tk.token;
  await stores.apiTokens.put({ id: 'admin-t', tokenHash: tk.hash, username: 'admin', label: 'test', createdAt: new Date(T0) });
  app = buildHttpApi({ version: '1', clock: new FakeClock(T0), realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}), callRecords: stores.callRecords });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
});

describe('hotline cdrs (OPS-4, CTI-1)', () => {
  it('--json prints the API page; --since 5m keeps only the recent call', async () => {
    const [all, recent] = await Promise.all([cli('cdrs', '--json'), cli('cdrs', '--since', '5m', '--json')]);
    expect(all.code, all.stderr).toBe(0);
    const page = JSON.parse(all.stdout) as { total: number; items: { id: string; disposition: string }[] };
    expect([page.total, page.items.map((r) => [r.id, r.disposition])]).toEqual([2, [[ids[1], 'abandoned-ivr'], [ids[0], 'answered']]]);
    expect((JSON.parse(recent.stdout) as { items: { id: string }[] }).items.map((r) => r.id)).toEqual([ids[1]]);
  });

  it('prints an aligned table by default, with filters', async () => {
    const r = await cli('cdrs', '--agent', '8001');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^START\s+ID\s+DIR\s+CUSTOMER\s+QUEUE\s+AGENTS\s+DISPOSITION\s+WAIT\s+TALK\s+HOLD\s+HUNG UP BY$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+${ids[0]}\\s+in\\s+13800000001\\s+funds\\s+8001\\s+answered\\s+0:06\\s+1:05\\s+0:15 \\(1\\)\\s+customer$`));
    expect(lines[1]!.indexOf('answered')).toBe(lines[0]!.indexOf('DISPOSITION'));
    const none = await cli('cdrs', '--disposition', 'failed');
    expect(none.stdout.trim()).toBe('no call records');
  });

  it('shows one record with its legs', async () => {
    const r = await cli('cdrs', ids[0]!);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^id\s+ix-1$/m);
    expect(r.stdout).toMatch(/^talk \/ hold\s+1:05 \/ 0:15 \(1 holds\)$/m);
    expect(r.stdout).toMatch(/^hung up by\s+customer 13800000001 \(normal\)$/m);
    expect(r.stdout).toMatch(/^LEG\s+PARTY\s+DIR\s+CREATED\s+ANSWERED\s+ENDED\s+DURATION\s+HOLD\s+END$/m);
    expect(r.stdout).toMatch(/agent:8001\s+out\s.*\s1:20\s+0:00\s+peer normal$/m);
    const missing = await cli('cdrs', 'ix-404');
    expect([missing.code, missing.stderr]).toEqual([1, 'hotline: no call record ix-404 (HTTP 404)\n']);
  });

  it('--csv prints a header and one RFC 4180 row per record', async () => {
    const r = await cli('cdrs', '--csv');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\r\n');
    expect(rows.pop()).toBe('');
    expect(rows[0]!.split(',').slice(0, 8)).toEqual(['id', 'direction', 'customer', 'entryPoint', 'ivrScript', 'queueId', 'agents', 'disposition']);
    expect(rows.slice(1).map((l) => l.split(',')[0])).toEqual([ids[1], ids[0]]);
    expect(rows[2]!.split(',').slice(1, 8)).toEqual(['inbound', '13800000001', '', '', 'funds', '8001', 'answered']);
    const both = await cli('cdrs', '--csv', '--json');
    expect([both.code, both.stderr]).toEqual([2, 'hotline: --json and --csv exclude each other\n']);
  });

  it('refuses a --since it cannot read, with one line and exit code 2', async () => {
    const r = await cli('cdrs', '--since', 'last tuesday');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hotline: "last tuesday" is neither an age like 30m, 1h, 2d nor an ISO 8601 date-time/);
  });
});

describe('cdrs helpers', () => {
  const now = Date.UTC(2026, 0, 5, 12, 0, 0);
  it.each([
    ['90s', '2026-01-05T11:58:30.000Z'],
    ['15m', '2026-01-05T11:45:00.000Z'],
    ['1h', '2026-01-05T11:00:00.000Z'],
    ['1.5h', '2026-01-05T10:30:00.000Z'],
    ['2d', '2026-01-03T12:00:00.000Z'],
    ['1w', '2025-12-29T12:00:00.000Z'],
    ['2026-01-05T09:00:00+08:00', '2026-01-05T01:00:00.000Z'],
    ['2026-01-05T09:00Z', '2026-01-05T09:00:00.000Z'],
  ])('parseInstant(%s)', (text, iso) => expect(parseInstant(text, now)).toBe(iso));

  it.each(['', '1y', '-1h', '2026-01-05', 'yesterday', '2026-13-45T00:00:00Z'])('parseInstant refuses %j', (text) => {
    expect(() => parseInstant(text, now)).toThrow(/neither an age/);
  });

  it('quotes CSV fields that need it', () => {
    const csv = cdrCsv([{ id: 'ix,1', customer: 'say "hi"', agents: ['8001', '8002'], direction: 'inbound' } as never]);
    expect(csv.split('\r\n')[1]!.startsWith('"ix,1",inbound,"say ""hi""",,,,8001 8002,')).toBe(true);
  });

  it('CSV and detail carry the wrap-up notes (CRM-3)', () => {
    const contacts = [
      { agentId: '8005', at: '2026-01-05T12:00:00.000Z', category: 'account-inquiry', selfEvaluation: 'good', summary: '查询余额, 已解答', customer: { account: '10000001', name: '王建国' } },
      { agentId: '8006', at: '2026-01-05T12:01:00.000Z', category: 'complaint', selfEvaluation: 'fair', summary: 'waited' },
    ];
    const csv = cdrCsv([{ id: 'ix1', customer: '1', agents: [], direction: 'inbound', contacts } as never]).split('\r\n');
    expect(csv[0]!.endsWith(',recording,category,selfEvaluation,summary,account')).toBe(true);
    expect(csv[1]!.endsWith(',account-inquiry | complaint,good | fair,"查询余额, 已解答 | waited",10000001 | ')).toBe(true);
    const detail = cdrDetail({ id: 'ix1', direction: 'inbound', customer: '1', agents: ['8005'], status: 'ended', startedAt: '2026-01-05T11:59:00.000Z', ivrMs: 0, queueMs: 0, ringMs: 0, talkMs: 0, holdMs: 0, holdCount: 0, wrapupMs: 0, transfers: 0, conferences: 0, contacts, legs: [] });
    expect(detail).toMatch(/wrap-up note 8005 +account-inquiry/);
    expect(detail).toContain('account-inquiry, self-evaluation good, 10000001 王建国 (2026-01-05 12:00:00Z): 查询余额, 已解答');
  });

  it('builds the API query and formats durations', () => {
    expect(cdrQuery({ since: '1h', agent: '8001', limit: '10' }, now).toString()).toBe('from=2026-01-05T11%3A00%3A00.000Z&agent=8001&limit=10');
    expect([duration(0), duration(65_000), duration(3_725_000)]).toEqual(['0:00', '1:05', '1:02:05']);
  });
});

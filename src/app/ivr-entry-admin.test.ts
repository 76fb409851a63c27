// Which IVR pack answers a service number, changed live over a real Fastify app and SQLite store (issue 7, ADM-2, IVR-1).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../api/api-deps.ts';
import { buildHttpApi } from '../api/http-api.ts';
import type { PromptLocale } from '../ivr/prompt/say-as.ts';
import { EntryPointTable } from '../ivr/service/entry-point-table.ts';
import { FakeClock } from '../shared/clock.ts';
import { hashPassword, newBearerToken } from '../store/password-hash.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { IvrEntryAdmin, ivrEntryAdminRoutes } from './ivr-entry-admin.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const url = (pack: string, locale: string) => `http://packs.test/${pack}/${locale}/main.vxml`;

let stores: Stores;
let app: FastifyInstance;
let table: EntryPointTable;
let locales: Record<string, PromptLocale>;
let admin: IvrEntryAdmin;
let adminTok: string;
let supTok: string;

function freshIvr(): void {
  table = new EntryPointTable([
    { dnis: '95000', application: url('securities', 'zh-CN'), name: 'securities' },
    { dnis: '95002', application: url('bank', 'zh-CN'), name: 'bank' },
  ]);
  locales = { '95000': 'zh-CN', '95002': 'zh-CN' };
  admin = new IvrEntryAdmin({ table, locales, applicationOf: url, settings: stores.meta });
}

async function token(username: string, role: 'admin' | 'supervisor'): Promise<string> {
  await stores.users.put({ username, passwordHash: await hashPassword('pw-123456'), role, enabled: true, createdAt: new Date(T0) });
  const { token: t, hash } = newBearerToken();
  await stores.apiTokens.put({ id: `${username}-t`, tokenHash: hash, username, label: 'test', createdAt: new Date(T0) });
  return t;
}

async function startApp(): Promise<void> {
  const deps: ApiDeps = { version: '1', clock: new FakeClock(T0), realm: 'hotline.local', startedAt: T0, stores, components: async () => ({}) };
  app = buildHttpApi(deps, { routes: ivrEntryAdminRoutes(admin) });
  await app.ready();
}

const req = (method: 'GET' | 'PATCH', path: string, tok: string, payload?: object) =>
  app.inject({ method, url: path, headers: { authorization: `Bearer ${tok}` }, ...(payload !== undefined ? { payload } : {}) });

beforeEach(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  freshIvr();
  await startApp();
  adminTok = await token('admin', 'admin');
  supTok = await token('sup', 'supervisor');
});
afterEach(async () => {
  await app.close();
  await stores.close();
});

describe('IVR entry points administered live (ADM-2, IVR-1)', () => {
  it('lists the numbers with their pack; another pack and language is in force for the next lookup, by number and by name', async () => {
    expect((await req('GET', '/api/v1/admin/ivr-entry-points', adminTok)).json()).toEqual([
      { dnis: '95000', name: 'securities', application: url('securities', 'zh-CN'), pack: 'securities', locale: 'zh-CN' },
      { dnis: '95002', name: 'bank', application: url('bank', 'zh-CN'), pack: 'bank', locale: 'zh-CN' },
    ]);
    const r = await req('PATCH', '/api/v1/admin/ivr-entry-points/95000', adminTok, { pack: 'fund', locale: 'en-US' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ dnis: '95000', name: 'securities', application: url('fund', 'en-US'), pack: 'fund', locale: 'en-US' });
    expect(table.resolve('95000')?.url).toBe(url('fund', 'en-US'));
    expect(table.list().find((e) => e.name === 'securities')?.url).toBe(url('fund', 'en-US')); // the switch names the script "securities"
    expect(locales['95000']).toBe('en-US');
    expect(table.resolve('95002')?.url).toBe(url('bank', 'zh-CN'));
  });

  it('refuses unknown numbers and packs, and non-admins', async () => {
    expect((await req('PATCH', '/api/v1/admin/ivr-entry-points/95009', adminTok, { pack: 'fund' })).statusCode).toBe(404);
    expect((await req('PATCH', '/api/v1/admin/ivr-entry-points/95000', adminTok, { pack: 'casino' })).statusCode).toBe(400);
    expect((await req('PATCH', '/api/v1/admin/ivr-entry-points/95000', supTok, { pack: 'fund' })).statusCode).toBe(403);
    expect(table.resolve('95000')?.url).toBe(url('securities', 'zh-CN'));
  });

  it('the change survives a restart', async () => {
    await req('PATCH', '/api/v1/admin/ivr-entry-points/95002', adminTok, { pack: 'securities' });
    freshIvr();
    expect(table.resolve('95002')?.url).toBe(url('bank', 'zh-CN'));
    expect(await admin.restore()).toEqual({ restored: ['95002'], skipped: [] });
    expect(table.resolve('95002')?.url).toBe(url('securities', 'zh-CN'));
  });

  it('is declared in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/admin/ivr-entry-points', '/api/v1/admin/ivr-entry-points/{dnis}']));
  });
});

/**
 * Custom roles in the web UI, in Debian's chromium (issue 7, ADM-1): the
 * admin makes a supervisor-based role in the Roles page (checkboxes only for
 * what the base reaches), assigns it to supervisor 8100, makes an
 * agent-based role and gives it to agent 8001 in the Agents page's edit
 * dialog. 8100 then signs in: the menu hides the areas the role leaves out,
 * a page of one redirects home, and the API answers 403 permission-denied;
 * the admin, a built-in role, sees everything as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../src/acd/service/index.ts';
import type { ApiDeps } from '../../src/api/api-deps.ts';
import { buildHttpApi } from '../../src/api/http-api.ts';
import { AgentAdmin } from '../../src/api/routes/agent-admin.ts';
import { AuditRecorder } from '../../src/api/routes/audit-recorder.ts';
import { agentAdminRoutes } from '../../src/api/routes/agent-admin-routes.ts';
import { RoleAdmin } from '../../src/api/routes/role-admin.ts';
import { roleAdminRoutes } from '../../src/api/routes/role-admin-routes.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { hashPassword } from '../../src/store/password-hash.ts';
import { openStores, type Stores } from '../../src/store/stores.ts';
import { ensureWebBuild, WEB_DIST } from '../../web/build.ts';
import { signInWeb } from '../support/web-sign-in.ts';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_PW = 'admin-pw-123';

let dir: string;
let stores: Stores;
let app: FastifyInstance;
let browser: Browser;
let base: string;

async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: r.status, json: r.status === 204 ? undefined : await r.json() };
}

async function sessionToken(username: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return ((await r.json()) as { token: string }).token;
}

async function open(): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
  ctx.setDefaultTimeout(15_000);
  return ctx.newPage();
}

const signIn = (page: Page, username: string, password: string) => signInWeb(page, base, username, password);

beforeAll(async () => {
  await ensureWebBuild({ log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'web-roles-e2e-'));
  stores = await openStores({ kind: 'sqlite', file: join(dir, 'hotline.db') });
  const now = new Date();
  await stores.users.put({ username: 'admin', displayName: 'Administrator', passwordHash: await hashPassword(ADMIN_PW), role: 'admin', enabled: true, createdAt: now });
  await stores.users.put({ username: '8001', displayName: 'Agent 8001', passwordHash: await hashPassword('demo-8001'), role: 'agent', enabled: true, createdAt: now });
  await stores.users.put({ username: '8100', displayName: 'Supervisor 8100', passwordHash: await hashPassword('demo-8100'), role: 'supervisor', enabled: true, createdAt: now });
  const acd = new AcdService({ clock: systemClock, config: parseAcdConfig({ agents: [{ id: '8001', name: 'Agent 8001', skills: { general: 5 } }], queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }] }] }) });
  const roles = new RoleAdmin(stores.users, stores.meta);
  await roles.restore();
  const agents = new AgentAdmin({ acd, users: stores.users, sipAccounts: stores.sipAccounts, settings: stores.meta, realm: 'hotline.test', clock: systemClock, roles });
  const deps: ApiDeps = { version: 'e2e', clock: systemClock, realm: 'hotline.test', startedAt: Date.now(), stores, components: async () => ({}), acd: acd.control, audit: new AuditRecorder(stores.audit), roles };
  app = buildHttpApi(deps, { routes: [...agentAdminRoutes(agents), ...roleAdminRoutes(roles)], web: { root: WEB_DIST } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('custom roles in the web UI (issue 7, ADM-1)', () => {
  it('the admin makes and assigns roles; the restricted supervisor loses those areas in the menu and the API; the admin keeps everything', async () => {
    const errors: string[] = [];
    const admin = await open();
    admin.on('pageerror', (e) => errors.push(e.message));
    await signIn(admin, 'admin', ADMIN_PW);
    const adminToken = await sessionToken('admin', ADMIN_PW);
    await admin.getByRole('menuitem', { name: 'Roles and permissions' }).click();
    await admin.getByRole('heading', { name: 'Roles and permissions' }).waitFor();

    // A supervisor-based role: the supervisor's areas are offered, the admin's are not.
    await admin.getByTestId('role-add').click();
    await admin.getByTestId('role-id').fill('team-lead');
    await admin.getByTestId('role-name').fill('Team lead');
    await admin.getByTestId('role-base').click();
    await admin.locator('.ant-select-item-option[title="Supervisor"]').click();
    await admin.getByRole('checkbox', { name: 'Supervision (monitor, whisper, barge…)' }).waitFor();
    expect(await admin.getByRole('checkbox', { name: 'Administration' }).count()).toBe(0);
    for (const label of ['Agents and queues (ACD)', 'Call control', 'Tasks', 'Notices']) await admin.getByRole('checkbox', { name: label, exact: true }).check();
    await admin.getByTestId('role-save').click();
    await admin.getByTestId('role-row-team-lead').waitFor();
    expect((await api('GET', '/api/v1/admin/roles', adminToken)).json).toEqual([{ id: 'team-lead', name: 'Team lead', base: 'supervisor', permissions: ['acd', 'calls', 'notices', 'tasks'], users: [] }]);

    // Assigned to supervisor 8100.
    await admin.getByTestId('role-assign').click();
    await admin.getByTestId('role-assign-username').fill('8100');
    await admin.getByTestId('role-assign-role').click();
    await admin.locator('.ant-select-item-option[title="Team lead (Supervisor)"]').click();
    await admin.getByTestId('role-assign-save').click();
    await expect.poll(async () => (await admin.getByTestId('role-row-team-lead').innerText()).includes('8100')).toBe(true);

    // An agent-based role, given to agent 8001 in the Agents page's edit dialog.
    await admin.getByTestId('role-add').click();
    await admin.getByTestId('role-id').fill('desk');
    await admin.getByTestId('role-name').fill('Desk');
    await admin.getByRole('checkbox', { name: 'Agents and queues (ACD)' }).check();
    expect(await admin.getByRole('checkbox', { name: 'Operation log' }).count()).toBe(0);
    await admin.getByTestId('role-save').click();
    await admin.getByTestId('role-row-desk').waitFor();
    await admin.getByRole('menuitem', { name: 'Agents', exact: true }).click();
    await admin.getByTestId('edit-8001').click();
    await admin.getByTestId('edit-role').click();
    await admin.locator('.ant-select-item-option[title="Desk (desk)"]').click();
    await admin.getByTestId('agent-edit-save').click();
    await expect.poll(async () => ((await api('GET', '/api/v1/admin/agents', adminToken)).json as { id: string; role?: string }[]).find((a) => a.id === '8001')?.role).toBe('desk');
    expect((await api('GET', '/api/v1/me', await sessionToken('8001', 'demo-8001'))).json.permissions).toEqual(['acd']);

    // 8100 signs in: no operation log, nor its page; the API refuses with the typed code.
    const sup = await open();
    sup.on('pageerror', (e) => errors.push(e.message));
    await signIn(sup, '8100', 'demo-8100');
    await expect.poll(() => new URL(sup.url()).pathname).toBe('/supervisor/agents');
    const menu = await sup.getByRole('menu').innerText();
    expect(menu).toContain('Agent monitor');
    expect(menu).toContain('Blacklist');
    expect(menu).not.toContain('Operation log');
    await sup.goto(`${base}/admin/audit`);
    await expect.poll(() => new URL(sup.url()).pathname).toBe('/supervisor/agents');
    const supToken = await sessionToken('8100', 'demo-8100');
    const denied = await api('GET', '/api/v1/audit', supToken);
    expect([denied.status, denied.json.error.code]).toEqual([403, 'permission-denied']);
    expect((await api('GET', '/api/v1/agents', supToken)).status).toBe(200);

    // The admin keeps every page; taking the role away gives 8100 the log back.
    expect(await admin.getByRole('menu').innerText()).toContain('Operation log');
    expect((await api('PUT', '/api/v1/admin/users/8100/role', adminToken, { role: null })).json).toEqual({ username: '8100', role: null });
    expect((await api('GET', '/api/v1/audit', supToken)).status).toBe(200);
    await sup.reload();
    await expect.poll(async () => (await sup.getByRole('menu').innerText()).includes('Operation log')).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});

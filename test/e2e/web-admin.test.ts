/**
 * The web UI in Debian's chromium (playwright-core), served by the API's own
 * Fastify app with the static plugin (issue 7): sign in as admin, switch
 * zh-CN ↔ en-US, add SIP accounts through the page and find them through
 * the API and the store; an agent on a server without ACD or switch sees
 * every action disabled; with a real ACD service the agent logs in, goes
 * ready and not ready from the toolbar and its shortcuts while the
 * supervisor's grid follows; sign-out revokes the token.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcdService, parseAcdConfig } from '../../src/acd/service/index.ts';
import type { ApiDeps } from '../../src/api/api-deps.ts';
import { buildHttpApi } from '../../src/api/http-api.ts';
import { computeHa1 } from '../../src/protocol/sip/digest.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { hashBearerToken, hashPassword, newBearerToken } from '../../src/store/password-hash.ts';
import { openStores, type Stores } from '../../src/store/stores.ts';
import { ensureWebBuild, WEB_DIST } from '../../web/build.ts';
import { signInWeb } from '../support/web-sign-in.ts';

const CHROMIUM = '/usr/bin/chromium';
const REALM = 'hotline.test';
const ADMIN_PW = 'admin-pw-123';

let stores: Stores;
let app: FastifyInstance;
let acdApp: FastifyInstance;
let browser: Browser;
let base: string;
/** The same stores behind an app with a running ACD service (no switch attached: agent states only). */
let acdBase: string;
let adminToken: string;

async function apiGet(path: string, token = adminToken, at = base): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${at}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
}

const signIn = (page: Page, username: string, password: string, at = base) => signInWeb(page, at, username, password);

beforeAll(async () => {
  await ensureWebBuild({ log: () => {} });
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  const now = new Date();
  await stores.users.put({ username: 'admin', displayName: 'Administrator', passwordHash: await hashPassword(ADMIN_PW), role: 'admin', enabled: true, createdAt: now });
  await stores.users.put({ username: '8001', displayName: 'Agent 8001', passwordHash: await hashPassword('demo-8001'), role: 'agent', enabled: true, createdAt: now });
  await stores.users.put({ username: '8100', displayName: 'Supervisor 8100', passwordHash: await hashPassword('demo-8100'), role: 'supervisor', enabled: true, createdAt: now });
  const t = newBearerToken();
  adminToken = t.token;
  await stores.apiTokens.put({ id: 'test-admin', tokenHash: t.hash, username: 'admin', label: 'test', createdAt: now });
  const deps: ApiDeps = { version: 'e2e', clock: systemClock, realm: REALM, startedAt: Date.now(), stores, components: async () => ({ store: { status: 'up' }, http: { status: 'up' } }) };
  app = buildHttpApi(deps, { web: { root: WEB_DIST } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const acd = new AcdService({
    clock: systemClock,
    config: parseAcdConfig({
      agents: [{ id: '8001', name: 'Agent 8001', skills: { general: 5 } }, { id: '8002', name: 'Agent 8002', skills: { general: 5 } }],
      queues: [{ id: 'general', name: 'General', requiredSkills: [{ skill: 'general' }] }],
    }),
  });
  acdApp = buildHttpApi({ ...deps, acd: acd.control }, { web: { root: WEB_DIST } });
  await acdApp.listen({ host: '127.0.0.1', port: 0 });
  acdBase = `http://127.0.0.1:${(acdApp.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await acdApp?.close();
  await stores?.close();
});

describe('web UI in chromium (issue 7, ADM-1, ADM-2)', () => {
  it('has a built UI to serve', () => {
    expect(existsSync(`${WEB_DIST}/index.html`)).toBe(true);
  });

  it('admin signs in, switches zh-CN ↔ en-US, adds and removes SIP accounts through the page', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await signIn(page, 'admin', ADMIN_PW);
      await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/sip-users');
      await page.getByRole('heading', { name: 'SIP accounts' }).waitFor();
      const antdEmpty = page.locator('.ant-empty-description');
      await expect.poll(() => antdEmpty.innerText()).toBe('No data'); // antd's own text follows the switch too

      // Language: ours and antd's switch together; the choice survives a reload.
      await page.getByTestId('language-switch').getByText('中文').click();
      await page.getByRole('heading', { name: 'SIP 账号' }).waitFor();
      await expect.poll(() => antdEmpty.innerText()).toBe('暂无数据');
      expect(await page.getByTestId('sign-out').innerText()).toBe('退出登录');
      expect(await page.getByRole('menu').innerText()).toContain('注册状态');
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await page.reload();
      await page.getByRole('heading', { name: 'SIP 账号' }).waitFor();
      await page.getByTestId('language-switch').getByText('English').click();
      await page.getByRole('heading', { name: 'SIP accounts' }).waitFor();
      expect(await page.getByTestId('sign-out').innerText()).toBe('Sign out');
      expect(await page.getByRole('menu').innerText()).toContain('Registrations');

      // Add 8123 with a password.
      await page.getByTestId('add-sip-user').click();
      await page.getByTestId('sip-ext').fill('8123');
      await page.getByTestId('sip-name').fill('Web Test');
      await page.getByTestId('sip-password').fill('secret-8123');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('cell', { name: 'Web Test' }).waitFor();
      const list = (await apiGet('/api/v1/sip-users')).body as { ext: string; name?: string; realm: string; enabled: boolean }[];
      expect(list.find((u) => u.ext === '8123')).toMatchObject({ name: 'Web Test', realm: REALM, enabled: true });
      expect((await stores.sipAccounts.get('8123'))?.ha1Md5).toBe(computeHa1('MD5', '8123', REALM, 'secret-8123'));

      // Add 8124 without one: the generated password is shown once and is the account's password.
      await page.getByTestId('add-sip-user').click();
      await page.getByTestId('sip-ext').fill('8124');
      await page.getByRole('button', { name: 'Save' }).click();
      const generated = (await page.getByTestId('generated-password').innerText()).trim();
      expect(generated.length).toBeGreaterThanOrEqual(12);
      expect((await stores.sipAccounts.get('8124'))?.ha1Md5).toBe(computeHa1('MD5', '8124', REALM, generated));
      // Close the password dialog; on a loaded machine a click during its opening animation can be lost, so repeat until it is gone.
      await expect
        .poll(
          async () => {
            if ((await page.locator('.ant-modal-wrap:visible').count()) > 0) await page.getByRole('button', { name: 'OK' }).click({ timeout: 2000 }).catch(() => undefined);
            return page.locator('.ant-modal-wrap:visible').count();
          },
          { timeout: 15_000, interval: 500 },
        )
        .toBe(0);

      // A duplicate extension is refused in the form, by the API's 409.
      await page.getByTestId('add-sip-user').click();
      await page.getByTestId('sip-ext').fill('8123');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('SIP user 8123 already exists').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();

      // Remove 8124 through the confirm.
      await page.getByTestId('remove-8124').click();
      await page.getByRole('tooltip').getByRole('button', { name: 'Remove' }).click();
      await expect.poll(async () => ((await apiGet('/api/v1/sip-users')).body as { ext: string }[]).map((u) => u.ext)).toEqual(['8123']);
      await page.getByTestId('remove-8124').waitFor({ state: 'detached' });

      // Other admin pages answer from the API.
      await page.getByRole('menuitem', { name: 'Security' }).click();
      await page.locator('.ant-card-head-title', { hasText: 'Banned addresses' }).waitFor();
      await page.getByRole('menuitem', { name: 'Health & about' }).click();
      await expect.poll(() => page.getByTestId('health-status').innerText()).toBe('OK');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an agent on a server without ACD or switch: the desktop says why, every action disabled, no admin pages; sign-out revokes the token', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    try {
      await signIn(page, '8001', 'demo-8001');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/agent');
      await page.getByText('交换机未连接').waitFor();
      await page.getByText(/坐席状态不可用：the ACD is not running/).waitFor();
      expect(await page.getByTestId('agent-state').getAttribute('data-state')).toBe('unknown');
      const buttons = page.getByTestId('agent-toolbar').locator('button[data-testid^="action-"]');
      expect(await buttons.count()).toBe(16);
      expect(await buttons.evaluateAll((bs) => bs.filter((b) => !(b as unknown as { disabled: boolean }).disabled).length)).toBe(0);
      expect(await page.getByTestId('action-answer').innerText()).toMatch(/接\s*听/);
      expect(await page.getByRole('menu').innerText()).not.toContain('SIP');

      // An admin page by URL sends the agent home.
      await page.goto(`${base}/admin/sip-users`);
      await expect.poll(() => new URL(page.url()).pathname).toBe('/agent');

      const saved = (await context.storageState()).origins.flatMap((o) => o.localStorage).find((e) => e.name === 'hotline.session')?.value;
      const token = (JSON.parse(saved ?? '{}') as { token?: string }).token ?? '';
      expect(token).toMatch(/^htl_/);
      expect((await apiGet('/api/v1/me', token)).body).toMatchObject({ username: '8001', role: 'agent' });
      await page.getByTestId('sign-out').click();
      await page.getByRole('button', { name: /^登\s*录$/ }).waitFor();
      expect((await apiGet('/api/v1/me', token)).status).toBe(401);
      expect(await stores.apiTokens.findByHash(hashBearerToken(token))).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('with a real ACD: the agent logs in, goes ready and not ready by buttons and shortcuts; the supervisor grid follows (ACD-3, SUP-1)', async () => {
    const agentCtx = await browser.newContext({ locale: 'en-US' });
    const supCtx = await browser.newContext({ locale: 'en-US' });
    agentCtx.setDefaultTimeout(10_000);
    supCtx.setDefaultTimeout(10_000);
    try {
      const sup = await supCtx.newPage();
      await signIn(sup, '8100', 'demo-8100', acdBase);
      await expect.poll(() => new URL(sup.url()).pathname).toBe('/supervisor/agents');
      const gridState = () => sup.getByTestId('grid-state-8001').innerText();
      await expect.poll(gridState).toBe('Logged out');
      expect(await sup.getByTestId('supervise-8001').isDisabled()).toBe(true); // SUP-2 needs a talking agent
      await sup.getByTestId('grid-refresh').click();
      await sup.getByTitle('Every 1 s').click();

      const page = await agentCtx.newPage();
      await signIn(page, '8001', 'demo-8001', acdBase);
      const state = () => page.getByTestId('agent-state').getAttribute('data-state');
      await expect.poll(state).toBe('logged-out');
      // The ACD answers; this server has no switch, so the desktop says calls are unavailable.
      await page.getByText(/Calls unavailable: no route GET \/api\/v1\/calls/).waitFor();
      expect(await page.getByTestId('action-make-call').isDisabled()).toBe(true);
      expect(await page.getByTestId('action-ready').isDisabled()).toBe(true);

      await page.getByTestId('action-sign-in').click();
      await expect.poll(state).toBe('not-ready');
      expect(await page.getByTestId('action-sign-in').isDisabled()).toBe(true);
      await page.keyboard.press('Alt+KeyR');
      await expect.poll(state).toBe('ready');
      await expect.poll(gridState, { timeout: 3000 }).toBe('Ready');

      // The choice must have landed before the button reads it (a click during the dropdown's animation can be lost under load).
      await expect
        .poll(
          async () => {
            if (!(await page.getByTestId('desk-reason').innerText()).includes('Meal')) {
              await page.getByTestId('desk-reason').click();
              await page.getByTitle('Meal').click({ timeout: 2000 }).catch(() => undefined);
            }
            return page.getByTestId('desk-reason').innerText();
          },
          { timeout: 10_000, interval: 500 },
        )
        .toContain('Meal');
      await page.getByTestId('action-not-ready').click();
      await expect.poll(state).toBe('not-ready');
      expect((await apiGet('/api/v1/agents/8001', adminToken, acdBase)).body).toMatchObject({ state: 'not-ready', reason: 'meal' });
      await page.getByText(/^Meal · since/).waitFor();
      await expect.poll(gridState, { timeout: 3000 }).toBe('Not ready');

      await page.keyboard.press('Alt+KeyQ');
      await expect.poll(state).toBe('logged-out');
      await expect.poll(gridState, { timeout: 3000 }).toBe('Logged out');
    } finally {
      await agentCtx.close();
      await supCtx.close();
    }
  });

  it('a wrong password shows the error on the sign-in page', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    try {
      await page.goto(base);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByTestId('login-error').innerText()).toContain('Wrong username or password');
    } finally {
      await context.close();
    }
  });
});

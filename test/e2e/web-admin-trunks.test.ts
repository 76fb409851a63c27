/**
 * The Trunks page (ADM-1, ADM-2) against a real carrier: a `hotline start`
 * in its own network namespace, sipp as the carrier's registrar on the
 * namespace's other address (401 then 200 for the right credentials only,
 * test/sipp/carrier-registrar.xml), chromium in zh-CN. The admin adds a
 * registering trunk in the form; without a restart the row shows 已注册
 * (registered) and the API lists it without the password; the admin
 * removes it and the registrar sees the unregistration (Expires 0).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build.ts';
import { chromiumInNetns } from '../support/netns-chromium.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import type { HotlineProcess } from '../support/server.ts';
import { runSippPeer, type SippPeer } from '../support/sipp-peer.ts';
import { signInWeb } from '../support/web-sign-in.ts';

const skip = netnsUnavailable();
const SCENARIOS = join(import.meta.dirname, '..', 'sipp');

describe.skipIf(skip)(`Trunks page with a sipp carrier registrar (ADM-1, ADM-2)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let browser: Browser;
  let registrar: SippPeer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'web-admin-trunks-e2e-'));

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    ({ ns, server, api } = await hotlineInNetns(76, ['--log-level', 'warn']));
    browser = await chromiumInNetns({ ns, dir, origin: server.httpUrl });
  }, 120_000);

  afterAll(async () => {
    registrar?.kill();
    await browser?.close();
    await tearDownNetnsTest({ phones: [], server, ns, dir });
  });

  async function signedInAdmin(): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    ctx.setDefaultTimeout(15_000);
    const page = await ctx.newPage();
    await signInWeb(page, server.httpUrl, 'admin', readFileSync(join(server.dataDir, 'admin-password'), 'utf8').trim());
    return page;
  }

  it('adds a registering trunk in the form, sees it registered, removes it and it unregisters', async () => {
    registrar = runSippPeer(ns, ['-sf', join(SCENARIOS, 'carrier-registrar.xml'), '-i', ns.phoneAddress, '-p', '5090', '-m', '1', '-timeout', '90s', '-timeout_error'], dir);
    const page = await signedInAdmin();
    await page.goto(`${server.httpUrl}/admin/trunks`);
    await page.getByTestId('trunk-add').click();
    await page.getByTestId('trunk-id').fill('carrier');
    await page.getByTestId('trunk-host').fill(ns.phoneAddress);
    await page.getByTestId('trunk-port').fill('5090');
    await page.getByTestId('trunk-register').click();
    await page.getByTestId('trunk-username').fill('hotline-trunk');
    await page.getByTestId('trunk-password').fill('s3cret-trunk');
    await page.getByTestId('trunk-realm').fill('carrier.test');
    await page.getByTestId('trunk-dids').fill('02160000000 = bank');
    await page.getByTestId('trunk-default').fill('general');
    await page.getByRole('button', { name: /^(Save|保\s*存)$/ }).click();

    await expect.poll(() => page.getByTestId('trunk-state-carrier').textContent(), { timeout: 15_000, interval: 200 }).toBe('已注册');
    expect(await page.getByTestId('trunk-row-carrier').textContent()).toContain('02160000000 → bank');
    const listed = api('GET', '/api/v1/admin/trunks');
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual([expect.objectContaining({ id: 'carrier', host: ns.phoneAddress, port: 5090, registration: { username: 'hotline-trunk', realm: 'carrier.test', state: 'registered' } })]);
    expect(JSON.stringify(listed.json)).not.toContain('s3cret-trunk');

    await page.getByTestId('trunk-remove-carrier').click();
    await page.getByRole('button', { name: /^(Remove|删\s*除)$/ }).last().click();
    await page.getByTestId('trunk-row-carrier').waitFor({ state: 'detached' });
    const reg = await registrar.done;
    expect(reg.code, reg.output.slice(-3000)).toBe(0);
  }, 120_000);
});

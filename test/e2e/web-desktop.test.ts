/**
 * The agent desktop against a real `hotline start` with real phones (issue 7;
 * CTI-1, CTI-2, CTI-5, CTI-6, ACD-3, SUP-1, ADM-1), all in one network
 * namespace: chromium runs inside it too (`ip netns exec` in front of
 * Debian's chromium), so it reaches the server's address there.
 *
 *   - agent 8001 signs in in the browser, logs in and goes ready with the
 *     desktop's buttons; its baresip phone answers automatically;
 *   - a baresip customer phone (8009) calls 95001 (the demo's general queue);
 *     the desktop pops the customer panel with the caller's number, the
 *     dialled number and the queue;
 *   - call data attached through the API appears in the panel (a field
 *     named like a password never does); the authenticated customer's
 *     back-office profile (demo fund investor 20000001) shows under it
 *     (CTI-6, CRM-1);
 *   - hold and retrieve from the desktop, seen in the API; hang up from the
 *     desktop: the customer's phone is released, the desktop shows wrap-up
 *     with the last customer panel kept; the agent fills the wrap-up form
 *     (category, self-evaluation, summary) and saves it with "finish
 *     wrap-up": ready again, the note in the call record (CRM-3);
 *   - screenshots for docs/screenshots/ in zh-CN and en-US: the desktop with
 *     the screen pop, the supervisor console during the call, the SIP
 *     accounts admin page.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { until } from '../support/call-audio.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';
import { chromiumInNetns } from '../support/netns-chromium.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import { signInWeb } from '../support/web-sign-in.ts';

const skip = netnsUnavailable();
const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1366, height: 900 };

interface Agent {
  id: string;
  state: string;
  interactionId?: string;
}
interface View {
  id: string;
  state: string;
  customer: { number: string };
  callData: Record<string, unknown>;
}

describe.skipIf(skip)(`agent desktop with real phones: screen pop, call data, hold, hang-up, wrap-up (CTI-1, CTI-2, CTI-5, CTI-6, SUP-1)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let agentPhone: Phone;
  let agent2Phone: Phone;
  let customer: Phone;
  let browser: Browser;
  /** Agent 8001's desktop, signed in by the first test. */
  let desk: Page;
  const contexts: BrowserContext[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'web-desktop-e2e-'));

  const agent = (id: string) => api('GET', `/api/v1/agents/${id}`).json as Agent;

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(91, ['--digest-algorithms', 'MD5', '--log-level', 'warn']));
    agentPhone = startPhone({ netns: ns, user: '8001', password: 'demo-8001', server: srv, listenPort: 5070, toneHz: 1100, autoAnswer: true });
    agent2Phone = startPhone({ netns: ns, user: '8002', password: 'demo-8002', server: srv, listenPort: 5072, toneHz: 1500, autoAnswer: true });
    customer = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: 400 });
    await Promise.all([agentPhone.waitRegistered(), agent2Phone.waitRegistered(), customer.waitRegistered()]);
    // Chromium inside the namespace: playwright talks to it over the pipes it inherits through `ip netns exec`.
    browser = await chromiumInNetns({ ns, dir, origin: server.httpUrl });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await tearDownNetnsTest({ phones: [agentPhone, agent2Phone, customer], server, ns, dir });
  });

  async function open(locale: 'en-US' | 'zh-CN'): Promise<Page> {
    const ctx = await browser.newContext({ locale, viewport: VIEWPORT });
    ctx.setDefaultTimeout(15_000);
    contexts.push(ctx);
    return ctx.newPage();
  }

  const signIn = (page: Page, username: string, password: string) => signInWeb(page, server.httpUrl, username, password);

  async function language(page: Page, to: 'zh-CN' | 'en-US'): Promise<void> {
    await page.getByTestId('language-switch').getByText(to === 'zh-CN' ? '中文' : 'English').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(to);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    // Not mid-refresh: antd greys a loading table and its refresh button.
    await page.locator('.ant-spin-spinning, .ant-btn-loading').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
    await page.evaluate('document.fonts.ready.then(() => true)');
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  it('screen pop with call data; hold, retrieve and hang up from the desktop; wrap-up', async () => {
    desk = await open('en-US');
    const errors: string[] = [];
    desk.on('pageerror', (e) => errors.push(e.message));
    await signIn(desk, '8001', 'demo-8001');
    await expect.poll(() => new URL(desk.url()).pathname).toBe('/agent');
    const agentState = () => desk.getByTestId('agent-state').getAttribute('data-state');
    const callState = () => desk.getByTestId('call-state').getAttribute('data-state');
    const pop = desk.getByTestId('screen-pop');
    await desk.getByTestId('switch-status').getByText('Connected to the switch').waitFor();
    await expect.poll(agentState).toBe('logged-out');
    expect(await pop.getAttribute('data-state')).toBe('none');

    // Log in and go ready with the desktop's buttons; the ACD agrees.
    await desk.getByTestId('action-sign-in').click();
    await expect.poll(agentState).toBe('not-ready');
    await desk.getByTestId('action-ready').click();
    await expect.poll(agentState).toBe('ready');
    expect(agent('8001').state).toBe('ready');

    // The supervisor's console follows (SUP-1).
    const sup = await open('en-US');
    await signIn(sup, '8100', 'demo-8100');
    await expect.poll(() => new URL(sup.url()).pathname).toBe('/supervisor/agents');
    await sup.getByTestId('grid-refresh').click();
    await sup.getByTitle('Every 1 s').click();

    // The customer calls the general queue; 8001's phone answers by itself.
    const dialledAt = Date.now();
    customer.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);
    await desk.locator('[data-testid="screen-pop"][data-state="live"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => desk.getByTestId('pop-caller').innerText(), { timeout: 10_000 }).toBe('8009');
    const poppedMs = Date.now() - dialledAt;
    const talking = await until('8001 talks', () => agent('8001'), (a) => a.state === 'talking' && a.interactionId !== undefined, 15_000);
    const ixId = talking.interactionId!;
    expect(await pop.getAttribute('data-interaction')).toBe(ixId);
    await expect.poll(callState, { timeout: 10_000 }).toBe('talking');
    await expect.poll(() => desk.getByTestId('pop-queue').innerText()).toBe('General enquiries');
    const entry = await desk.getByTestId('pop-entry').innerText();
    expect(['95001', 'general']).toContain(entry);
    expect(await desk.getByTestId('pop-waited').innerText()).toMatch(/^\d+:\d\d$/);
    console.log(`web-desktop: screen pop with the caller's number ${poppedMs} ms after the dial command`);

    // Call data attached through the API pops on the desktop (CTI-5); a password-like field never shows.
    const attached = api('POST', `/api/v1/interactions/${ixId}/data`, {
      callData: {
        authenticated: true,
        customer: { customerId: 'C1001', name: '刘芳', account: '20000001', kind: 'fund' },
        fundAccount: '20000001',
        ticketId: 'T-2026-0042',
        ivr: { menuPath: ['main', 'login', 'redemption'], inputs: { fundCode: '000001', amount: '5000' }, secretFieldsEntered: ['password'] },
        tradePassword: 'never-shown-314159',
      },
    });
    expect(attached.status).toBe(200);
    expect((attached.json as View).callData).toMatchObject({ ticketId: 'T-2026-0042' });
    await expect.poll(() => desk.getByTestId('pop-data-ticketId').innerText(), { timeout: 5000 }).toBe('T-2026-0042');
    expect(await desk.getByTestId('pop-data-fundAccount').innerText()).toBe('20000001');
    expect(await desk.getByTestId('pop-data-customer.name').innerText()).toBe('刘芳');
    expect(await desk.getByTestId('pop-data-authenticated').innerText()).toBe('Yes');
    expect(await desk.getByTestId('pop-data-ivr.menuPath').innerText()).toBe('main › login › redemption');
    expect(await desk.getByTestId('pop-data-ivr.inputs.fundCode').innerText()).toBe('000001');
    const popText = await pop.innerText();
    expect(popText).toContain('IVR input: amount');
    expect(popText).not.toContain('never-shown-314159');
    expect(await desk.content()).not.toContain('never-shown-314159');
    // CTI-6, CRM-1: the back office's profile of the authenticated customer, and the caller's history (first call).
    await expect.poll(() => desk.getByTestId('crm-name').innerText(), { timeout: 10_000 }).toBe('刘芳');
    expect(await desk.getByTestId('crm-account-20000001').innerText()).toContain('Normal');
    expect(await desk.getByTestId('crm-class').innerText()).toMatch(/^(Standard|Gold|VIP)$/);
    expect(await desk.getByTestId('crm-history').getAttribute('data-total')).toBe('0');
    expect(await desk.getByTestId('crm-profile').innerText()).not.toMatch(/864200/);

    // Screenshots: the desktop with the pop and the supervisor console during the call, in both languages.
    await shoot(desk, 'agent-desktop-en-US');
    await expect.poll(() => sup.getByTestId('grid-state-8001').innerText(), { timeout: 5000 }).toBe('Talking');
    await shoot(sup, 'supervisor-console-en-US');
    await language(desk, 'zh-CN');
    await expect.poll(() => pop.innerText()).toContain('随路数据');
    expect(await desk.getByTestId('pop-data-authenticated').innerText()).toBe('是');
    await shoot(desk, 'agent-desktop-zh-CN');
    await language(sup, 'zh-CN');
    await expect.poll(() => sup.getByTestId('grid-state-8001').innerText()).toBe('通话中');
    await shoot(sup, 'supervisor-console-zh-CN');
    await language(desk, 'en-US');

    // Hold and retrieve from the desktop; the API shows each state.
    await desk.getByTestId('action-hold').click();
    await until('on hold', () => api('GET', `/api/v1/interactions/${ixId}`).json as View, (v) => v.state === 'on-hold');
    await expect.poll(callState).toBe('on-hold');
    await desk.getByTestId('action-retrieve').click();
    await until('retrieved', () => api('GET', `/api/v1/interactions/${ixId}`).json as View, (v) => v.state === 'talking');
    await expect.poll(callState).toBe('talking');

    // Hang up from the desktop: the customer is released, the agent is in wrap-up and the panel stays, marked ended.
    const mark = customer.output().length;
    await desk.getByTestId('action-hang-up').click();
    await until('8001 in wrap-up', () => agent('8001'), (a) => a.state === 'wrap-up');
    await expect.poll(agentState, { timeout: 5000 }).toBe('wrap-up');
    await expect.poll(callState).toBe('idle');
    await expect.poll(() => pop.getAttribute('data-state')).toBe('ended');
    expect(await desk.getByTestId('pop-caller').innerText()).toBe('8009');
    // CRM-3: the wrap-up form: an empty note is refused in the form; filled, "save and finish" files it and ends wrap-up.
    await desk.getByTestId('wrapup-save-done').click();
    await desk.getByTestId('wrapup-problems').waitFor();
    await desk.getByTestId('wrapup-category').click();
    await desk.locator('.ant-select-item-option[title="Fund purchase / redemption"]').click();
    // on a loaded machine the dropdown's click can land before it is ready: the form must show the choice before it is filed
    await expect.poll(() => desk.getByTestId('wrapup-category').innerText(), { timeout: 5000 }).toContain('Fund purchase');
    await desk.getByTestId('wrapup-eval-good').click();
    await desk.getByTestId('wrapup-summary').fill('Asked how to redeem fund 110001');
    await desk.getByTestId('wrapup-save-done').click();
    await until('8001 ready by the wrap-up form', () => agent('8001').state, (s) => s === 'ready', 10_000);
    await expect.poll(() => desk.getByTestId('wrapup-form').count()).toBe(0);
    await customer.waitFor(/terminated|closed/i, 10_000, mark);
    await until('the interaction ended', () => api('GET', `/api/v1/interactions/${ixId}`), (r) => r.status === 404 || (r.json as View).state === 'ended');
    expect(errors).toEqual([]);

    // After wrap-up the agent is ready again and the panel closes.
    await until('8001 ready after wrap-up', () => agent('8001').state, (s) => s === 'ready', 20_000);
    await expect.poll(() => pop.getAttribute('data-state'), { timeout: 5000 }).toBe('none');
    const record = await until('the call record with the note', () => api('GET', `/api/v1/call-records/${ixId}`), (r) => r.status === 200 && ((r.json as { contacts?: unknown[] }).contacts?.length ?? 0) > 0, 10_000);
    expect(record.json).toMatchObject({ contacts: [{ agentId: '8001', category: 'fund', selfEvaluation: 'good', summary: 'Asked how to redeem fund 110001', customer: { account: '20000001', name: '刘芳' } }] });
  }, 180_000);

  it('a blind transfer from the desktop: the call data pops on the receiving agent’s desktop (CTI-4, CTI-5)', async () => {
    const desk2 = await open('zh-CN');
    await signIn(desk2, '8002', 'demo-8002');
    const state2 = () => desk2.getByTestId('agent-state').getAttribute('data-state');
    await desk2.getByTestId('action-sign-in').click();
    await expect.poll(state2).toBe('not-ready'); // signed in, not ready: the queue offers 8001 only
    expect(agent('8001').state).toBe('ready');

    const mark = customer.output().length;
    customer.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);
    const first = await until('8001 talks', () => agent('8001'), (a) => a.state === 'talking' && a.interactionId !== undefined, 15_000);
    const ixId = first.interactionId!;
    expect(api('POST', `/api/v1/interactions/${ixId}/data`, { callData: { ticketId: 'T-2026-0043', fundAccount: '880087654321', reason: 'caller' } }).status).toBe(200);
    await expect.poll(() => desk.getByTestId('pop-data-ticketId').innerText(), { timeout: 5000 }).toBe('T-2026-0043');

    await desk.getByTestId('desk-target').fill('8002');
    await desk.getByTestId('action-transfer-blind').click();
    await until('8002 has the call', () => api('GET', `/api/v1/interactions/${ixId}`).json as View & { agentId?: string }, (v) => v.agentId === '8002' && v.state === 'talking', 15_000);
    // The ACD follows the transferred call too: the not-ready 8002 is talking on it (ACD-3).
    await until('the ACD shows 8002 talking', () => agent('8002'), (a) => a.state === 'talking' && a.interactionId === ixId, 15_000);
    const pop2 = desk2.getByTestId('screen-pop');
    await expect.poll(() => pop2.getAttribute('data-interaction'), { timeout: 5000 }).toBe(ixId);
    expect(await desk2.getByTestId('pop-caller').innerText()).toBe('8009');
    await expect.poll(() => desk2.getByTestId('pop-data-ticketId').innerText()).toBe('T-2026-0043');
    expect(await desk2.getByTestId('pop-data-fundAccount').innerText()).toBe('880087654321');
    expect(await desk2.getByTestId('pop-data-reason').innerText()).toBe('客户要求转人工');
    await expect.poll(() => desk.getByTestId('screen-pop').getAttribute('data-state'), { timeout: 5000 }).not.toBe('live');

    await desk2.getByTestId('action-hang-up').click();
    await customer.waitFor(/terminated|closed/i, 10_000, mark);
    await expect.poll(() => desk2.getByTestId('call-state').getAttribute('data-state'), { timeout: 5000 }).toBe('idle');
    // A transferred-in customer call ends in wrap-up, or straight back to the pause when no wrap-up time applies.
    await until('8002 leaves the call', () => agent('8002').state, (st) => st === 'wrap-up' || st === 'not-ready', 15_000);
  }, 120_000);

  it('admin page screenshots in both languages (ADM-1)', async () => {
    const adminPassword = readFileSync(join(server.dataDir, 'admin-password'), 'utf8').trim();
    const page = await open('zh-CN');
    await signIn(page, 'admin', adminPassword);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/sip-users');
    await page.getByRole('cell', { name: 'Agent 8001' }).waitFor();
    await shoot(page, 'admin-sip-accounts-zh-CN');
    await language(page, 'en-US');
    await page.getByRole('heading', { name: 'SIP accounts' }).waitFor();
    await shoot(page, 'admin-sip-accounts-en-US');
  }, 60_000);
});

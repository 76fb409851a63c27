/**
 * Administration in force without a restart (issue 7; ADM-1, ADM-2, ADM-3,
 * ACD-7), against a real `hotline start` in its own network namespace with
 * chromium and baresip phones inside it:
 *
 *   - the admin creates agent 8011 (skill general) in the Agents page;
 *   - without a restart, a baresip phone registers as 8011 with the password
 *     given there, and a second browser page signs in as 8011, logs in and
 *     goes ready; the demo agents stay logged out, so 8011 is the only ready
 *     agent;
 *   - customer 8009 calls 95001: the call is offered to 8011 and answered
 *     (API), and the customer hears 8011's tone (Goertzel on its recording);
 *   - the admin blacklists 8009 in the Blacklist page with mode "refuse":
 *     8009's next call is rejected before it is answered (the switch asks
 *     the ACD's entry point before answering; SIP 603, call record cause
 *     `blacklist-refused`, no offer to 8011), while customer 8008 still gets
 *     through to 8011;
 *   - after a restart the administered agent is still there and signs in,
 *     and the blacklist is kept (meta keys admin.agents, admin.blacklist);
 *     so are the branch and agent group made in the Organisation page and
 *     picked for 8011 (meta key admin.org);
 *     frozen in the Agents page's edit dialog, it can no longer sign in.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { nsApi, PhoneRecording, sleep, until } from '../support/call-audio.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import { chromiumInNetns } from '../support/netns-chromium.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import type { HotlineProcess } from '../support/server.ts';
import { pageOpener, signInWeb } from '../support/web-sign-in.ts';

const skip = netnsUnavailable();
const TONE = { agent: 1100, blocked: 400, other: 700 } as const;
const PRESENT = -35;
const ABSENT = -45;
const AGENT_PW = 'secret-8011';

interface Agent {
  id: string;
  state: string;
  interactionId?: string;
  counters: { offered: number; answered: number };
}
interface View {
  id: string;
  state: string;
  agentId?: string;
  customer?: { number: string };
}
interface CallRecord {
  id: string;
  cause?: string;
  agentId?: string;
  hungUpBy?: string;
  disposition?: string;
}

describe.skipIf(skip)(`admin changes in force at once: new agent takes a call, blacklisted number refused (ADM-1, ADM-2, ACD-7)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let srv: string;
  let agentPhone: Phone | undefined;
  let blocked: Phone;
  let other: Phone;
  let browser: Browser;
  let admin: Page;
  let desk: Page;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'web-admin-live-e2e-'));

  const agent = (id: string) => api('GET', `/api/v1/agents/${id}`).json as Agent;
  const dial = (p: Phone) => p.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    ({ ns, server, api, srv } = await hotlineInNetns(85, ['--digest-algorithms', 'MD5', '--log-level', 'info']));
    blocked = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: TONE.blocked });
    other = startPhone({ netns: ns, user: '8008', password: 'demo-8008', server: srv, listenPort: 5082, toneHz: TONE.other });
    await Promise.all([blocked.waitRegistered(), other.waitRegistered()]);
    browser = await chromiumInNetns({ ns, dir, origin: server.httpUrl });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await tearDownNetnsTest({ phones: [agentPhone, blocked, other], server, ns, dir });
  });

  const open = pageOpener({ browser: () => browser, contexts, errors });

  const signIn = (page: Page, username: string, password: string) => signInWeb(page, server.httpUrl, username, password);

  /** Lets a call talk for a while, hangs up from the customer, and returns what the customer heard while talking. */
  async function talkAndHangUp(customer: Phone, ixId: string): Promise<Record<number, number>> {
    const tTalk = Date.now();
    await sleep(3500);
    const tEnd = Date.now();
    const mark = customer.output().length;
    customer.command('/hangup');
    await customer.waitFor(/terminated|closed/i, 10_000, mark);
    await until('the call ended', () => api('GET', `/api/v1/interactions/${ixId}`), (r) => r.status === 404 || (r.json as View).state === 'ended');
    await sleep(500);
    return new PhoneRecording(customer.heardWav(), tEnd).heard(tTalk, tEnd, Object.values(TONE)).tones;
  }

  it('the admin creates agent 8011 in the Agents page; its phone registers and it signs in, logs in and goes ready at once', async () => {
    admin = await open('zh-CN');
    await signIn(admin, 'admin', readFileSync(join(server.dataDir, 'admin-password'), 'utf8').trim());
    // ADM-1: a branch and an agent group in the Organisation page, then picked for the new agent.
    await admin.goto(`${server.httpUrl}/admin/organisation`);
    await admin.getByTestId('org-add').click();
    await admin.getByTestId('org-id').fill('sh');
    await admin.getByTestId('org-name').fill('上海分公司');
    await admin.getByTestId('org-save').click();
    await admin.getByTestId('org-row-sh').waitFor();
    await admin.getByTestId('org-tab-agent-groups').click();
    await admin.getByTestId('org-add').click();
    await admin.getByTestId('org-id').fill('front');
    await admin.getByTestId('org-name').fill('一线');
    await admin.getByTestId('org-branch').click();
    await admin.locator('.ant-select-item-option[title="上海分公司 (sh)"]').click();
    await admin.getByTestId('org-save').click();
    await admin.getByTestId('org-row-front').waitFor();
    expect(api('GET', '/api/v1/admin/agent-groups').json).toEqual([{ id: 'front', name: '一线', branch: 'sh', supervisors: [] }]);
    await admin.goto(`${server.httpUrl}/admin/agents`);
    await admin.getByTestId('agent-row-8001').waitFor();
    await expect.poll(() => admin.getByTestId('add-agent').innerText()).toMatch(/新增坐席/);
    await admin.getByTestId('add-agent').click();
    await admin.getByTestId('agent-extension').fill('8011');
    await admin.getByTestId('agent-name').fill('Agent 8011');
    await admin.getByTestId('agent-password').fill(AGENT_PW);
    await admin.getByTestId('agent-skills').fill('general:7');
    await admin.getByTestId('agent-groups').click();
    await admin.locator('.ant-select-item-option[title="一线"]').click();
    await admin.getByTestId('agent-branch').click();
    await admin.locator('.ant-select-item-option[title="上海分公司 (sh)"]').click();
    await admin.getByTestId('agent-save').click();
    await admin.getByTestId('agent-row-8011').waitFor();
    await expect.poll(() => admin.getByTestId('status-8011').innerText()).toBe('正常');

    const listed = (api('GET', '/api/v1/admin/agents').json as { id: string }[]).find((a) => a.id === '8011');
    expect(listed).toMatchObject({ id: '8011', extension: '8011', name: 'Agent 8011', skills: { general: 7 }, groups: ['front'], branch: 'sh', status: 'normal', state: 'logged-out', webUser: true, sipAccount: true });
    // ADM-3: the operation log keeps who created it, with what.
    expect(api('GET', '/api/v1/audit?action=agent.create&target=8011').json).toMatchObject([{ actor: 'admin', role: 'admin', action: 'agent.create', target: '8011', outcome: 'ok', detail: { name: 'Agent 8011' } }]);

    // No restart: the SIP account registers, the web user signs in, the ACD agent logs in.
    agentPhone = startPhone({ netns: ns, user: '8011', password: AGENT_PW, server: srv, listenPort: 5070, toneHz: TONE.agent, autoAnswer: true });
    await agentPhone.waitRegistered();
    desk = await open('en-US');
    await signIn(desk, '8011', AGENT_PW);
    await expect.poll(() => new URL(desk.url()).pathname).toBe('/agent');
    const agentState = () => desk.getByTestId('agent-state').getAttribute('data-state');
    await expect.poll(agentState).toBe('logged-out');
    await desk.getByTestId('action-sign-in').click();
    await expect.poll(agentState).toBe('not-ready');
    await desk.getByTestId('action-ready').click();
    await expect.poll(agentState).toBe('ready');
    expect(agent('8011').state).toBe('ready');
    const ready = (api('GET', '/api/v1/agents').json as Agent[]).filter((a) => a.state === 'ready').map((a) => a.id);
    expect(ready).toEqual(['8011']);
    await expect.poll(() => admin.getByTestId('state-8011').innerText(), { timeout: 10_000 }).toBe('示闲');
  }, 120_000);

  it('a customer calling 95001 is offered to 8011, which answers: the customer hears 8011', async () => {
    dial(blocked);
    const talking = await until('8011 talks', () => agent('8011'), (a) => a.state === 'talking' && a.interactionId !== undefined, 20_000);
    const ixId = talking.interactionId!;
    const view = api('GET', `/api/v1/interactions/${ixId}`).json as View;
    expect(view).toMatchObject({ state: 'talking', agentId: '8011' });
    expect(talking.counters).toMatchObject({ offered: 1, answered: 1 });
    const tones = await talkAndHangUp(blocked, ixId);
    console.log(`web-admin-live: first call, customer heard ${JSON.stringify(tones)} dBFS`);
    expect(tones[TONE.agent]).toBeGreaterThan(PRESENT);
    expect(api('POST', '/api/v1/agents/8011/wrap-up-done').status).toBe(200);
    await until('8011 ready again', () => agent('8011').state, (s) => s === 'ready', 15_000);
  }, 60_000);

  it('the admin blacklists 8009 with mode refuse in the Blacklist page: its next call is refused, 8008 still gets through', async () => {
    await admin.goto(`${server.httpUrl}/admin/blacklist`);
    await admin.getByTestId('add-blacklist').click();
    await admin.getByTestId('blacklist-number').fill('8009');
    await expect.poll(() => admin.getByTestId('blacklist-mode').innerText()).toBe('拒绝呼入');
    await admin.getByTestId('blacklist-reason').fill('e2e');
    await admin.getByTestId('blacklist-save').click();
    await admin.getByTestId('blacklisted-8009').waitFor();
    expect(api('GET', '/api/v1/blacklist').json).toEqual([{ number: '8009', match: 'exact', mode: 'refuse', reason: 'e2e' }]);

    const offeredBefore = agent('8011').counters.offered;
    const mark = blocked.output().length;
    const tDial = Date.now();
    dial(blocked);
    await blocked.waitFor(/terminated|closed/i, 30_000, mark);
    const tClosed = Date.now();
    const seen = blocked.output().slice(mark);
    const refusedLine = seen.match(/.*(terminated|closed).*/i)?.[0];
    const answered = /call established/i.test(seen);
    await sleep(500);
    const records = await until(
      'the refused call record',
      () => api('GET', '/api/v1/call-records?number=8009&limit=5').json as { items: CallRecord[] },
      (r) => r.items.some((c) => c.cause === 'blacklist-refused'),
      10_000,
    );
    const refused = records.items.find((c) => c.cause === 'blacklist-refused')!;
    console.log(`web-admin-live: blacklisted call (${tClosed - tDial} ms, answered first: ${answered}): ${refusedLine?.trim()}; record ${JSON.stringify({ cause: refused.cause, hungUpBy: refused.hungUpBy, agentId: refused.agentId, disposition: refused.disposition })}`);
    // rejected unanswered with 603, not answered and then hung up
    expect(refusedLine).toMatch(/603 Decline/);
    expect(refused.disposition).toBe('refused');
    expect(refused.agentId).toBeUndefined();
    expect(agent('8011')).toMatchObject({ state: 'ready', counters: { offered: offeredBefore } });

    dial(other);
    const talking = await until('8011 talks with 8008', () => agent('8011'), (a) => a.state === 'talking' && a.interactionId !== undefined, 20_000);
    expect((api('GET', `/api/v1/interactions/${talking.interactionId}`).json as View).customer?.number).toBe('8008');
    const tones = await talkAndHangUp(other, talking.interactionId!);
    console.log(`web-admin-live: call from 8008 after the blacklist, customer heard ${JSON.stringify(tones)} dBFS`);
    expect(tones[TONE.agent]).toBeGreaterThan(PRESENT);
    expect(tones[TONE.blocked]).toBeLessThan(ABSENT);
    expect(errors).toEqual([]);
  }, 90_000);

  it('after a restart the administered agent is still there with its skills and signs in; the blacklist is kept; frozen in the edit dialog it can no longer sign in', async () => {
    const t0 = Date.now();
    const lap = (what: string) => console.log(`web-admin-live: ${what} at +${Date.now() - t0} ms`);
    await server.restart();
    lap('restarted');
    api = nsApi(ns, server.httpUrl, server.adminToken);
    const list = api('GET', '/api/v1/admin/agents').json as { id: string }[];
    expect(list.find((a) => a.id === '8011')).toMatchObject({ skills: { general: 7 }, status: 'normal', webUser: true, sipAccount: true });
    expect(api('GET', '/api/v1/blacklist').json).toEqual([{ number: '8009', match: 'exact', mode: 'refuse', reason: 'e2e' }]);
    const fresh = await open('en-US');
    await signIn(fresh, '8011', AGENT_PW);
    await expect.poll(() => new URL(fresh.url()).pathname).toBe('/agent');

    // The admin gives 8011 a second skill and freezes it in the edit dialog: in force at once, no sign-in any more.
    lap('8011 signed in');
    const adm = await open('en-US');
    await signIn(adm, 'admin', readFileSync(join(server.dataDir, 'admin-password'), 'utf8').trim());
    await adm.goto(`${server.httpUrl}/admin/agents`);
    lap('admin page');
    await adm.getByTestId('edit-8011').click();
    await adm.getByTestId('edit-skills').fill('general:7, vip:8');
    await adm.getByTestId('edit-status').click();
    await adm.locator('.ant-select-item-option[title="Frozen"]').click();
    await adm.getByTestId('agent-edit-save').click();
    await expect.poll(() => adm.getByTestId('status-8011').innerText()).toBe('Frozen');
    lap('frozen');
    const frozen = (api('GET', '/api/v1/admin/agents').json as { id: string }[]).find((a) => a.id === '8011');
    expect(frozen).toMatchObject({ skills: { general: 7, vip: 8 }, groups: ['front'], branch: 'sh', status: 'frozen', state: 'locked' });
    // ADM-1: the organisation catalog is kept too (meta key admin.org).
    expect(api('GET', '/api/v1/admin/agent-groups').json).toEqual([{ id: 'front', name: '一线', branch: 'sh', supervisors: [] }]);
    expect(api('POST', '/api/v1/session', { username: '8011', password: AGENT_PW }).status).toBe(401);
    expect(errors).toEqual([]);
  }, 90_000);
});

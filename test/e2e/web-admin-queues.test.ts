/**
 * Queue, hours and routing administration in force at once (issue 7; ADM-1,
 * ADM-2, ACD-6, ACD-9, CTI-7), against a real `hotline start` in its own
 * network namespace with chromium and baresip phones inside it:
 *
 *   - the admin opens the Queues page (zh-CN) and lowers the `general`
 *     queue's service-time limit from 10 min to 6 s with a 3 s reminder; the
 *     form first refuses a reminder longer than the limit;
 *   - agent 8001 signs in on its desktop, logs in and goes ready; its page
 *     holds the agent's own event stream (/api/v1/events with the agent's
 *     token); customer 8009 calls 95001 and 8001's baresip phone answers;
 *   - without a restart, the agent's stream delivers `service-time` with
 *     remainingMs 3000 (the reminder) and 0 (the limit), limitMs 6000, about
 *     3 s and 6 s after `connected`; the customer hears 8001's tone;
 *   - the admin closes 95001 for today in the Business hours page (a
 *     holiday): the next call is not offered to the ready agent; opened
 *     again, the next call reaches 8001;
 *   - the Routing rules page shows the rules in force, refuses bad JSON and
 *     an unknown queue, applies an edit as version 2 and rolls back to 1 as
 *     version 3; in the Entry points page the admin has 95000 answered by
 *     the bank pack in English, and the next call to 95000 runs it (the
 *     IVR's step log);
 *   - after a restart the lowered limit, the hours, the routing rule
 *     versions and 95000's pack are still in force (meta keys admin.queues,
 *     admin.entryPoints, admin.routingRules, admin.ivrEntryPoints).
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
import { ivrStepWhere, ivrSteps } from '../support/ivr-log.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import type { HotlineProcess } from '../support/server.ts';
import { pageOpener, signInWeb } from '../support/web-sign-in.ts';

const skip = netnsUnavailable();
/** The page follows within seconds (on two shared cores a save and its reload can take more than vitest's default 1 s). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const TONE = { agent: 1100, customer: 400 } as const;
const PRESENT = -35;

interface Agent {
  id: string;
  state: string;
  interactionId?: string;
  counters: { offered: number; answered: number };
}
interface Frame {
  type: string;
  agentId?: string;
  at: number;
  received: number;
  limitMs?: number;
  remainingMs?: number;
  serviceTimeLimitMs?: number;
}

/** Runs in the agent's page: its own event stream, every ACD frame about 8001 kept with the time it arrived. */
const WATCH_AGENT_STREAM = `(() => {
  const w = window;
  w.__frames = [];
  const token = JSON.parse(localStorage.getItem('hotline.session')).token;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/events');
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onerror = () => reject(new Error('event stream failed'));
    ws.onmessage = (e) => {
      const f = JSON.parse(e.data);
      if (f.type === 'hello') resolve(f.role);
      if (f.source === 'acd' && f.agentId === '8001') w.__frames.push({ ...f, received: Date.now() });
    };
    w.__agentSocket = ws;
  });
})()`;

describe.skipIf(skip)(`queue, hours and routing administration in force at once (ADM-2, ACD-6, ACD-9, CTI-7)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let srv: string;
  let agentPhone: Phone;
  let customer: Phone;
  let browser: Browser;
  let admin: Page;
  let desk: Page;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'web-admin-queues-e2e-'));

  const agent = (id: string) => api('GET', `/api/v1/agents/${id}`).json as Agent;
  const dial = () => customer.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);
  const frames = async () => (await desk.evaluate('window.__frames')) as Frame[];
  async function framesUntil(what: string, ok: (f: Frame[]) => boolean, timeoutMs: number): Promise<Frame[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const f = await frames();
      if (ok(f)) return f;
      if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms; frames: ${JSON.stringify(f).slice(0, 2000)}`);
      await sleep(100);
    }
  }
  const adminPassword = () => readFileSync(join(server.dataDir, 'admin-password'), 'utf8').trim();

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    ({ ns, server, api, srv } = await hotlineInNetns(81, ['--digest-algorithms', 'MD5', '--log-level', 'info']));
    agentPhone = startPhone({ netns: ns, user: '8001', password: 'demo-8001', server: srv, listenPort: 5070, toneHz: TONE.agent, autoAnswer: true });
    customer = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: TONE.customer });
    await Promise.all([agentPhone.waitRegistered(), customer.waitRegistered()]);
    browser = await chromiumInNetns({ ns, dir, origin: server.httpUrl });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await tearDownNetnsTest({ phones: [agentPhone, customer], server, ns, dir });
  });

  const open = pageOpener({ browser: () => browser, contexts, errors });

  const signIn = (page: Page, username: string, password: string) => signInWeb(page, server.httpUrl, username, password);

  /** Hangs up from the customer and waits until the call has ended and 8001 is ready again. */
  async function hangUp(ixId: string): Promise<void> {
    await sleep(1500); // a moment of talk: a BYE in the same instant as the answer is another test's subject
    const mark = customer.output().length;
    const tBye = Date.now();
    customer.command('/hangup');
    await customer.waitFor(/terminated|closed/i, 30_000, mark);
    if (Date.now() - tBye > 5000) console.log(`web-admin-queues: the customer's BYE took ${Date.now() - tBye} ms to be answered`);
    await until('the call ended', () => api('GET', `/api/v1/interactions/${ixId}`), (r) => r.status === 404 || (r.json as { state: string }).state === 'ended');
    if (agent('8001').state === 'wrap-up') expect(api('POST', '/api/v1/agents/8001/wrap-up-done').status).toBe(200);
    await until('8001 ready again', () => agent('8001').state, (s) => s === 'ready', 15_000);
  }

  it('the admin lowers the general queue’s service-time limit to 6 s in the Queues page; a reminder longer than the limit is refused first', async () => {
    admin = await open('zh-CN');
    await signIn(admin, 'admin', adminPassword());
    await admin.goto(`${server.httpUrl}/admin/queues`);
    await admin.getByTestId('queue-row-general').waitFor();
    await poll(() => admin.getByTestId('limit-general').innerText()).toBe('10 min');
    await admin.getByTestId('edit-queue-general').click();
    await admin.getByTestId('queue-serviceTimeLimitSec').fill('6');
    await admin.getByTestId('queue-serviceTimeReminderSec').fill('8');
    await admin.getByTestId('queue-save').click();
    await admin.getByText('需要先设上限，且提醒须短于上限').waitFor();
    expect((api('GET', '/api/v1/admin/queues').json as { id: string; serviceTimeLimitMs?: number }[]).find((q) => q.id === 'general')?.serviceTimeLimitMs).toBe(600_000);
    await admin.getByTestId('queue-serviceTimeReminderSec').fill('3');
    await admin.getByTestId('queue-save').click();
    await poll(() => admin.getByTestId('limit-general').innerText()).toBe('6 s');
    const general = (api('GET', '/api/v1/admin/queues').json as { id: string }[]).find((q) => q.id === 'general');
    expect(general).toMatchObject({ serviceTimeLimitMs: 6000, serviceTimeReminderMs: 3000, requiredSkills: [{ skill: 'general' }], treatment: { maxWait: { afterMs: 300_000 } } });
    expect(general).not.toHaveProperty('strategy'); // the form kept the server default
    const logged = server.stdout().split('\n').find((l) => l.includes('"admin change"') && l.includes('queue.update'));
    expect(JSON.parse(logged!).audit).toMatchObject({ by: 'admin', action: 'queue.update', queue: 'general', detail: { serviceTimeLimitMs: 6000, serviceTimeReminderMs: 3000 } });
  }, 90_000);

  it('without a restart, 8001’s own event stream gets the reminder at 3 s and the limit at 6 s of a real call; the customer hears 8001', async () => {
    desk = await open('en-US');
    await signIn(desk, '8001', 'demo-8001');
    await poll(() => new URL(desk.url()).pathname).toBe('/agent');
    const agentState = () => desk.getByTestId('agent-state').getAttribute('data-state');
    await poll(agentState).toBe('logged-out');
    await desk.getByTestId('action-sign-in').click();
    await poll(agentState).toBe('not-ready');
    await desk.getByTestId('action-ready').click();
    await poll(agentState).toBe('ready');
    expect(await desk.evaluate(WATCH_AGENT_STREAM)).toBe('agent');

    dial();
    const talking = await until('8001 talks', () => agent('8001'), (a) => a.state === 'talking' && a.interactionId !== undefined, 20_000);
    const tTalk = Date.now();
    const got = await framesUntil('service-time at the limit', (f) => f.some((x) => x.type === 'service-time' && x.remainingMs === 0), 20_000);
    const tEnd = Date.now();
    const connected = got.find((f) => f.type === 'connected')!;
    const st = got.filter((f) => f.type === 'service-time');
    console.log(`web-admin-queues: connected then service-time ${st.map((f) => `remaining ${f.remainingMs} ms at +${f.at - connected.at} ms (received +${f.received - connected.received} ms)`).join(', ')}`);
    expect(connected).toMatchObject({ serviceTimeLimitMs: 6000 });
    expect(st).toMatchObject([
      { agentId: '8001', limitMs: 6000, remainingMs: 3000 },
      { agentId: '8001', limitMs: 6000, remainingMs: 0 },
    ]);
    expect(st[0]!.at - connected.at).toBeGreaterThanOrEqual(3000);
    expect(st[1]!.at - connected.at).toBeGreaterThanOrEqual(6000);
    expect(agent('8001').state).toBe('talking'); // a reminder, not a hang-up
    await sleep(300);
    const heard = new PhoneRecording(customer.heardWav(), tEnd).heard(tTalk, tEnd, Object.values(TONE)).tones;
    console.log(`web-admin-queues: customer heard ${JSON.stringify(heard)} dBFS while talking`);
    expect(heard[TONE.agent]).toBeGreaterThan(PRESENT);
    await hangUp(talking.interactionId!);
  }, 90_000);

  it('95001 closed for today in the Business hours page: the next call is not offered to the ready agent; opened again, it is', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await admin.goto(`${server.httpUrl}/admin/hours`);
    await poll(() => admin.getByTestId('open-general').innerText()).toMatch(/营业中/);
    await admin.getByTestId('edit-hours-general').click();
    await admin.getByTestId('hours-always-open').click();
    for (const d of ['0', '1', '2', '3', '4', '5', '6']) await admin.getByTestId(`hours-day-${d}`).fill('00:00-24:00');
    await admin.getByTestId('hours-holidays').fill('2026-02-30');
    await admin.getByTestId('hours-save').click();
    await admin.getByText('无效：2026-02-30').waitFor();
    await admin.getByTestId('hours-holidays').fill(today);
    await admin.getByTestId('hours-save').click();
    await poll(() => admin.getByTestId('open-general').innerText()).toMatch(/休息.*节假日/);

    const offered = agent('8001').counters.offered;
    const mark = customer.output().length;
    dial();
    await customer.waitFor(/Call established|terminated|closed/i, 20_000, mark); // night service (voicemail) answers
    await sleep(3000);
    expect(agent('8001')).toMatchObject({ state: 'ready', counters: { offered } });
    if (!/terminated|closed/i.test(customer.output().slice(mark))) {
      const m2 = customer.output().length;
      customer.command('/hangup');
      await customer.waitFor(/terminated|closed/i, 30_000, m2);
    }
    const records = await until(
      'the closed call record',
      () => api('GET', '/api/v1/call-records?number=8009&limit=1').json as { items: { cause?: string; agentId?: string; endedAt?: string }[] },
      (r) => r.items[0]?.endedAt !== undefined,
      15_000,
    );
    console.log(`web-admin-queues: call while closed: record ${JSON.stringify({ cause: records.items[0]!.cause, agentId: records.items[0]!.agentId })}`);
    expect(records.items[0]!.agentId).toBeUndefined();
    const put = api('PUT', '/api/v1/admin/hours/general', { hours: null });
    expect(put.status).toBe(200);
    await admin.reload();
    await poll(() => admin.getByTestId('open-general').innerText()).toMatch(/营业中/);
    await sleep(500);
    dial();
    const talking = await until('8001 talks again', () => agent('8001'), (a) => a.state === 'talking' && a.interactionId !== undefined, 20_000);
    await hangUp(talking.interactionId!);
    // Closed again for the restart check below.
    expect(api('PUT', '/api/v1/admin/hours/general', { hours: { holidays: [today] } }).status).toBe(200);
  }, 90_000);

  it('the Routing rules page refuses bad JSON and unknown queues, applies an edit as version 2 and rolls back; in the Entry points page 95000 goes to the bank pack and the next call runs it', async () => {
    const page = await open('en-US');
    await signIn(page, 'admin', adminPassword());
    await page.goto(`${server.httpUrl}/admin/routing-rules`);
    await page.getByTestId('rules-editor').waitFor();
    await page.screenshot({ path: join(dir, '..', 'web-admin-queues-rules.png') }).catch(() => {});
    await poll(() => page.getByTestId('rules-editor').inputValue()).toContain('vip-to-vip-queue');
    await page.getByTestId('rules-editor').fill('{ "pre": [ ');
    await page.getByTestId('rules-problem').waitFor();
    await page.getByTestId('rules-editor').fill(JSON.stringify({ pre: [{ id: 'to-nowhere', when: { customerLevel: ['special'] }, queue: 'nowhere' }] }));
    await page.getByTestId('rules-apply').click();
    await poll(() => page.getByTestId('rules-problem').innerText()).toContain('unknown queue nowhere');
    await page.getByTestId('rules-editor').fill(JSON.stringify({ pre: [{ id: 'vip-to-general', when: { customerLevel: ['special'] }, queue: 'general' }] }));
    await page.getByTestId('rules-apply').click();
    await page.getByTestId('rules-version-2').waitFor();
    expect((api('GET', '/api/v1/routing-rules').json as { version: number; author: string }).version).toBe(2);
    await page.getByTestId('rollback-1').click();
    await page.getByRole('button', { name: /^Yes$/ }).click();
    await page.getByTestId('rules-version-3').waitFor();
    const now = api('GET', '/api/v1/routing-rules').json as { version: number; rules: { pre: { id: string }[] }; note?: string };
    expect(now).toMatchObject({ version: 3, rules: { pre: [{ id: 'vip-to-vip-queue' }] }, note: 'rollback to 1' });

    await page.goto(`${server.httpUrl}/admin/entry-points`);
    await page.getByTestId('entry-point-row-general').waitFor();
    await poll(() => page.getByTestId('entry-point-row-general').innerText()).toContain('95001');
    await page.getByTestId('ivr-row-95000').waitFor();

    // 95000 answered by the bank pack in English from the next call on: a real call runs it.
    await page.getByTestId('ivr-pack-95000').click();
    await page.locator('.ant-select-item-option[title="Bank · English"]').click();
    await poll(() => (api('GET', '/api/v1/admin/ivr-entry-points').json as { dnis: string; pack?: string; locale?: string }[]).find((e) => e.dnis === '95000'));
    expect((api('GET', '/api/v1/admin/ivr-entry-points').json as { dnis: string }[]).find((e) => e.dnis === '95000')).toMatchObject({ pack: 'bank', locale: 'en-US', application: 'http://hotline.invalid/ivr/packs/bank/en-US/' });
    const tDial = Date.now();
    const mark = customer.output().length;
    customer.command(`/dial sip:95000@${ns.serverAddress}:${server.sipPort}`);
    const prompt = await ivrStepWhere(server, 'the first prompt of the call', (x) => x.at >= tDial && x.kind === 'prompt', 40_000);
    const first = ivrSteps(server).find((x) => x.sessionId === prompt.sessionId)!;
    console.log(`web-admin-queues: 95000 after the change ran ${first.node}, first prompt "${prompt.result}"`);
    expect(first.node).toBe('http://hotline.invalid/ivr/packs/bank/en-US/');
    expect(prompt.result).toMatch(/bank service line/i);
    const m2 = customer.output().length;
    customer.command('/hangup');
    await customer.waitFor(/terminated|closed/i, 30_000, Math.max(mark, m2));
    expect(errors).toEqual([]);
  }, 90_000);

  it('after a restart the lowered limit, the holiday, the routing rules version and 95000\'s pack are still in force', async () => {
    await server.restart();
    api = nsApi(ns, server.httpUrl, server.adminToken);
    const general = (api('GET', '/api/v1/admin/queues').json as { id: string }[]).find((q) => q.id === 'general');
    expect(general).toMatchObject({ serviceTimeLimitMs: 6000, serviceTimeReminderMs: 3000 });
    expect((api('GET', '/api/v1/admin/hours').json as { id: string; open: boolean; rule: string }[])[0]).toMatchObject({ id: 'general', open: false, rule: 'holiday' });
    const restored = server.stdout().split('\n').find((l) => l.includes('administered queues and hours restored'));
    expect(JSON.parse(restored!)).toMatchObject({ queues: ['general'], entryPoints: ['general'], ruleVersions: 3, skipped: [] });
    expect(api('GET', '/api/v1/routing-rules').json).toMatchObject({ version: 3, note: 'rollback to 1' });
    expect((api('GET', '/api/v1/admin/ivr-entry-points').json as { dnis: string }[]).find((e) => e.dnis === '95000')).toMatchObject({ pack: 'bank', locale: 'en-US' });
  }, 60_000);
});

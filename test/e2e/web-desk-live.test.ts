/**
 * The agent desktop on the event stream against a real `hotline start`
 * with real phones, all in one network namespace (issue 7; CTI-1, CTI-6,
 * CTI-7, ACD-7, ADM-1):
 *
 *   - the admin API sets a short service-time limit on the general queue
 *     (12 s, reminder 8 s before) and flags the caller's number (ACD-7);
 *   - agent 8001 (no may-dial-out: a demo agent nobody allowed) signs in in
 *     chromium; the desktop follows /api/v1/events (its tag says live);
 *     typing an outside number disables the number actions, an extension
 *     does not; the server refuses the outside call with 403
 *     dial-out-not-allowed (ADM-1);
 *   - a baresip customer (8009) calls 95001; 8001's baresip phone answers
 *     by itself; the desktop shows the offer and the call, the blacklist
 *     warning, and the service-time countdown, which turns warning and then
 *     over (CTI-7);
 *   - NO polling: from ready to the end of the call the page sends no GET
 *     to /api/v1/agents* (playwright request events); only the loads at
 *     start do;
 *   - the warning's one-click hang-up ends the call (ACD-7).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { sleep } from '../support/call-audio.ts';
import { chromiumInNetns } from '../support/netns-chromium.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';

const skip = netnsUnavailable();
const LIMIT_MS = 12_000;
const REMINDER_MS = 8_000;
const OUTSIDE = '913900000000';

describe.skipIf(skip)(`agent desktop on the event stream: offer without polling, service-time countdown, blacklist hang-up, may-dial-out (CTI-1, CTI-7, ACD-7, ADM-1)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let agentPhone: Phone;
  let customer: Phone;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'web-desk-live-e2e-'));

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(80, ['--digest-algorithms', 'MD5', '--log-level', 'warn']));
    agentPhone = startPhone({ netns: ns, user: '8001', password: 'demo-8001', server: srv, listenPort: 5070, toneHz: 1100, autoAnswer: true });
    customer = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: 400 });
    await Promise.all([agentPhone.waitRegistered(), customer.waitRegistered()]);
    browser = await chromiumInNetns({ ns, dir, origin: server.httpUrl });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await tearDownNetnsTest({ phones: [agentPhone, customer], server, ns, dir });
  });

  it('offer and call from events with no agent polling; countdown to warning and over; blacklist one-click hang-up; outside numbers refused', async () => {
    const limit = api('PATCH', '/api/v1/admin/queues/general', { serviceTimeLimitMs: LIMIT_MS, serviceTimeReminderMs: REMINDER_MS });
    expect(limit.status, JSON.stringify(limit.json)).toBe(200);
    expect(api('POST', '/api/v1/blacklist', { number: '8009', mode: 'flag', reason: 'e2e' }).status).toBe(201);

    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    ctx.setDefaultTimeout(15_000);
    const desk: Page = await ctx.newPage();
    const errors: string[] = [];
    desk.on('pageerror', (e) => errors.push(e.message));
    // Every GET the page sends to /api/v1/agents*, with when it was sent.
    const agentGets: { at: number; path: string }[] = [];
    desk.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() === 'GET' && path.startsWith('/api/v1/agents')) agentGets.push({ at: Date.now(), path });
    });

    await desk.goto(server.httpUrl);
    await desk.getByLabel('Username').fill('8001');
    await desk.getByLabel('Password').fill('demo-8001');
    await desk.getByRole('button', { name: /^Sign in$/ }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    const agentState = () => desk.getByTestId('agent-state').getAttribute('data-state');
    const callState = () => desk.getByTestId('call-state').getAttribute('data-state');
    const enabled = (id: string) => desk.getByTestId(`action-${id}`).getAttribute('data-enabled');
    await expect.poll(() => desk.getByTestId('desk-live').getAttribute('data-link'), { timeout: 15_000 }).toBe('live');
    await desk.getByTestId('action-sign-in').click();
    await expect.poll(agentState).toBe('not-ready');

    // ADM-1: 8001 may not dial out. An outside number disables the number actions; an extension does not.
    await desk.getByTestId('dial-out-not-allowed').waitFor();
    await desk.getByTestId('desk-target').fill(OUTSIDE);
    await expect.poll(() => enabled('make-call')).toBe('false');
    await desk.getByTestId('desk-target').fill('8002');
    await expect.poll(() => enabled('make-call')).toBe('true');
    await desk.getByTestId('desk-target').fill('');
    const refused = api('POST', '/api/v1/calls', { number: OUTSIDE, agentId: '8001' });
    expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([403, 'dial-out-not-allowed']);

    await desk.getByTestId('action-ready').click();
    await expect.poll(agentState).toBe('ready');
    await sleep(1500); // the answer to the last load is in; from here on only events may move the desk
    const startLoads = agentGets.length;
    const windowStart = Date.now();

    const mark = customer.output().length;
    customer.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);
    // The offer and the answer come from events: the pop, the blacklist warning, the call.
    await desk.getByTestId('blacklist-warning').waitFor({ timeout: 20_000 });
    await expect.poll(callState, { timeout: 20_000 }).toBe('talking');
    await expect.poll(agentState).toBe('talking');
    expect(await desk.getByTestId('call-customer').innerText()).toContain('8009');
    // The flag is in the call view too (call data), so it travels with transfers and survives a reload.
    const ixId = (api('GET', '/api/v1/agents/8001').json as { interactionId?: string }).interactionId;
    expect((api('GET', `/api/v1/interactions/${ixId}`).json as { callData: Record<string, unknown> }).callData).toMatchObject({ blacklisted: true });

    // CTI-7: the countdown appears at the answer, turns warning at the reminder and over at the limit.
    const countdown = desk.getByTestId('service-countdown');
    await countdown.waitFor({ timeout: 10_000 });
    const firstPhase = await countdown.getAttribute('data-phase');
    const firstText = await countdown.innerText();
    await expect.poll(() => countdown.getAttribute('data-phase'), { timeout: LIMIT_MS }).toBe('warning');
    const warningText = await countdown.innerText();

    // During the call too: an outside consult target disables consult and blind transfer; an agent does not.
    await desk.getByTestId('desk-target').fill(OUTSIDE);
    await expect.poll(() => enabled('consult')).toBe('false');
    expect(await enabled('transfer-blind')).toBe('false');
    await desk.getByTestId('desk-target').fill('8002');
    await expect.poll(() => enabled('consult')).toBe('true');
    await desk.getByTestId('desk-target').fill('');

    await expect.poll(() => countdown.getAttribute('data-phase'), { timeout: LIMIT_MS }).toBe('over');
    const overText = await countdown.innerText();

    // ACD-7: one click hangs up the flagged caller.
    await desk.getByTestId('blacklist-hangup').click();
    await customer.waitFor(/terminated|closed/i, 10_000, mark);
    await expect.poll(callState, { timeout: 10_000 }).toBe('idle');
    await expect.poll(agentState, { timeout: 10_000 }).toBe('wrap-up');
    await expect.poll(() => desk.getByTestId('service-countdown').count()).toBe(0);
    const windowMs = Date.now() - windowStart;
    const inCall = agentGets.slice(startLoads);

    const report = { startLoads, loads: agentGets.map((g) => g.path), inCall, windowMs, firstPhase, firstText, warningText, overText, errors };
    console.log(`web-desk-live: ${JSON.stringify(report)}`);
    // No polling: not one GET /api/v1/agents* from ready to the end of the call, while it lasted this long.
    expect(inCall, JSON.stringify(report)).toEqual([]);
    expect(windowMs).toBeGreaterThan(LIMIT_MS);
    // Only the loads at start: the agent and the agent list as the page mounts and the session settles, the agent again when the stream came up (5 seen).
    expect(startLoads, JSON.stringify(report)).toBeGreaterThanOrEqual(2);
    expect(startLoads, JSON.stringify(report)).toBeLessThanOrEqual(6);
    expect(firstPhase).toBe('ok');
    expect(overText.startsWith('-')).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);
});

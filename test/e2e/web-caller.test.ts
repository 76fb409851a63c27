/**
 * Browser calls with no phone (issue 7; TEL-2, MSG-4): a real `hotline
 * start`, a baresip agent phone and Debian's chromium, all in one network
 * namespace. The caller page (/call, no sign-in) calls with SIP.js over
 * WebSocket; Hotline terminates the WebRTC media (werift) and relays it to
 * the ordinary engine leg.
 *
 *   - 95001 (general queue): agent 8006 (baresip, auto-answer, 1100 Hz)
 *     answers; the browser's fake microphone plays 700 Hz. The agent's
 *     recording is analysed for 700 Hz, and the page analyses what it
 *     receives (WebAudio on the remote stream, Goertzel) for 1100 Hz.
 *     Hang-up from the page ends the agent's call; the call record exists.
 *   - 95000 (securities IVR): 1 keyed on the page's keypad (RFC 4733 through
 *     RTCDTMFSender) reaches the IVR menu: the `ivr step` log and the usage
 *     report show the choice.
 *   - The agent desktop's browser phone: agent 8007 signs in (a second
 *     chromium, microphone 1300 Hz), turns the phone on (it registers with
 *     the HA1 the API hands out, no SIP password typed), goes ready; the
 *     caller page calls 95001; the gateway offers WebRTC to the ws contact,
 *     the panel answers by itself, and each page hears the other's tone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { PhoneRecording, sleep, until } from '../support/call-audio.ts';
import { ivrSteps, type IvrStep as Step } from '../support/ivr-log.ts';
import { chromiumInNetns } from '../support/netns-chromium.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import type { HotlineProcess } from '../support/server.ts';
import { pageToneLevels } from '../support/page-audio.ts';

const skip = netnsUnavailable();
const BROWSER_HZ = 700;
const AGENT_HZ = 1100;
const OTHER_HZ = 1700;
const DESK_HZ = 1300;

describe.skipIf(skip)(`web caller: a browser calls a service number with no phone (TEL-2, MSG-4)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let agent: Phone;
  let browser: Browser;
  let deskBrowser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'web-caller-e2e-'));

  const steps = (): Step[] => ivrSteps(server);

  /** What each closed WebRTC session relayed (the terminator's log line at close). */
  const relayCounts = () =>
    server
      .stdout()
      .split('\n')
      .filter((l) => l.includes('"webrtc session closed"'))
      .map((l) => JSON.parse(l) as { toBrowser: number; toEngine: number; dtmfToEngine: number; unvalidatedDropped: number });

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(84, ['--digest-algorithms', 'MD5', '--log-level', 'info']));
    agent = startPhone({ netns: ns, user: '8006', password: 'demo-8006', server: srv, listenPort: 5070, toneHz: AGENT_HZ, autoAnswer: true });
    await agent.waitRegistered();
    // Each browser's microphone: one tone, from a WAV chromium loops.
    const launch = (hz: number) => chromiumInNetns({ ns, dir, origin: server.httpUrl, microphoneHz: hz, seconds: 30 });
    browser = await launch(BROWSER_HZ);
    deskBrowser = await launch(DESK_HZ);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await deskBrowser?.close();
    await tearDownNetnsTest({ phones: [agent], server, ns, dir });
  });

  /** The caller page: at /call, or by the link on the sign-in page. */
  async function callerPage(viaSignIn = false): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`[page] ${m.text()}`);
    });
    if (viaSignIn) {
      await page.goto(`${server.httpUrl}/`);
      await page.getByTestId('call-us').click();
      await page.waitForURL(/\/call$/);
    } else await page.goto(`${server.httpUrl}/call`);
    await page.getByTestId('call-95001').waitFor({ timeout: 15_000 });
    return page;
  }

  const phase = (page: Page) => page.getByTestId('call-phase').getAttribute('data-phase');

  it('95001: the agent answers, each side hears the other\'s tone, hang-up from the page, the call record exists', async () => {
    for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/8006/${step}`).status).toBe(200);
    const page = await callerPage(true);
    expect(await page.getByTestId('caller-blocked').count()).toBe(0);
    const clickedAt = Date.now();
    await page.getByTestId('call-95001').click();
    await page.locator('[data-testid="call-phase"][data-phase="in-call"]').waitFor({ timeout: 20_000 });
    const answeredAt = Date.now();
    const talking = await until('8006 talks', () => api('GET', '/api/v1/agents/8006').json as { state: string; interactionId?: string }, (a) => a.state === 'talking', 30_000);
    const agentAt = Date.now();
    const ixId = talking.interactionId!;
    await sleep(1500);

    const inPage = await pageToneLevels(page, '[data-testid="remote-audio"]', [BROWSER_HZ, AGENT_HZ, OTHER_HZ], 3000);
    const talkFrom = Date.now() - 3000;
    await sleep(1000);
    expect(await page.getByTestId('call-timer').textContent()).toMatch(/^00:0[3-9]|^00:[1-5]\d/);

    const hungUpAt = Date.now();
    await page.getByTestId('hangup').click();
    await page.locator('[data-testid="call-phase"][data-phase="ended"]').waitFor({ timeout: 10_000 });
    await agent.waitFor(/closed|terminated|Call.*(ended|closed)/i, 10_000);
    await until('the interaction ends', () => api('GET', '/api/v1/calls').json as { id: string }[], (l) => !l.some((c) => c.id === ixId), 15_000);
    await sleep(500);
    const heard = new PhoneRecording(agent.heardWav(), hungUpAt).heard(talkFrom, hungUpAt, [BROWSER_HZ, AGENT_HZ, OTHER_HZ], 0.5);
    const msg = JSON.stringify({ clickToAnswerMs: answeredAt - clickedAt, clickToAgentMs: agentAt - clickedAt, inPage, agentHeard: heard.tones });
    console.log(`web-caller audio: ${msg}`);
    // The agent hears the browser's tone, well above anything else.
    // (chromium's own capture processing, noise suppression and gain control, takes some of the steady tone.)
    expect(heard.tones[BROWSER_HZ]!, msg).toBeGreaterThan(-40);
    expect(heard.tones[BROWSER_HZ]! - heard.tones[OTHER_HZ]!, msg).toBeGreaterThan(20);
    // The page hears the agent's tone (and not its own).
    expect(inPage[AGENT_HZ]!, msg).toBeGreaterThan(-30);
    expect(inPage[AGENT_HZ]! - inPage[OTHER_HZ]!, msg).toBeGreaterThan(20);
    expect(inPage[AGENT_HZ]! - inPage[BROWSER_HZ]!, msg).toBeGreaterThan(20);

    const records = await until(
      'the call record',
      () => api('GET', '/api/v1/call-records?agent=8006').json as { items: { id: string; entryPoint?: string; queueId?: string; agents: string[]; disposition?: string }[] },
      (p) => p.items.some((r) => r.id === ixId),
      15_000,
    );
    expect(records.items.find((r) => r.id === ixId)).toMatchObject({ queueId: 'general', agents: ['8006'] });
    await page.context().close();
  }, 120_000);

  it('95000: 1 on the page\'s keypad (RFC 4733) picks the IVR menu\'s first choice', async () => {
    const sessionsBefore = relayCounts().length;
    const page = await callerPage();
    await page.getByTestId('call-95000').click();
    await page.locator('[data-testid="call-phase"][data-phase="in-call"]').waitFor({ timeout: 20_000 });
    await until('the main menu', steps, (l) => l.some((s) => s.kind === 'document' && s.node.includes('/securities/zh-CN/menu')), 20_000);
    await sleep(3000);
    await page.getByTestId('key-1').click();
    const isChoice = (s: Step) => s.kind === 'menu' && /\/securities\/zh-CN\/menu(\?[^#]*)?#menu$/.test(s.node);
    const chosen = await until('the menu choice', steps, (l) => l.some(isChoice), 15_000);
    expect(chosen.find(isChoice)).toMatchObject({ input: '1', result: expect.stringContaining('login') });
    expect(await page.getByTestId('sent-digits').textContent()).toContain('1');
    await page.getByTestId('hangup').click();
    expect(['ended', 'ending']).toContain(await phase(page));
    await page.locator('[data-testid="call-phase"][data-phase="ended"]').waitFor({ timeout: 10_000 });
    // RFC 4733, not in-band: the WebRTC relay passed telephone-event packets from the browser to the engine leg.
    const closed = await until('the WebRTC session closed', relayCounts, (l) => l.length > sessionsBefore, 10_000);
    console.log(`web-caller relay counts: ${JSON.stringify(closed)}`);
    expect(closed.at(-1)!.dtmfToEngine).toBeGreaterThan(0);
    const usage = api('GET', '/api/v1/ivr/usage').json as { nodes: { node: string; outcomes: Record<string, number> }[] };
    expect(usage.nodes.find((n) => n.node.endsWith('/securities/zh-CN/menu#menu'))).toMatchObject({ outcomes: { login: 1 } });
    await page.context().close();
  }, 90_000);

  it("the agent desktop's browser phone registers without a typed SIP password, answers a queue call by itself, audio both ways", async () => {
    // Only 8007 takes queue calls now (8006 may be in wrap-up after the first test, or never logged in).
    if ((api('GET', '/api/v1/agents/8006').json as { state: string }).state !== 'logged-out') {
      api('POST', '/api/v1/agents/8006/wrap-up-done');
      expect(api('POST', '/api/v1/agents/8006/logout').status).toBe(200);
    }
    const ctx = await deskBrowser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    ctx.setDefaultTimeout(15_000);
    const desk = await ctx.newPage();
    desk.on('console', (m) => {
      if (m.type() === 'error') console.log(`[desk] ${m.text()}`);
    });
    await desk.goto(server.httpUrl);
    await desk.getByLabel('Username').fill('8007');
    await desk.getByLabel('Password').fill('demo-8007');
    await desk.getByRole('button', { name: /^Sign in$/ }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    await desk.getByTestId('softphone-switch').click();
    await desk.locator('[data-testid="softphone-status"][data-registered="yes"]').waitFor({ timeout: 15_000 });
    const regs = api('GET', '/api/v1/registrations').json as { aor: string; transport: string }[];
    expect(regs.some((r) => r.aor.startsWith('sip:8007@') && /^wss?$/i.test(r.transport)), JSON.stringify(regs)).toBe(true);
    for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/8007/${step}`).status).toBe(200);

    const page = await callerPage();
    await page.getByTestId('call-95001').click();
    await desk.locator('[data-testid="softphone-phase"][data-phase="in-call"]').waitFor({ timeout: 20_000 });
    const talking = await until('8007 talks', () => api('GET', '/api/v1/agents/8007').json as { state: string; interactionId?: string }, (a) => a.state === 'talking', 20_000);
    await sleep(1500);
    const [callerHears, deskHears] = await Promise.all([
      pageToneLevels(page, '[data-testid="remote-audio"]', [BROWSER_HZ, DESK_HZ, OTHER_HZ], 3000),
      pageToneLevels(desk, '[data-testid="softphone-audio"]', [BROWSER_HZ, DESK_HZ, OTHER_HZ], 3000),
    ]);
    const msg = JSON.stringify({ callerHears, deskHears });
    console.log(`web-caller browser-to-browser audio: ${msg}`);
    expect(callerHears[DESK_HZ]! - callerHears[OTHER_HZ]!, msg).toBeGreaterThan(20);
    expect(callerHears[DESK_HZ]!, msg).toBeGreaterThan(-40);
    expect(deskHears[BROWSER_HZ]! - deskHears[OTHER_HZ]!, msg).toBeGreaterThan(20);
    expect(deskHears[BROWSER_HZ]!, msg).toBeGreaterThan(-40);

    // The agent hangs up in the browser phone: the caller's page sees the end.
    await desk.getByTestId('softphone-hangup').click();
    await page.locator('[data-testid="call-phase"][data-phase="ended"]').waitFor({ timeout: 10_000 });
    await until('the interaction ends', () => api('GET', '/api/v1/calls').json as { id: string }[], (l) => !l.some((c) => c.id === talking.interactionId), 15_000);
    await page.context().close();
    await ctx.close();
  }, 120_000);
});

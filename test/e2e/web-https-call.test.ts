/**
 * A browser on another machine calls over https and wss (TEL-2): browsers
 * give the microphone only to a secure context, so the web caller outside
 * localhost needs Hotline's own https (--https-port) and SIP over secure
 * WebSocket (--sip-wss-port). A real `hotline start` in a network namespace
 * serves both with its self-signed certificate; Debian's chromium loads
 * https://<namespace address>:<port>/call (not localhost, and without the
 * flag that treats a plain-http origin as secure; only the certificate
 * check is switched off, as for any self-signed server), the page connects
 * SIP.js to wss (it learns the port from /api/v1/webphone/config), calls
 * 95000 and the IVR answers: the page hears the main menu.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../web/build.ts';
import { ivrStepWhere } from '../support/ivr-log.ts';
import { chromiumInNetns } from '../support/netns-chromium.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import { hotlineInNetns, tearDownNetnsTest } from '../support/netns-hotline.ts';
import { pageSoundShare } from '../support/page-audio.ts';
import { freePorts } from '../support/ports.ts';
import type { HotlineProcess } from '../support/server.ts';

const skip = netnsUnavailable();

describe.skipIf(skip)(`web caller over https and wss from a namespace address (TEL-2)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let browser: Browser;
  let origin: string;
  let wssPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'web-https-e2e-'));

  beforeAll(async () => {
    await ensureWebBuild({ log: () => {} });
    let httpsPort: number;
    [httpsPort, wssPort] = (await freePorts(2)) as [number, number];
    ({ ns, server } = await hotlineInNetns(79, ['--digest-algorithms', 'MD5', '--log-level', 'info', '--https-port', String(httpsPort), '--sip-wss-port', String(wssPort)]));
    origin = `https://${ns.serverAddress}:${httpsPort}`;
    browser = await chromiumInNetns({ ns, dir, origin, microphoneHz: 700, seconds: 30, args: ['--ignore-certificate-errors'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await tearDownNetnsTest({ phones: [], server, ns, dir });
  });

  it('loads /call over https, calls 95000 over wss and hears the IVR', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`[page] ${m.text()}`);
    });
    await page.goto(`${origin}/call`);
    expect(await page.evaluate('window.isSecureContext')).toBe(true);
    await page.getByTestId('call-95000').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('caller-blocked').count()).toBe(0);
    await page.getByTestId('call-95000').click();
    await page.locator('[data-testid="call-phase"][data-phase="in-call"]').waitFor({ timeout: 20_000 });
    expect(sockets).toContain(`wss://${ns.serverAddress}:${wssPort}/`);
    await ivrStepWhere(server, 'the main menu', (s) => s.kind === 'document' && s.node.includes('/securities/zh-CN/menu'));
    const ivrSound = await pageSoundShare(page, '[data-testid="remote-audio"]', 3000);
    console.log(`web-https-call: share of ~43 ms blocks louder than -45 dBFS while the IVR menu plays: ${ivrSound.toFixed(2)}`);
    expect(ivrSound).toBeGreaterThan(0.5);
    await page.getByTestId('hangup').click();
    await page.locator('[data-testid="call-phase"][data-phase="ended"]').waitFor({ timeout: 10_000 });
  }, 90_000);
});

/**
 * The SIP call gateway dials a registered extension (issue 4; TEL-1,
 * TEL-2, CTI-1): baresip registers 8003 over UDP and 8004 over TCP and
 * answers by itself; sipp calls the service number 95000; the test
 * (playing the switch runtime) dials `{kind: 'extension'}` with
 * auto-answer, bridges the two engine legs and answers the customer.
 * The customer sends 700 Hz, the phone 1100 Hz: the phone's own recording
 * of what it heard (baresip's sndfile dump) holds the customer's tone, and the engine's recording
 * of the customer leg shows the phone's tone sent to the customer and
 * never the customer's own. The TCP call must reach the phone over the
 * connection it registered on (the INVITE's Via says TCP).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayPhone, type GatewayPhone } from '../support/gateway-phone.ts';
import { framesHearing, framesWithTone, readChannels, writeTonePcap } from '../support/gateway-audio.ts';
import { startGatewayHarness, type GatewayDriver } from '../support/gateway-driver.ts';
import { createNetns, netnsUnavailable, type Netns } from '../support/netns.ts';
import { runSippPeer } from '../support/sipp-peer.ts';

const skip = netnsUnavailable();
const SCENARIOS = join(import.meta.dirname, '..', 'sipp');
const CUSTOMER_HZ = 700;
const PHONE_HZ = 1100;

describe.skipIf(skip)(`SIP call gateway dials baresip registered over UDP and TCP, audio both ways (TEL-1, TEL-2, CTI-1)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let gw: GatewayDriver;
  let phone: GatewayPhone;
  const dir = mkdtempSync(join(tmpdir(), 'gw-baresip-'));
  const callerDir = join(dir, 'caller');

  beforeAll(async () => {
    mkdirSync(callerDir, { recursive: true });
    writeTonePcap(join(callerDir, 'tone.pcap'), CUSTOMER_HZ, 4000);
    ns = createNetns(96);
    try {
      gw = await startGatewayHarness({ netns: ns, sipPort: 5060, rtpPortMin: 31200, rtpPortMax: 31299, dataDir: dir, publicNumbers: ['95000'], accounts: [['8003', 'demo-8003'], ['8004', 'demo-8004']], trace: true });
      const domain = `${ns.serverAddress}:5060`;
      phone = startGatewayPhone({ netns: ns, toneHz: PHONE_HZ, accounts: [{ user: '8003', password: 'demo-8003', domain, transport: 'udp' }, { user: '8004', password: 'demo-8004', domain, transport: 'tcp' }] });
      await phone.waitFor(/^8003@\S+: \{[^}]*\} 200 OK/m, 20_000);
      await phone.waitFor(/^8004@\S+: \{[^}]*\} 200 OK/m, 20_000);
    } catch (e) {
      await phone?.stop();
      ns.destroy();
      throw e;
    }
  }, 45_000);

  afterAll(async () => {
    await phone?.stop();
    await gw?.stop();
    ns?.destroy();
    if (phone) rmSync(phone.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['8003', 'UDP', 5081],
    ['8004', 'TCP', 5082],
  ])('customer -> 95000, bridged to extension %s over %s: each side gets the other tone', async (ext, transport, sippPort) => {
    const before = gw.events.length;
    const regs = await gw.call<Array<{ aor: string; transport: string }>>('registrations');
    expect(regs.find((r) => r.aor.startsWith(`sip:${ext}@`))?.transport.toUpperCase()).toBe(transport);
    const caller = runSippPeer(
      ns,
      [`${ns.serverAddress}:5060`, '-sf', join(SCENARIOS, 'gateway-uac.xml'), '-s', '95000', '-i', ns.phoneAddress, '-p', String(sippPort), '-mi', ns.phoneAddress, '-mp', String(32200 + sippPort), '-m', '1', '-timeout', '30s', '-timeout_error'],
      callerDir,
    );
    const inbound = await gw.waitEvent('inbound', (e) => gw.events.indexOf(e) >= before);
    const inLeg = inbound.call.legId;
    const outLeg = `agent-${ext}`;
    await gw.call('ring', { legId: inLeg });
    await gw.call('dial', { legId: outLeg, target: { kind: 'extension', extension: ext }, opts: { callerId: { number: '13800138000', name: 'Customer' }, autoAnswer: true, ringTimeoutMs: 10_000 } });
    await gw.waitEvent('answered', (e) => e.legId === outLeg).catch((e: unknown) => {
      throw new Error(`${String(e).slice(0, 500)}\nbaresip:\n${phone.output().slice(-3000)}`);
    });
    await gw.call('bridge', { legs: [inLeg, outLeg] });
    const inWav = join(dir, `in-${ext}.wav`);
    await gw.call('record', { legId: inLeg, path: inWav });
    await gw.call('answer', { legId: inLeg });
    await gw.waitEvent('hangup', (e) => e.legId === inLeg, 15_000);
    await gw.call('hangup', { legId: outLeg, cause: 'customer-hung-up' });
    const c = await caller.done;
    expect(c.code, c.output.slice(-2000)).toBe(0);
    await phone.waitFor(new RegExp(`${ext}@[^\\n]*(terminated|Call terminated|closed)`, 'i'), 10_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));

    const invite = gw.output().split('\n').find((l) => l.includes('"sip":"tx"') && l.includes(`"text":"INVITE sip:${ext}`));
    expect(invite, 'the INVITE to the phone').toBeDefined();
    expect(invite).toContain(`SIP/2.0/${transport} `);

    const rec = readChannels(inWav);
    const [rx, tx] = rec.channels as [Int16Array, Int16Array];
    expect(framesWithTone(rx, CUSTOMER_HZ, [PHONE_HZ])).toBeGreaterThan(100);
    expect(framesWithTone(tx, PHONE_HZ, [CUSTOMER_HZ])).toBeGreaterThan(100);
    expect(framesHearing(tx, CUSTOMER_HZ)).toBe(0);
    const heardWav = phone.lastHeardWav();
    expect(heardWav, `baresip dumps in ${phone.dumpDir}`).toBeDefined();
    const heard = readChannels(heardWav!);
    const mono = heard.channels[0]!;
    expect(framesWithTone(mono, CUSTOMER_HZ, [PHONE_HZ], heard.rate)).toBeGreaterThan(100);
    expect(framesHearing(mono, PHONE_HZ, heard.rate)).toBe(0);
  }, 40_000);
});

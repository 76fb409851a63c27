/**
 * The SIP call gateway with real peers (issue 4; TEL-1, CTI-1): sipp calls
 * a service number into the gateway, the test (playing the switch runtime)
 * dials a second sipp acting as the answering party, bridges both engine
 * legs, and each side's audio is analysed: the caller sends 700 Hz, the
 * callee 1100 Hz; each leg's recording (received left, sent right) must
 * show that what goes out to each party is the other's tone, never its own.
 * Everything runs in a test network namespace (test/support/netns.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesHearing, framesWithTone, readChannels, writeTonePcap } from '../support/gateway-audio.ts';
import { startGatewayHarness, type GatewayDriver } from '../support/gateway-driver.ts';
import { createNetns, netnsUnavailable, type Netns } from '../support/netns.ts';
import { runSippPeer } from '../support/sipp-peer.ts';

const skip = netnsUnavailable();
const SCENARIOS = join(import.meta.dirname, '..', 'sipp');
const CALLER_HZ = 700;
const CALLEE_HZ = 1100;

describe.skipIf(skip)(`SIP call gateway with sipp as caller and callee, audio both ways (TEL-1, CTI-1)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let gw: GatewayDriver;
  const dir = mkdtempSync(join(tmpdir(), 'gw-sipp-'));
  const callerDir = join(dir, 'caller');
  const calleeDir = join(dir, 'callee');

  beforeAll(async () => {
    for (const [d, hz] of [[callerDir, CALLER_HZ], [calleeDir, CALLEE_HZ]] as const) {
      rmSync(d, { recursive: true, force: true });
      mkdirSync(d, { recursive: true });
      writeTonePcap(join(d, 'tone.pcap'), hz, 4000);
    }
    ns = createNetns(97);
    try {
      gw = await startGatewayHarness({ netns: ns, sipPort: 5060, rtpPortMin: 31000, rtpPortMax: 31099, dataDir: dir, publicNumbers: ['95000'] });
    } catch (e) {
      ns.destroy();
      throw e;
    }
  }, 30_000);

  afterAll(async () => {
    await gw?.stop();
    ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inbound call bridged to a dialled sipp: each party is sent the other tone and not its own', async () => {
    const callee = runSippPeer(ns, ['-sf', join(SCENARIOS, 'gateway-uas.xml'), '-i', ns.phoneAddress, '-p', '5090', '-mi', ns.phoneAddress, '-mp', '32000', '-m', '1', '-timeout', '30s'], calleeDir);
    const caller = runSippPeer(
      ns,
      [`${ns.serverAddress}:5060`, '-sf', join(SCENARIOS, 'gateway-uac.xml'), '-s', '95000', '-i', ns.phoneAddress, '-p', '5080', '-mi', ns.phoneAddress, '-mp', '32100', '-m', '1', '-timeout', '30s', '-timeout_error'],
      callerDir,
    );
    const inbound = await gw.waitEvent('inbound');
    const inLeg = inbound.call.legId;
    expect(inbound.call).toMatchObject({ to: { user: '95000' }, from: { user: '13800138000' }, source: { address: ns.phoneAddress, transport: 'udp' } });
    await gw.call('ring', { legId: inLeg });
    await gw.call('dial', { legId: 'out-1', target: { kind: 'uri', uri: `sip:uas@${ns.phoneAddress}:5090` }, opts: { callerId: { number: '13800138000' }, ringTimeoutMs: 10_000 } });
    await gw.waitEvent('ringing', (e) => e.legId === 'out-1');
    await gw.waitEvent('answered', (e) => e.legId === 'out-1');
    await gw.call('bridge', { legs: [inLeg, 'out-1'] });
    const inWav = join(dir, 'in.wav');
    const outWav = join(dir, 'out.wav');
    await gw.call('record', { legId: inLeg, path: inWav });
    await gw.call('record', { legId: 'out-1', path: outWav });
    await gw.call('answer', { legId: inLeg }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\nevents ${JSON.stringify(gw.events)}\n${gw.output().slice(-3000)}\ncaller: ${(await caller.done).output.slice(-3000)}`);
    });
    expect(gw.events.filter((e) => e.type !== 'inbound' && e.legId === inLeg).map((e) => e.type)).toEqual(['answered']);
    // the caller hangs up after 4.5 s; the runtime (this test) then ends the other leg
    await gw.waitEvent('hangup', (e) => e.legId === inLeg, 15_000);
    await gw.call('hangup', { legId: 'out-1', cause: 'peer-hung-up' });
    const [c, d] = await Promise.all([caller.done, callee.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(d.code, d.output.slice(-2000)).toBe(0);
    await new Promise((r) => setTimeout(r, 300));

    const inRec = readChannels(inWav);
    const outRec = readChannels(outWav);
    const [inRx, inTx] = inRec.channels as [Int16Array, Int16Array];
    const [outRx, outTx] = outRec.channels as [Int16Array, Int16Array];
    // caller leg: hears the caller (700), sends the callee's 1100 to the caller and never the caller's own 700
    expect(framesWithTone(inRx, CALLER_HZ, [CALLEE_HZ])).toBeGreaterThan(100);
    expect(framesWithTone(inTx, CALLEE_HZ, [CALLER_HZ])).toBeGreaterThan(100);
    expect(framesHearing(inTx, CALLER_HZ)).toBe(0);
    // callee leg: the mirror image
    expect(framesWithTone(outRx, CALLEE_HZ, [CALLER_HZ])).toBeGreaterThan(100);
    expect(framesWithTone(outTx, CALLER_HZ, [CALLEE_HZ])).toBeGreaterThan(100);
    expect(framesHearing(outTx, CALLEE_HZ)).toBe(0);
  }, 45_000);
});

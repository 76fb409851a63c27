/**
 * Crash recovery of SIP dialogs (issue 4 item 4; OPS-3): sipp calls the
 * service number and the gateway answers (an inbound dialog, reached on
 * the flow it came from); the gateway dials a second sipp and it answers
 * (an outbound dialog, reached at its Contact). Each confirmed dialog is
 * kept in DIR/sip-dialogs.jsonl. The process is killed with SIGKILL, and a
 * new one on the same data dir sends a BYE for each dialog the dead one
 * left: both sipp scenarios end successfully only when they receive it,
 * and the store is empty afterwards. UDP only: sipp over TCP ends its call
 * when the connection dies with our process, so it cannot take the BYE;
 * the order of attempts for stream flows is unit-tested.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTonePcap } from '../support/gateway-audio.ts';
import { startGatewayHarness, type GatewayDriver } from '../support/gateway-driver.ts';
import { createNetns, netnsUnavailable, type Netns } from '../support/netns.ts';
import { runSippPeer } from '../support/sipp-peer.ts';

const skip = netnsUnavailable();
const SCENARIO = join(import.meta.dirname, '..', 'sipp', 'gateway-uac-wait-bye.xml');
const UAS = join(import.meta.dirname, '..', 'sipp', 'gateway-uas.xml');

describe.skipIf(skip)(`SIP call gateway: dialogs left by a killed process get their BYE after restart (OPS-3)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let gw: GatewayDriver | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gw-recovery-'));
  const harness = () => startGatewayHarness({ netns: ns, sipPort: 5060, rtpPortMin: 31400, rtpPortMax: 31499, dataDir: dir, publicNumbers: ['95000'] });

  beforeAll(() => {
    ns = createNetns(95);
  });

  afterAll(async () => {
    await gw?.stop();
    ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 with an answered inbound and an answered outbound call, restart: each sipp receives a BYE and the store is emptied', async () => {
    gw = await harness();
    writeTonePcap(join(dir, 'tone.pcap'), 1100, 500);
    const callee = runSippPeer(ns, ['-sf', UAS, '-t', 'u1', '-i', ns.phoneAddress, '-p', '5092', '-mi', ns.phoneAddress, '-mp', '32510', '-m', '1', '-timeout', '30s'], dir);
    const caller = runSippPeer(ns, [`${ns.serverAddress}:5060`, '-sf', SCENARIO, '-s', '95000', '-t', 'u1', '-i', ns.phoneAddress, '-p', '5091', '-mi', ns.phoneAddress, '-mp', '32500', '-m', '1', '-timeout', '30s', '-timeout_error'], dir);
    const callers = [caller, callee];
    const inbound = await gw.waitEvent('inbound');
    await gw.call('answer', { legId: inbound.call.legId });
    await new Promise((r) => setTimeout(r, 300)); // the UAS sipp is listening by now
    await gw.call('dial', { legId: 'out-tcp', target: { kind: 'uri', uri: `sip:uas@${ns.phoneAddress}:5092` }, opts: { callerId: { number: '95000' } } });
    await gw.waitEvent('answered', (e) => e.legId === 'out-tcp');
    const lines = () => readFileSync(join(dir, 'sip-dialogs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { op: string; record: unknown });
    // the records are appended just after the ACK: give the file a moment
    for (let i = 0; i < 20 && lines().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const stored = lines();
    const puts = stored.filter((l) => l.op === 'put').map((l) => l.record as { legId: string; remoteTarget: string; hop?: { protocol: string } });
    expect(puts.map((r) => r.hop?.protocol ?? r.remoteTarget).sort()).toEqual([`sip:uas@${ns.phoneAddress}:5092;transport=UDP`, 'udp']); // sipp writes its Contact with transport=UDP
    await gw.kill();
    gw = await harness();
    expect(gw.recovered.map((r) => r.status), gw.output().slice(-3000)).toEqual([200, 200]);
    const results = await Promise.all(callers.map((c) => c.done));
    for (const r of results) expect(r.code, r.output.slice(-2000)).toBe(0);
    expect(readFileSync(join(dir, 'sip-dialogs.jsonl'), 'utf8')).toBe('');
  }, 45_000);
});

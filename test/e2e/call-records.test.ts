/**
 * Call records of real calls through `hotline start` (issue 4; CTI-1, OPS-3,
 * OPS-4, RPT-1 data; done-when: "kill -9 during 50 live calls, then restart:
 * every interaction has exactly one complete record, dead dialogs are closed
 * with BYE, and the event log replays to the same state").
 *
 * 1. A sipp customer calls 95001 and the ready baresip agent 8001 answers
 *    (auto-answer). Through the API the call is recorded, held and
 *    retrieved; the agent hangs up; the demo queue's 10 s wrap-up follows.
 *    GET /api/v1/call-records, `hotline cdrs --json` and `--csv` then show one
 *    record: parties, queue, ring/talk/hold times, who hung up and why, the
 *    agent's wrap-up and the recording's file.
 * 2. Fifty sipp calls to 95001 (two answered by agents 8001 and 8002, the
 *    rest waiting in the queue) when the server is killed with SIGKILL. The
 *    restarted server closes each with exactly one complete record (cause
 *    server-restart), sends a BYE on every dead dialog (sipp ends each call
 *    only on that BYE; the agents' phones see their calls end), and
 *    DATA/events.jsonl replays, with the production projection, to exactly
 *    the records the API serves. A further restart changes nothing.
 * 3. A direct call 8001 -> 8002 during a graceful restart: cause shutdown.
 * 4. A customer who hangs up in the IVR (95000): entry point, IVR script.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRecordDto } from '../../src/api/routes/call-record-routes.ts';
import { CallRecordProjection } from '../../src/switch/records/call-record-projection.ts';
import { LiveCallsProjection } from '../../src/switch/records/live-calls-projection.ts';
import type { LogEntry } from '../../src/switch/records/record-events.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { writeTonePcap } from '../support/gateway-audio.ts';
import { nsApi, sleep, until } from '../support/call-audio.ts';
import { createNetns, netnsUnavailable, type Netns } from '../support/netns.ts';
import { runHotlineCli, startHotline, type HotlineProcess } from '../support/server.ts';
import { tearDownNetnsTest } from '../support/netns-hotline.ts';
import { runSippPeer, type SippPeer } from '../support/sipp-peer.ts';

const skip = netnsUnavailable();
const SCENARIO = join(import.meta.dirname, '..', 'sipp', 'gateway-uac-wait-bye.xml');
const HANGS_UP = join(import.meta.dirname, '..', 'sipp', 'gateway-uac.xml');
const CUSTOMER = '13800138000'; // the scenario's From
const LIVE_CALLS = 50;

interface Rec {
  id: string;
  customer: string;
  entryPoint?: string;
  queueId?: string;
  parties: { kind: string; id: string }[];
  agents: string[];
  status: string;
  disposition?: string;
  answeredAt?: string;
  endedAt?: string;
  ringMs: number;
  queueMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  wrapupMs: number;
  wrapups: { agentId: string; startedAt: string; endedAt?: string }[];
  endedBy?: string;
  hungUpBy?: string;
  hungUpParty?: string;
  cause?: string;
  recording?: string;
}
interface Page {
  total: number;
  items: Rec[];
}
interface CallView {
  id: string;
  state: string;
  agentId?: string;
}

describe.skipIf(skip)(`call records of real calls, and after kill -9 with ${LIVE_CALLS} live calls (CTI-1, OPS-3, OPS-4)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: ReturnType<typeof nsApi>;
  const agents: Record<string, Phone> = {};
  const sipps: SippPeer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'records-e2e-'));
  let first: Rec;

  const records = () => api('GET', '/api/v1/call-records?limit=1000').json as Page;
  const calls = () => api('GET', '/api/v1/calls').json as CallView[];
  const sipp = (port: number, extra: string[], scenario = SCENARIO, service = '95001') => {
    const s = runSippPeer(
      ns,
      [`${ns.serverAddress}:${server.sipPort}`, '-sf', scenario, '-s', service, '-i', ns.phoneAddress, '-p', String(port), '-mi', ns.phoneAddress, '-mp', String(port + 1000), ...extra],
      join(dir, 'sipp'),
    );
    sipps.push(s);
    return s;
  };

  beforeAll(async () => {
    ns = createNetns(89);
    try {
      // The namespace has its own port space: room for 50 calls with their agent legs.
      server = await startHotline({ netns: ns, host: ns.serverAddress, args: ['--digest-algorithms', 'MD5', '--log-level', 'warn', '--rtp-ports', '30000-30999'] });
    } catch (e) {
      ns.destroy();
      throw e;
    }
    api = nsApi(ns, server.httpUrl, server.adminToken);
    const srv = `${ns.serverAddress}:${server.sipPort}`;
    agents['8001'] = startPhone({ netns: ns, user: '8001', password: 'demo-8001', server: srv, listenPort: 5070, toneHz: 700, autoAnswer: true });
    agents['8002'] = startPhone({ netns: ns, user: '8002', password: 'demo-8002', server: srv, listenPort: 5072, toneHz: 900, autoAnswer: true });
    await Promise.all(Object.values(agents).map((p) => p.waitRegistered()));
    mkdirSync(join(dir, 'sipp'), { recursive: true });
    writeTonePcap(join(dir, 'sipp', 'tone.pcap'), 400, 4000);
  }, 60_000);

  afterAll(async () => {
    for (const s of sipps) s.kill();
    await tearDownNetnsTest({ phones: Object.values(agents), server, ns, dir });
  });

  it('one call: recorded, held and retrieved through the API, the agent hangs up; one record through the API and the CLI', async () => {
    for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/8001/${step}`).status).toBe(200);
    const customer = sipp(5090, ['-m', '1', '-timeout', '90s', '-timeout_error']);
    const talking = await until('8001 talks', calls, (l) => l.length === 1 && l[0]!.state === 'talking' && l[0]!.agentId === '8001', 20_000);
    const ix = talking[0]!.id;
    const rec = api('POST', `/api/v1/interactions/${ix}/recording/start`);
    expect(rec.status).toBe(200);
    const recording = (rec.json as { path: string }).path;
    await sleep(2000);
    const holdAt = Date.now();
    expect(api('POST', `/api/v1/interactions/${ix}/hold`, { agentId: '8001' }).status).toBe(200);
    await sleep(2500);
    expect(api('POST', `/api/v1/interactions/${ix}/retrieve`, { agentId: '8001' }).status).toBe(200);
    const heldMs = Date.now() - holdAt;
    await sleep(2000);
    agents['8001']!.command('/hangup');
    const done = await customer.done; // the customer's sipp ends only on the BYE the switch sends it
    expect(done.code, done.output.slice(-2000)).toBe(0);

    // The record is written at the end; again when the demo queue's 10 s wrap-up ends.
    const page = await until('the record with its wrap-up', records, (p) => p.items[0]?.wrapups[0]?.endedAt !== undefined, 30_000);
    expect(page.total).toBe(1);
    first = page.items[0]!;
    const msg = JSON.stringify(first);
    expect(first, msg).toMatchObject({
      id: ix,
      customer: CUSTOMER,
      entryPoint: '95001',
      queueId: 'general',
      agents: ['8001'],
      status: 'ended',
      disposition: 'answered',
      holdCount: 1,
      hungUpBy: 'agent',
      hungUpParty: '8001',
      recording,
    });
    expect(first.parties, msg).toEqual(expect.arrayContaining([{ kind: 'customer', id: CUSTOMER }, { kind: 'agent', id: '8001' }]));
    expect(first.cause, msg).toMatch(/\w/);
    expect(first.ringMs, msg).toBeGreaterThan(0);
    // Hold as the API saw it, within the signalling and curl round trips.
    expect(Math.abs(first.holdMs - heldMs), msg).toBeLessThan(1500);
    expect(first.talkMs, msg).toBeGreaterThan(3000);
    // The demo queue's wrap-up is 10 s.
    expect(first.wrapups.map((w) => w.agentId)).toEqual(['8001']);
    expect(first.wrapupMs, msg).toBeGreaterThanOrEqual(9500);
    expect(first.wrapupMs, msg).toBeLessThan(20_000);
    expect(existsSync(recording)).toBe(true);

    const detail = api('GET', `/api/v1/call-records/${ix}`);
    expect(detail.status).toBe(200);
    const legs = (detail.json as { legs: { party: { kind: string; id: string }; endedBy?: string; holdCount: number }[] }).legs;
    expect(legs.map((l) => `${l.party.kind}:${l.party.id}`).sort()).toEqual([`agent:8001`, `customer:${CUSTOMER}`]);
    expect(legs.find((l) => l.party.kind === 'agent')!.endedBy).toBe('party');
    expect(legs.find((l) => l.party.kind === 'customer')!.holdCount).toBe(1);

    const json = await runHotlineCli(['cdrs', '--json', '--data', server.dataDir], {}, ns);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as Page).items).toEqual([first]);
    const csv = await runHotlineCli(['cdrs', '--csv', '--data', server.dataDir], {}, ns);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    const head = rows[0]!.split(',');
    const row = rows[1]!.split(',');
    const col = (name: string) => row[head.indexOf(name)];
    expect([col('id'), col('customer'), col('agents'), col('disposition'), col('hungUpBy'), col('wrapupMs'), col('recording')]).toEqual([
      ix, CUSTOMER, '8001', 'answered', 'agent', String(first.wrapupMs), recording,
    ]);
    console.log(`call-records: one call ${msg}`);
  }, 120_000);

  it(`kill -9 during ${LIVE_CALLS} live calls, restart: one complete record each, BYE on every dead dialog, the log replays to the same records`, async () => {
    for (const step of ['login', 'ready']) expect(api('POST', '/api/v1/agents/8002/' + step).status).toBe(200);
    await until('8001 ready again', () => api('GET', '/api/v1/agents').json as { id: string; state: string }[], (l) => l.find((a) => a.id === '8001')?.state === 'ready');
    const customers = sipp(5190, ['-m', String(LIVE_CALLS), '-r', '10', '-l', String(LIVE_CALLS), '-timeout', '180s', '-timeout_error']);
    const live = await until(`${LIVE_CALLS} live calls`, calls, (l) => l.length === LIVE_CALLS && l.filter((c) => c.state === 'talking').length === 2, 60_000);
    const liveIds = live.map((c) => c.id).sort();
    const marks = Object.fromEntries(Object.entries(agents).map(([k, p]) => [k, p.output().length]));
    await sleep(1000); // the last calls' dialogs are stored just after their ACK

    expect(await server.kill('SIGKILL')).toBe(null);
    const beforeRestart = readFileSync(join(server.dataDir, 'events.jsonl'), 'utf8');
    await server.restart();
    api = nsApi(ns, server.httpUrl, server.adminToken);

    // Dead dialogs got their BYE: sipp ends each call only on it, and both agents' phones hang up.
    const done = await customers.done;
    expect(done.code, `${done.output.slice(-2000)}\n${server.stdout().slice(-2000)}${server.stderr().slice(-2000)}`).toBe(0);
    for (const [ext, p] of Object.entries(agents)) await p.waitFor(/terminated|closed/i, 15_000, marks[ext]);

    // Exactly one complete record per interaction, closed by the restart.
    const page = records();
    const after = page.items.filter((r) => r.id !== first.id);
    expect(page.total).toBe(LIVE_CALLS + 1);
    expect(after.map((r) => r.id).sort()).toEqual(liveIds);
    for (const r of after) {
      expect(r, JSON.stringify(r)).toMatchObject({ status: 'ended', cause: 'server-restart', endedBy: 'system', hungUpBy: 'system', customer: CUSTOMER, queueId: 'general' });
      expect(r.endedAt).toBeDefined();
    }
    const answered = after.filter((r) => r.disposition === 'answered');
    expect(answered.map((r) => r.agents[0]).sort()).toEqual(['8001', '8002']);
    // No wrap-up follows a call cut by the restart: the records are complete, none waits.
    for (const r of answered) expect([r.wrapupMs, r.wrapups.map((w) => w.endedAt === r.endedAt)]).toEqual([0, [true]]);
    expect(after.filter((r) => r.disposition === 'failed')).toHaveLength(LIVE_CALLS - 2);
    expect(page.items.find((r) => r.id === first.id)).toEqual(first);

    // The log: numbered without gaps or duplicates; the closing events were appended to it;
    // replayed by the production projection it gives exactly the records served.
    const entries = readFileSync(join(server.dataDir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as LogEntry);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.length).toBeGreaterThan(beforeRestart.trimEnd().split('\n').length);
    expect(new Set(entries.filter((e) => e.event.type === 'interaction.ended').map((e) => e.event.interaction)).size).toBe(LIVE_CALLS + 1);
    expect(entries.filter((e) => e.event.type === 'interaction.ended')).toHaveLength(LIVE_CALLS + 1);
    const projection = new CallRecordProjection();
    const liveProjection = new LiveCallsProjection();
    const replayed = new Map<string, Rec>();
    for (const e of entries) {
      liveProjection.apply(e);
      const b = projection.apply(e);
      if (b !== undefined) replayed.set(b.record.interactionId, callRecordDto(b.record) as Rec);
    }
    expect(liveProjection.list()).toEqual([]);
    const served = new Map(page.items.map((r) => [r.id, r]));
    expect([...replayed.keys()].sort()).toEqual([...served.keys()].sort());
    for (const [id, r] of replayed) expect(r, id).toEqual(served.get(id));

    // Another restart finds nothing live: nothing appended, the same records.
    await server.restart();
    api = nsApi(ns, server.httpUrl, server.adminToken);
    expect(readFileSync(join(server.dataDir, 'events.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(entries.length);
    expect(records()).toEqual(page);
    console.log(`call-records: kill -9 with ${LIVE_CALLS} live calls (2 talking, ${LIVE_CALLS - 2} queued): ${after.length} records closed by the restart, ${entries.length} events replayed to the same records`);
  }, 240_000);

  it('a direct call between extensions, then a graceful restart during it: the phones get BYE, one record with cause shutdown', async () => {
    const before = records();
    const mark = agents['8002']!.output().length;
    agents['8001']!.command(`/dial sip:8002@${ns.serverAddress}:${server.sipPort}`);
    const talking = await until('8001 talks to 8002', calls, (l) => l.length === 1 && l[0]!.state === 'talking', 20_000);
    const ix = talking[0]!.id;
    await sleep(1500);
    await server.restart(); // SIGTERM: the switch hangs up every call before the records are closed
    api = nsApi(ns, server.httpUrl, server.adminToken);
    await agents['8002']!.waitFor(/terminated|closed/i, 15_000, mark);
    const page = records();
    expect(page.total).toBe(before.total + 1);
    const r = page.items.find((x) => x.id === ix)!;
    const msg = JSON.stringify(r);
    expect(r, msg).toMatchObject({ status: 'ended', customer: '8002', agents: ['8001'], disposition: 'answered', cause: 'shutdown', hungUpBy: 'system' });
    expect(r.parties, msg).toEqual(expect.arrayContaining([{ kind: 'customer', id: '8002' }, { kind: 'agent', id: '8001' }]));
    expect(r.talkMs, msg).toBeGreaterThan(1000);
    // A call the ACD did not route has no wrap-up: it ends where it starts, at
    // the agent's release, which is the end of the call (the record's end is
    // stamped by its own event, a millisecond or so later).
    expect([r.wrapupMs, r.wrapups.map((w) => [w.agentId, w.endedAt === w.startedAt])], msg).toEqual([0, [['8001', true]]]);
    expect(Math.abs(Date.parse(r.wrapups[0]!.endedAt!) - Date.parse(r.endedAt!)), msg).toBeLessThan(1000);
    console.log(`call-records: direct call closed by a graceful restart ${msg}`);
  }, 90_000);

  it('a customer who hangs up in the IVR: the record names the service number and the IVR script', async () => {
    const before = records();
    const customer = sipp(5290, ['-m', '1', '-timeout', '60s', '-timeout_error'], HANGS_UP, '95000');
    const done = await customer.done;
    expect(done.code, done.output.slice(-2000)).toBe(0);
    const page = await until('the IVR record', records, (p) => p.total === before.total + 1);
    const r = page.items[0]!;
    const msg = JSON.stringify(r);
    expect(r, msg).toMatchObject({ status: 'ended', customer: CUSTOMER, entryPoint: '95000', disposition: 'abandoned-ivr', hungUpBy: 'customer', agents: [] });
    expect((r as Rec & { ivrScript?: string }).ivrScript, msg).toMatch(/\S/);
    expect(r.parties.map((p) => p.kind).sort(), msg).toEqual(['customer', 'ivr']);
    expect((r as Rec & { ivrMs: number }).ivrMs, msg).toBeGreaterThan(2000);
    console.log(`call-records: IVR call ${msg}`);
  }, 90_000);
});

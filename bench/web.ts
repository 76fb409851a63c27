/**
 * npm run bench:web (issue 7; CTI-6): how fast the screen pop reaches the
 * agent desktops. A real `hotline start` with an ACD of --desktops agents
 * (extensions 8300…, all in queue `general` on 95001, no wrap-up), their
 * phones one sipp UAS registered for every extension (answers, streams a
 * tone, waits for the BYE), and --desktops WebSocket clients of
 * /api/v1/events, one per agent, each waiting for the screen pop of its own
 * agent (`interaction.offered` with that agentId). Callers come from a
 * minimal UAC in the bench (bench/web-uac.ts) that notes the instant each
 * INVITE leaves; on loopback that is the instant it reaches Hotline. The
 * figure: time from that instant to the pop's arrival in the desktop.
 *
 * Each desktop connects as `/api/v1/events?agent=ID` with the admin's
 * token (there is no API yet to create 200 agent users): the server then
 * sends it exactly what that agent's own desktop would get. --everything
 * drops the `?agent=`, so that every desktop gets every event of the
 * center (a supervisor wall of 200 consoles: far more frames).
 *
 *   --desktops N   agent desktops (and agents) (200)
 *   --calls N      calls (600)
 *   --cps R        calls per second (10)
 *   --hold MS      how long the caller stays after the answer (2000)
 *   --everything   every desktop receives every event (no ?agent=)
 *
 * Progress on stderr; last stdout line:
 * {"bench":"web","desktops":N,"screenpop_p99_ms":R,...}
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { freePorts } from '../test/support/ports.ts';
import { startHotline } from '../test/support/server.ts';
import { registerAgents, startAgents, writeInjection } from './switch-sipp.ts';
import { toneUlaw } from './switch-stats.ts';
import { BenchUac } from './web-uac.ts';

const { values: flags } = parseArgs({
  options: {
    desktops: { type: 'string', default: '200' },
    calls: { type: 'string', default: '600' },
    cps: { type: 'string', default: '10' },
    hold: { type: 'string', default: '2000' },
    everything: { type: 'boolean', default: false },
  },
});
const num = (name: keyof typeof flags) => {
  const v = Number(flags[name]);
  if (!(v > 0)) throw new Error(`--${name} must be a positive number (got ${flags[name]})`);
  return v;
};
const DESKTOPS = Math.round(num('desktops'));
const CALLS = Math.round(num('calls'));
const CPS = num('cps');
const HOLD_MS = num('hold');
const FIRST_AGENT = 8300;
const REALM = 'bench.hotline';
const t0 = Date.now();
const log = (s: string) => process.stderr.write(`bench:web [${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
if (FIRST_AGENT + DESKTOPS > 9000) throw new Error('--desktops: at most 700 (extensions 8300-8999 of the demo dial plan)');

const work = mkdtempSync(join(tmpdir(), 'bench-web-'));
const agentIds = Array.from({ length: DESKTOPS }, (_, i) => String(FIRST_AGENT + i));
const acdFile = join(work, 'acd.json');
writeFileSync(
  acdFile,
  JSON.stringify({
    strategy: { rules: ['longest-idle'] },
    agents: agentIds.map((id) => ({ id, extension: id, name: `Agent ${id}`, level: 5, skills: { general: 5 }, groups: [{ group: 'front-line', priority: 1 }] })),
    queues: [{ id: 'general', name: 'General', requiredSkills: [{ skill: 'general' }], wrapUpMs: 0, ringTimeoutMs: 15_000 }],
    entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general' }],
  }),
);

log(`machine: ${cpus().length} cores, load average ${loadBefore.join(' ')}; ${DESKTOPS} desktops, ${CALLS} calls at ${CPS}/s`);
const hotline = await startHotline({
  args: ['--realm', REALM, '--digest-algorithms', 'MD5', '--sip-rate-limit', '100000', '--sip-rate-burst', '100000', '--trusted-networks', '127.0.0.0/8', '--log-level', 'warn', '--acd-config', acdFile, '--rtp-ports', '10000-11999'],
  readyTimeoutMs: 60_000,
});
const api = async (method: string, path: string, body?: unknown) => {
  const headers = { authorization: `Bearer ${hotline.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const r = await fetch(`${hotline.httpUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.json() as Promise<unknown>;
};
const [agentPort, agentMedia, callerMedia] = (await freePorts(3)) as [number, number, number];
let agents: ReturnType<typeof startAgents> | undefined;
const desktops: WebSocket[] = [];
const popAt = new Map<string, number>(); // caller number -> arrival of its screen pop at the offered agent's desktop
let popsElsewhere = 0;
let framesReceived = 0;
const uac = new BenchUac({ host: '127.0.0.1', port: hotline.sipPort }, callerMedia);
const outcomes: { number: string; sentAt: number; status: number }[] = [];
try {
  log(`creating ${DESKTOPS} agent SIP accounts, registering them at one sipp UAS (127.0.0.1:${agentPort})`);
  for (let i = 0; i < DESKTOPS; i += 10) {
    await Promise.all(agentIds.slice(i, i + 10).map((ext) => api('POST', '/api/v1/sip-users', { ext, password: `bench-${ext}` })));
  }
  writeInjection(join(work, 'agents.csv'), agentIds.map((id) => [id, `bench-${id}`, REALM]));
  const agentsDir = join(work, 'agents');
  mkdirSync(agentsDir, { recursive: true });
  writeFileSync(join(agentsDir, 'tone.ulaw'), toneUlaw(1100, 2000));
  const reg = await registerAgents({ dir: join(work, 'register'), target: `127.0.0.1:${hotline.sipPort}`, port: agentPort, users: join(work, 'agents.csv'), count: DESKTOPS });
  if (reg.successful !== DESKTOPS) throw new Error(`only ${reg.successful} of ${DESKTOPS} agents registered: ${reg.output.slice(-1000)}`);
  agents = startAgents({ dir: agentsDir, port: agentPort, mediaPort: agentMedia, byeTimeoutMs: HOLD_MS + 30_000 });
  for (const id of agentIds) {
    await api('POST', `/api/v1/agents/${id}/login`);
    await api('POST', `/api/v1/agents/${id}/ready`);
  }

  log(`opening ${DESKTOPS} desktops on /api/v1/events`);
  const wsUrl = `${hotline.httpUrl.replace(/^http/, 'ws')}/api/v1/events`;
  await Promise.all(
    agentIds.map(
      (id) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(flags.everything ? wsUrl : `${wsUrl}?agent=${id}`, { headers: { authorization: `Bearer ${hotline.adminToken}` } });
          desktops.push(ws);
          ws.on('message', (data) => {
            const at = Date.now();
            framesReceived++;
            const f = JSON.parse(String(data)) as { type: string; agentId?: string; call?: { customer?: { number?: string } } };
            if (f.type === 'hello') return resolve();
            if (f.type !== 'interaction.offered') return;
            const number = f.call?.customer?.number;
            if (f.agentId !== id || number === undefined) return;
            if (popAt.has(number)) popsElsewhere++;
            else popAt.set(number, at);
          });
          ws.once('error', reject);
        }),
    ),
  );

  await uac.start();
  log(`calling 95001 ${CALLS} times at ${CPS}/s, each caller staying ${HOLD_MS} ms after the answer`);
  const pending: Promise<void>[] = [];
  const begin = Date.now();
  for (let i = 0; i < CALLS; i++) {
    const due = begin + (i * 1000) / CPS;
    if (due > Date.now()) await sleep(due - Date.now());
    const number = `139${String(10_000_000 + i)}`;
    pending.push(uac.call(number, '95001', HOLD_MS).then((o) => void outcomes.push(o)));
    if (i % Math.max(1, Math.round(CPS * 10)) === 0) log(`  ${i}/${CALLS} calls placed, ${popAt.size} screen pops so far, ${outcomes.filter((o) => o.status !== 200).length} failed`);
  }
  await Promise.race([Promise.all(pending), sleep(HOLD_MS + 60_000)]);
} finally {
  for (const ws of desktops) ws.close();
  uac.close();
  await agents?.stop();
  await hotline.stop();
  rmSync(work, { recursive: true, force: true });
}

const delays = outcomes
  .filter((o) => popAt.has(o.number))
  .map((o) => popAt.get(o.number)! - o.sentAt)
  .sort((a, b) => a - b);
const pct = (p: number) => (delays.length === 0 ? null : delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)]!);
const failed = outcomes.filter((o) => o.status !== 200).length + (CALLS - outcomes.length);
log(
  `summary: ${outcomes.length}/${CALLS} calls ended, ${failed} failed; ${delays.length} screen pops matched to their INVITE; ` +
    `INVITE → pop p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${delays.at(-1)} ms; ${framesReceived} frames to ${DESKTOPS} desktops`,
);
process.stdout.write(
  `${JSON.stringify({
    bench: 'web',
    desktops: DESKTOPS,
    screenpop_p99_ms: pct(99),
    screenpop_p50_ms: pct(50),
    screenpop_p90_ms: pct(90),
    screenpop_max_ms: delays.at(-1) ?? null,
    calls: CALLS,
    failed,
    failure_statuses: Object.fromEntries([...new Set(outcomes.filter((o) => o.status !== 200).map((o) => o.status))].map((st) => [st, outcomes.filter((o) => o.status === st).length])),
    pops_matched: delays.length,
    duplicate_pops: popsElsewhere,
    frames_received: framesReceived,
    cps: CPS,
    desktops_see_every_event: flags.everything === true,
    load_average_before: loadBefore,
    cores: cpus().length,
    node: process.version,
  })}\n`,
);

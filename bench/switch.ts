/**
 * npm run bench:switch (issue 4; TEL-1, TEL-5, TEL-6): the switch end to
 * end. A real `hotline start` (child process, own data dir, fresh SQLite,
 * --record-calls on) between sipp as callers and sipp as answering agents:
 * each caller authenticates (digest, 407) as an extension and dials an
 * agent extension that the agents' sipp registered; Hotline bridges both
 * legs and records the call; RTP flows both ways (the callers play 700 Hz,
 * the agents 1100 Hz; a few recordings are checked for both tones).
 *
 * Ramp: the design load (210 simultaneous calls: the seed centre's seven
 * E1) held long enough to measure Hotline's CPU there, then the maximum
 * stage (--concurrent calls at --cps attempts a second, each held
 * concurrent/cps seconds, --calls calls). Hotline's CPU, RSS and open file
 * descriptors are sampled every second; idle points between stages show
 * whether descriptors and memory come back (no leak).
 *
 *   --cps R          attempts per second of the maximum stage (100)
 *   --concurrent N   simultaneous calls of the maximum stage (800)
 *   --calls N        calls in the maximum stage (12000; 30000 for the goal)
 *   --design N       simultaneous calls of the design stage (210)
 *   --hold S         seconds a design-stage call lasts (20)
 *   --duration S     seconds of attempts in the design stage (60)
 *   --keep           keep the work folder (sipp logs and statistics)
 *   --rounds N       run the maximum stage N times in a row (1): resident
 *                    memory that stops growing after the first round is a
 *                    high-water mark, not a leak
 *   --linger S       after the last stage, stay idle S more seconds and
 *                    sample memory again (SIP transactions live up to 32 s
 *                    after a call: a heap read before that is not a leak)
 *   --snapshots DIR  send SIGUSR2 to the server at every idle point; run
 *                    with BENCH_NODE_FLAGS="--heapsnapshot-signal=SIGUSR2
 *                    --diagnostic-dir=DIR" to get heap snapshots there
 *
 * Progress on stderr; the last stdout line is one JSON object:
 * {"bench":"switch","calls":N,"failed":N,"cps":R,"max_concurrent":N,"cpu_pct_at_210":P,...}
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { framesHearing, readChannels } from '../test/support/gateway-audio.ts';
import { freePorts } from '../test/support/ports.ts';
import { startHotline, type HotlineProcess } from '../test/support/server.ts';
import { machineCpu, processCpu, rssKiB } from './proc-cpu.ts';
import { registerAgents, startAgents, startCallers, writeInjection, type SippRun } from './switch-sipp.ts';
import { concurrentAtFirstFailure, leakCheck, memoryPerCallKiB, planStages, rateBetween, rssSlopeKiB, stageTiming, toneUlaw, window, windowCpu, type Sample, type Stage } from './switch-stats.ts';

const { values: flags } = parseArgs({
  options: {
    cps: { type: 'string', default: '100' },
    concurrent: { type: 'string', default: '800' },
    calls: { type: 'string', default: '12000' },
    design: { type: 'string', default: '210' },
    hold: { type: 'string', default: '20' },
    duration: { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
    linger: { type: 'string', default: '0' },
    rounds: { type: 'string', default: '1' },
    snapshots: { type: 'boolean', default: false },
  },
});
const num = (name: keyof typeof flags) => {
  const v = Number(flags[name]);
  if (!(v > 0)) throw new Error(`--${name} must be a positive number (got ${flags[name]})`);
  return v;
};
const CPS = num('cps');
const CONCURRENT = Math.round(num('concurrent'));
const CALLS = Math.round(num('calls'));
const DESIGN = Math.round(num('design'));
const HOLD_SEC = num('hold');
const LINGER_SEC = Math.max(0, Number(flags.linger) || 0);
const ROUNDS = Math.max(1, Math.round(Number(flags.rounds) || 1));
const DESIGN_SEC = num('duration');
const CALLER_HZ = 700;
const AGENT_HZ = 1100;
const REALM = 'bench.hotline';
const CALLER_ACCOUNTS = 50;
const FIRST_CALLER = 20000;
const FIRST_AGENT = 30000;
const CORES = cpus().length;
const RECORDING_SAMPLES_PER_STAGE = 2;

const t0 = Date.now();
const now = () => (Date.now() - t0) / 1000;
const log = (s: string) => process.stderr.write(`bench:switch [${now().toFixed(0).padStart(4)} s] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const planned = planStages({ design: DESIGN, holdSec: HOLD_SEC, designSec: DESIGN_SEC, concurrent: CONCURRENT, cps: CPS, calls: CALLS });
const stages = [planned[0]!, ...Array.from({ length: ROUNDS }, (_, i) => ({ ...planned[1]!, name: ROUNDS > 1 ? `${planned[1]!.name}, round ${i + 1}` : planned[1]!.name }))];
const agentCount = Math.ceil(Math.max(DESIGN, CONCURRENT) * 1.25);
const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
log(`machine: ${CORES} cores, load average ${loadBefore.join(' ')}; ${agentCount} agent extensions, ${CALLER_ACCOUNTS} caller accounts`);
for (const s of stages) log(`stage "${s.name}": ${s.calls} calls at ${s.cps.toFixed(2)}/s, each held ${(s.holdMs / 1000).toFixed(1)} s`);

const work = mkdtempSync(join(tmpdir(), 'bench-switch-'));
const planFile = join(work, 'dial-plan.json');
writeFileSync(planFile, JSON.stringify({ extensions: [{ from: '20000', to: '39999' }] }));
const [sipAgentPort, sipCallerPort, agentMedia, callerMedia] = (await freePorts(4)) as [number, number, number, number];

log('starting hotline (SQLite, --record-calls true, guard limits raised for loopback, node --expose-gc so idle heaps are read after a full collection)');
// --expose-gc: GET /api/v1/system/stats?gc=true then reads the main heap after a full collection (live memory, not garbage an idle V8 keeps).
process.env['BENCH_NODE_FLAGS'] = `--expose-gc ${process.env['BENCH_NODE_FLAGS'] ?? ''}`.trim();
const hotline: HotlineProcess = await startHotline({
  args: [
    '--realm', REALM, '--digest-algorithms', 'MD5', '--sip-rate-limit', '100000', '--sip-rate-burst', '100000',
    '--trusted-networks', '127.0.0.0/8', '--log-level', 'warn', '--dial-plan', planFile, '--record-calls', 'true',
    '--rtp-ports', '12000-19999', '--ring-timeout', '30',
  ],
  readyTimeoutMs: 60_000,
});
const pid = hotlinePid(hotline.dataDir);
const recordingsDir = join(hotline.dataDir, 'recordings');
const target = `127.0.0.1:${hotline.sipPort}`;

/** JavaScript heap in use (MiB) of the main thread and of each media worker, from GET /api/v1/system/stats. */
interface JsHeap {
  main: number;
  /** The main thread's memory outside the JavaScript heap (Buffers and other C++ objects), MiB. */
  external: number;
  workers: number[];
  live: number;
}
const idleHeap: JsHeap[] = [];
async function jsHeap(): Promise<JsHeap> {
  const r = await fetch(`${hotline.httpUrl}/api/v1/system/stats?gc=true`, { headers: { authorization: `Bearer ${hotline.adminToken}` } });
  if (!r.ok) throw new Error(`system stats: HTTP ${r.status}`);
  const j = (await r.json()) as { gcRun: boolean; memory: { heapUsedKiB: number; externalKiB: number }; media: { heapUsedKiB?: number }[]; calls: { live: number } };
  if (!j.gcRun) throw new Error('the server did not run a full collection before the heap read (started without --expose-gc?)');
  const mib = (k: number) => Math.round(k / 102.4) / 10;
  return { main: mib(j.memory.heapUsedKiB), external: mib(j.memory.externalKiB), workers: j.media.map((w) => mib(w.heapUsedKiB ?? 0)), live: j.calls.live };
}
/** --snapshots: asks the server for a heap snapshot (it needs --heapsnapshot-signal=SIGUSR2 in BENCH_NODE_FLAGS) and waits until it is written. */
function snapshot(when: string): void {
  if (!flags.snapshots) return;
  process.kill(pid, 'SIGUSR2');
  log(`heap snapshot requested ${when} (pid ${pid})`);
}
const heapText = (h: JsHeap) => `main ${h.main} MiB (external ${h.external} MiB), workers ${h.workers.join(' + ')} MiB, ${h.live} live calls`;

/** The server's pid: the node process whose command line names our data dir. */
function hotlinePid(dataDir: string): number {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (args.includes('start') && args.includes(dataDir)) return Number(p);
    } catch {
      /* gone */
    }
  }
  throw new Error(`no hotline process for ${dataDir}`);
}

const fdCount = () => {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
};

let agents: SippRun | undefined;
let callers: SippRun | undefined;
const samples: Sample[] = [];
const idle: Sample[] = [];
const recordings = { count: 0, bytes: 0, checked: 0, bothTones: 0, failures: [] as string[], sampledThisStage: 0 };

function sample(): Sample {
  const c = processCpu(pid);
  const k = callers?.counts();
  return { t: now(), cpu: c.user + c.sys, rssKiB: rssKiB(pid), fds: fdCount(), concurrent: k?.current ?? 0, started: k?.started ?? 0, failed: k?.failed ?? 0 };
}

/** Counts and deletes finished recordings (not written for `ageSec`), checking a few for both parties' tones. */
function sweepRecordings(ageSec: number): void {
  let names: string[];
  try {
    names = readdirSync(recordingsDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.wav')) continue;
    const path = join(recordingsDir, name);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (Date.now() - st.mtimeMs < ageSec * 1000) continue;
    if (recordings.sampledThisStage < RECORDING_SAMPLES_PER_STAGE) {
      recordings.sampledThisStage++;
      recordings.checked++;
      try {
        const { channels } = readChannels(path);
        const hear = (hz: number) => channels.reduce((n, ch) => n + framesHearing(ch, hz), 0);
        const [caller, agent] = [hear(CALLER_HZ), hear(AGENT_HZ)];
        if (caller > 50 && agent > 50) recordings.bothTones++;
        else recordings.failures.push(`${name}: ${caller} frames of the caller's tone, ${agent} of the agent's`);
      } catch (err) {
        recordings.failures.push(`${name}: ${(err as Error).message}`);
      }
    }
    recordings.count++;
    recordings.bytes += st.size;
    unlinkSync(path);
  }
}

async function createAccounts(first: number, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const ext = String(first + next++);
      const r = await fetch(`${hotline.httpUrl}/api/v1/sip-users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hotline.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ext, password: `pw-${ext}` }),
      });
      if (r.status !== 201) throw new Error(`creating ${ext}: HTTP ${r.status} ${await r.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Waits until no call is up at either sipp (at most `maxSec`). */
async function drain(maxSec: number): Promise<void> {
  const until = Date.now() + maxSec * 1000;
  while (Date.now() < until && ((agents?.counts().current ?? 0) > 0 || (callers?.counts().current ?? 0) > 0)) await sleep(500);
}

interface StageResult {
  stage: Stage;
  start: number;
  allStartedAt: number;
  end: number;
  attempted: number;
  successful: number;
  failed: number;
  retransmissions: number;
  failures: Record<string, number>;
  maxConcurrent: number;
  /** Attempts per second at the full rate (after the ramp). */
  cps: number;
  overallCps: number;
  concurrentAtFirstFailure: number | undefined;
  cpu?: { cpuPct: number; meanConcurrent: number };
  machineBusyPct: number;
  sippCpuSec: number;
  sippOverloadWarnings: number;
}

async function runStage(stage: Stage, index: number): Promise<StageResult> {
  const dir = join(work, `callers-${index}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tone.ulaw'), toneUlaw(CALLER_HZ, 2000));
  recordings.sampledThisStage = 0;
  const { rampSec, sendSec } = stageTiming(stage);
  const start = now();
  const m0 = machineCpu();
  log(`stage "${stage.name}": starting ${stage.calls} calls`);
  callers = startCallers({
    dir, target, port: sipCallerPort, mediaPort: callerMedia, users: join(work, 'callers.csv'),
    calls: stage.calls, cps: stage.cps, limit: Math.ceil(stage.concurrent * 1.3) + 10, holdMs: stage.holdMs,
    timeoutSec: Math.ceil(sendSec * 1.5 + stage.holdMs / 1000 + 120),
    ...(stage.ramp ? { ramp: stage.ramp } : {}),
  });
  if (stage.ramp) log(`  rate climbs from ${stage.ramp.start}/s by ${stage.ramp.step}/s every ${stage.ramp.intervalSec} s to ${stage.cps}/s (${rampSec} s), then holds`);
  const run = callers;
  let allStartedAt = 0;
  let sippCpu = 0;
  let lastLog = 0;
  let prev = samples[samples.length - 1]!;
  let prevStarted = 0;
  for (;;) {
    const exited = await Promise.race([run.done.then(() => true), sleep(1000).then(() => false)]);
    const c = run.counts();
    if (!exited) sippCpu = processCpuSafe(run.child.pid);
    if (allStartedAt === 0 && c.started >= stage.calls) allStartedAt = now();
    if (now() - lastLog >= 5 || exited) {
      const s = samples[samples.length - 1]!;
      const cpuPct = s.t > prev.t ? ((s.cpu - prev.cpu) / (s.t - prev.t) / CORES) * 100 : 0;
      const rate = s.t > prev.t ? (c.started - prevStarted) / (s.t - prev.t) : 0;
      log(
        `  ${c.started}/${stage.calls} started (${rate.toFixed(1)}/s), ${c.current} up (agents ${agents?.counts().current ?? 0}), ` +
          `${c.successful} done, ${c.failed} failed; hotline CPU ${cpuPct.toFixed(1)}% of machine, RSS ${(s.rssKiB / 1024).toFixed(0)} MiB, ${s.fds} fds; ${recordings.count} recordings`,
      );
      prev = s;
      prevStarted = c.started;
      lastLog = now();
    }
    if (exited) break;
  }
  const code = await run.done;
  const end = now();
  const m1 = machineCpu();
  const c = run.counts();
  if (code !== 0) log(`  callers' sipp exited ${code}: ${run.output().slice(-1500)}`);
  const firstStartEstimate = start;
  const stageSamples = samples.filter((x) => x.t >= start && x.t <= end);
  // CPU and rate where the stage is at its full load: a hold time after the rate reached its top, until the last call started
  const fullFrom = start + rampSec + stage.holdMs / 1000 + 2;
  const fullTo = allStartedAt || start + sendSec;
  const cpu = windowCpu(window(samples, fullFrom, fullTo), CORES);
  const sustained = rateBetween(samples, start + rampSec + 1, fullTo);
  const result: StageResult = {
    stage,
    start,
    allStartedAt: allStartedAt || end,
    end,
    attempted: c.started,
    successful: c.successful,
    failed: c.failed,
    retransmissions: c.retransmissions,
    failures: c.failures,
    maxConcurrent: Math.max(0, ...stageSamples.map((x) => x.concurrent)),
    cps: sustained ?? c.started / Math.max(1, (allStartedAt || end) - firstStartEstimate),
    overallCps: c.started / Math.max(1, (allStartedAt || end) - firstStartEstimate),
    concurrentAtFirstFailure: concurrentAtFirstFailure(stageSamples),
    machineBusyPct: ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100,
    sippCpuSec: sippCpu,
    sippOverloadWarnings: run.overloadWarnings(),
  };
  if (cpu !== undefined) result.cpu = cpu;
  log(
    `stage "${stage.name}" done: ${c.successful}/${c.started} calls completed, ${c.failed} failed, ${c.retransmissions} retransmissions, ` +
      `${result.cps.toFixed(1)} attempts/s at full rate, at most ${result.maxConcurrent} at once` +
      (result.concurrentAtFirstFailure !== undefined ? ` (first failure at ${result.concurrentAtFirstFailure} up)` : '') +
      (cpu ? `; hotline CPU ${cpu.cpuPct.toFixed(1)}% of the machine at ${cpu.meanConcurrent.toFixed(0)} calls` : ''),
  );
  return result;
}

function processCpuSafe(p: number | undefined): number {
  if (p === undefined) return 0;
  try {
    const c = processCpu(p);
    return c.user + c.sys;
  } catch {
    return 0;
  }
}

const results: StageResult[] = [];
let agentsFailed = 0;
let agentsFailures: Record<string, number> = {};
let agentsCpuSec = 0;
let agentsOverload = 0;
let registered = 0;
const sampler = setInterval(() => samples.push(sample()), 1000);
const sweeper = setInterval(() => sweepRecordings(12), 5000);
try {
  samples.push(sample());
  log(`creating ${agentCount} agent and ${CALLER_ACCOUNTS} caller SIP accounts through the API`);
  await createAccounts(FIRST_AGENT, agentCount);
  await createAccounts(FIRST_CALLER, CALLER_ACCOUNTS);
  writeInjection(join(work, 'agents.csv'), Array.from({ length: agentCount }, (_, i) => [String(FIRST_AGENT + i), `pw-${FIRST_AGENT + i}`, REALM]));
  writeInjection(
    join(work, 'callers.csv'),
    Array.from({ length: agentCount }, (_, i) => {
      const caller = FIRST_CALLER + (i % CALLER_ACCOUNTS);
      return [String(caller), `pw-${caller}`, REALM, String(FIRST_AGENT + i)];
    }),
  );
  const agentsDir = join(work, 'agents');
  mkdirSync(agentsDir, { recursive: true });
  writeFileSync(join(agentsDir, 'tone.ulaw'), toneUlaw(AGENT_HZ, 2000));
  log(`registering ${agentCount} agent extensions from the agents' address (127.0.0.1:${sipAgentPort})`);
  const reg = await registerAgents({ dir: join(work, 'register'), target, port: sipAgentPort, users: join(work, 'agents.csv'), count: agentCount });
  agents = startAgents({ dir: agentsDir, port: sipAgentPort, mediaPort: agentMedia, byeTimeoutMs: Math.max(...stages.map((s) => s.holdMs)) + 30_000 });
  registered = reg.successful;
  if (reg.successful !== agentCount) throw new Error(`only ${reg.successful} of ${agentCount} agents registered (exit ${reg.code}): ${reg.output.slice(-1500)}`);
  await sleep(2000);
  idle.push(sample());
  idleHeap.push(await jsHeap());
  for (const [i, stage] of stages.entries()) {
    results.push(await runStage(stage, i));
    await drain(60);
    await sleep(3000);
    sweepRecordings(2);
    const s = sample();
    idle.push(s);
    const heap = await jsHeap();
    idleHeap.push(heap);
    log(`idle after stage ${i + 1}: RSS ${(s.rssKiB / 1024).toFixed(1)} MiB, ${s.fds} fds, ${recordings.count} recordings so far; JavaScript heaps ${heapText(heap)}`);
    snapshot(`after stage ${i + 1}`);
  }
  if (LINGER_SEC > 0) {
    log(`lingering ${LINGER_SEC} s idle`);
    await sleep(LINGER_SEC * 1000);
    const s = sample();
    idle.push(s);
    const heap = await jsHeap();
    idleHeap.push(heap);
    log(`idle after ${LINGER_SEC} s more: RSS ${(s.rssKiB / 1024).toFixed(1)} MiB, ${s.fds} fds; JavaScript heaps ${heapText(heap)}`);
    snapshot('after lingering');
  }
} finally {
  clearInterval(sampler);
  clearInterval(sweeper);
  if (agents) {
    agentsFailed = agents.counts().failed;
    agentsFailures = agents.counts().failures;
    agentsCpuSec = processCpuSafe(agents.child.pid);
    agentsOverload = agents.overloadWarnings();
    await agents.stop();
  }
  if (callers && callers.child.exitCode === null) await callers.stop();
  const err = hotline.stderr();
  await hotline.stop();
  if (err.trim() !== '') log(`hotline stderr (last 1500 chars): ${err.slice(-1500)}`);
  if (flags.keep) log(`sipp folders kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const attempted = results.reduce((n, r) => n + r.attempted, 0);
const successful = results.reduce((n, r) => n + r.successful, 0);
const unfinished = attempted - successful - results.reduce((n, r) => n + r.failed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + agentsFailed + Math.max(0, unfinished);
const [design, max] = results as [StageResult, StageResult];
const maxRounds = results.slice(1);
const mem = memoryPerCallKiB(idle[1] ?? idle[0]!, window(samples, max.start, max.end));
const slope = rssSlopeKiB(window(samples, max.start, max.end));
const leak = leakCheck(idle);
if (recordings.failures.length > 0) log(`recording checks failed: ${recordings.failures.join('; ')}`);
log(
  `summary: ${successful}/${attempted} calls completed, ${failed} failed (callers ${results.map((r) => r.failed).join('+')}, agents ${agentsFailed}, unfinished ${unfinished}); ` +
    `${recordings.count} recordings (${(recordings.bytes / 2 ** 20).toFixed(0)} MiB), ${recordings.bothTones}/${recordings.checked} checked hold both tones; ` +
    `idle fds ${leak.fds.join(' -> ')}, idle RSS ${leak.rssMiB.join(' -> ')} MiB` + (mem ? `; ${mem.kib.toFixed(0)} KiB RSS per call at ${mem.at} calls` : '') +
    (slope !== undefined ? ` (slope ${slope.toFixed(0)} KiB per call)` : ''),
);

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const result = {
  bench: 'switch',
  calls: attempted,
  failed,
  cps: round(Math.min(...maxRounds.map((r) => r.cps))),
  max_concurrent: Math.max(...results.map((r) => r.maxConcurrent)),
  max_concurrent_before_first_failure: results.some((r) => r.concurrentAtFirstFailure !== undefined) ? Math.min(...results.map((r) => r.concurrentAtFirstFailure ?? Infinity)) : null,
  cpu_pct_at_210: design.cpu ? round(design.cpu.cpuPct) : null,
  successful,
  recordings: recordings.count,
  recordings_checked_both_tones: `${recordings.bothTones}/${recordings.checked}`,
  mean_concurrent_in_design_window: design.cpu ? round(design.cpu.meanConcurrent, 0) : null,
  cpu_pct_at_max: max.cpu ? round(max.cpu.cpuPct) : null,
  mean_concurrent_in_max_window: max.cpu ? round(max.cpu.meanConcurrent, 0) : null,
  machine_busy_pct: results.map((r) => round(r.machineBusyPct)),
  rss_per_call_kib: mem ? round(mem.kib, 0) : null,
  rss_slope_kib_per_call: slope !== undefined ? round(slope, 0) : null,
  recordings_missing: successful - recordings.count,
  sipp_cpu_pct: round(((results.reduce((a, r) => a + r.sippCpuSec, 0) + agentsCpuSec) / Math.max(1, results.reduce((a, r) => a + r.end - r.start, 0)) / CORES) * 100),
  idle_fds: leak.fds,
  idle_rss_mib: leak.rssMiB,
  idle_js_heap_mib: idleHeap.map((h) => ({ main: h.main, external: h.external, workers: h.workers })),
  fds_flat: leak.fdsFlat,
  rss_flat: leak.rssFlat,
  retransmissions: results.map((r) => r.retransmissions),
  failure_causes: { callers: results.map((r) => r.failures), agents: agentsFailures },
  sipp_overload_warnings: { callers: results.map((r) => r.sippOverloadWarnings), agents: agentsOverload },
  agents_registered: registered,
  stages: results.map((r) => ({ name: r.stage.name, calls: r.stage.calls, cps_target: round(r.stage.cps, 2), hold_s: r.stage.holdMs / 1000, attempted: r.attempted, successful: r.successful, failed: r.failed, cps: round(r.cps), cps_overall: round(r.overallCps), max_concurrent: r.maxConcurrent, seconds: round(r.end - r.start, 0) })),
  load_average_before: loadBefore,
  cores: CORES,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

/**
 * npm run bench:media (issue 3): concurrent two-party bridged G.711 calls,
 * both parties recorded (one WAV per call, a channel per party), RTP
 * generated and checked by the bench's own peer process (bench/media-peer.ts)
 * over loopback. For each load level: engine CPU (the whole engine process,
 * all media workers, as % of the machine), frames sent more than 10 ms late,
 * packets lost (engine side: gaps in what it received; peer side: gaps in
 * what it got back), content errors (a party not hearing the other's tone),
 * memory per call. The peer's own CPU is reported beside it: it shares the
 * machine. Options: --calls 50,210,400,800 --seconds 8 --workers N.
 * Progress on stderr; last stdout line one JSON object.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MediaEngine } from '../src/media/engine/media-engine.ts';
import type { WorkerStats } from '../src/media/engine/engine-protocol.ts';
import type { PeerResult, PeerStart } from './media-peer.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '50,210,400,800' }, seconds: { type: 'string', default: '8' }, workers: { type: 'string' }, 'no-record': { type: 'boolean', default: false } } });
const RECORD = !values['no-record'];
const LEVELS = values.calls.split(',').map(Number);
const SECONDS = Number(values.seconds);
const CORES = availableParallelism();
const WORKERS = values.workers ? Number(values.workers) : CORES;
const log = (s: string) => process.stderr.write(`bench:media: ${s}\n`);
const HOST = '127.0.0.1';

interface Level {
  calls: number;
  cpuPct: number;
  peerCpuPct: number;
  /** Whole machine (all processes, other users included) busy and hypervisor-stolen, % of all vCPUs. */
  machineBusyPct: number;
  machineStealPct: number;
  /** Packets the peer should have sent in the run (it falls short when the machine is saturated). */
  peerExpected: number;
  lateFramesPct: number;
  engineLost: number;
  peerLost: number;
  sent: number;
  received: number;
  contentChecked: number;
  contentErrors: number;
  kbPerCall: number;
  skippedFrames: number;
  maxLateMs: number;
  /** Media work per tick, mean and worst, ms (one worker's tick covers its legs). */
  meanTickMs: number;
  maxTickMs: number;
}

const sumWorkers = (s: WorkerStats[]) => ({ ticks: s.reduce((a, w) => a + w.ticks, 0), late: s.reduce((a, w) => a + w.lateFrames, 0), skipped: s.reduce((a, w) => a + w.skippedFrames, 0), maxLate: Math.max(...s.map((w) => w.maxLateMs)), busy: s.reduce((a, w) => a + w.busyMs, 0), maxTick: Math.max(...s.map((w) => w.maxTickMs)) });

/** Machine-wide CPU from /proc/stat: busy (user+nice+system+irq+softirq) and steal jiffies, and the total. */
function machineCpu(): { busy: number; steal: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

function runPeer(start: PeerStart): Promise<PeerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, '..', 'bin', 'run-ts.js'), [join(import.meta.dirname, 'media-peer.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as PeerResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`peer exited ${code}`)));
    child.send(start);
  });
}

async function level(engine: MediaEngine, n: number, dir: string): Promise<Level> {
  const rss0 = process.memoryUsage().rss;
  const calls: Array<{ bridge: string; a: string; b: string; ports: [number, number]; rec: string | false }> = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async (_, k) => {
        const bridge = await engine.createBridge({ maxMembers: 2 });
        const a = await engine.createLeg({ near: bridge, inbandDtmf: false });
        const b = await engine.createLeg({ near: bridge, inbandDtmf: false });
        await engine.join(bridge, a.legId);
        await engine.join(bridge, b.legId);
        const rec = RECORD && await engine.record({ bridgeId: bridge, members: [a.legId, b.legId] }, join(dir, `call-${i + k}.wav`), 'channels');
        return { bridge, a: a.legId, b: b.legId, ports: [a.localPort, b.localPort] as [number, number], rec };
      }),
    );
    calls.push(...batch);
  }
  log(`${n} calls set up (${n * 2} legs, ${n} recordings); peer sends for ${SECONDS} s`);
  const before = sumWorkers(await engine.stats());
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const t0 = performance.now();
  const peerRun = runPeer({ host: HOST, calls: calls.map((c) => c.ports), seconds: SECONDS });
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 500);
  const peer = await peerRun;
  clearInterval(sampler);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const m1 = machineCpu();
  const mTotal = Math.max(1, m1.total - m0.total);
  const stats = await engine.stats();
  const after = sumWorkers(stats);
  const mine = new Set(calls.flatMap((c) => [c.a, c.b]));
  const engineLost = stats.flatMap((w) => w.legs).filter((l) => mine.has(l.legId)).reduce((a, l) => a + l.lostIn, 0);
  for (let i = 0; i < calls.length; i += 100) {
    await Promise.all(
      calls.slice(i, i + 100).map(async (c) => {
        if (c.rec) await engine.controlRecording(c.rec, 'stop');
        await engine.destroyLeg(c.a);
        await engine.destroyLeg(c.b);
        await engine.destroyBridge(c.bridge);
      }),
    );
  }
  const ticks = after.ticks - before.ticks;
  const frames = ticks > 0 ? ticks : 1;
  return {
    calls: n,
    cpuPct: round(((cpu.user + cpu.system) / 1e6 / wall / CORES) * 100),
    peerCpuPct: round((peer.cpuSeconds / wall / CORES) * 100),
    machineBusyPct: round(((m1.busy - m0.busy) / mTotal) * 100),
    machineStealPct: round(((m1.steal - m0.steal) / mTotal) * 100),
    peerExpected: n * 2 * 50 * SECONDS,
    // a late tick delays every leg of its worker: count late ticks over ticks
    lateFramesPct: round(((after.late - before.late) / frames) * 100, 3),
    engineLost,
    peerLost: peer.lost,
    sent: peer.sent,
    received: peer.received,
    contentChecked: peer.contentChecked,
    contentErrors: peer.contentErrors,
    kbPerCall: Math.round((rssPeak - rss0) / 1024 / n),
    skippedFrames: after.skipped - before.skipped,
    maxLateMs: after.maxLate,
    meanTickMs: round((after.busy - before.busy) / frames, 2),
    maxTickMs: after.maxTick,
  };
}

function round(v: number, d = 1): number {
  return Math.round(v * 10 ** d) / 10 ** d;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
log(`${cpus()[0]?.model ?? 'cpu'} x${CORES}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${WORKERS} media workers; PCMU 20 ms; in-band DTMF detection off; recordings in ${dir}`);
const engine = new MediaEngine({ workers: WORKERS, rtpPortMin: 40000, rtpPortMax: 47999, bindAddress: HOST });
await engine.start();
const results: Level[] = [];
try {
  for (const n of LEVELS) {
    const sub = join(dir, String(n));
    mkdirSync(sub);
    const r = await level(engine, n, sub);
    rmSync(sub, { recursive: true, force: true });
    results.push(r);
    log(
      `${n} calls: engine CPU ${r.cpuPct}% of ${CORES} cores (peer ${r.peerCpuPct}%; machine busy ${r.machineBusyPct}%, steal ${r.machineStealPct}%), peer sent ${r.sent}/${r.peerExpected}, late ticks ${r.lateFramesPct}% (max ${r.maxLateMs} ms, skipped ${r.skippedFrames}; tick work mean ${r.meanTickMs} ms, max ${r.maxTickMs} ms), lost engine-side ${r.engineLost} / peer-side ${r.peerLost}, ${r.received} received, content errors ${r.contentErrors}/${r.contentChecked}, ~${r.kbPerCall} KiB/call, load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
} finally {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
// a level counts only if the engine kept up: under 80 % CPU, nothing lost, < 0.1 % late, and the peer sent what it should
const under80 = results.filter((r) => r.cpuPct < 80 && r.engineLost + r.peerLost === 0 && r.lateFramesPct < 0.1 && r.sent >= r.peerExpected * 0.99);
const at210 = results.find((r) => r.calls === 210);
const worst = results.at(-1)!;
console.log(
  JSON.stringify({
    bench: 'media',
    calls_under_80pct_cpu: under80.length ? Math.max(...under80.map((r) => r.calls)) : 0,
    cpu_pct_at_210: at210?.cpuPct ?? null,
    lost_packets: results.reduce((a, r) => a + r.engineLost + r.peerLost, 0),
    late_frames_pct: Math.max(...results.map((r) => r.lateFramesPct)),
    kb_per_call: worst.kbPerCall,
    levels: results,
  }),
);

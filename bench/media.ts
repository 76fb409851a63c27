/**
 * npm run bench:media (issue 3).
 *
 * Part 1, recorded calls: concurrent two-party bridged PCMU calls, both
 * parties recorded (one WAV per call, a channel per party), RTP generated and
 * checked by the bench's own peer process (bench/media-peer.ts) on loopback.
 * The load ramps (210 first, then up) until the engine passes 80% of the
 * machine's CPU or more than 0.1% of frames go out over 10 ms late or a
 * packet is lost. Per level, over a steady window after a warm-up: the
 * engine process's CPU (utime+stime from /proc, all threads, as % of all
 * cores, split user/system), late frames (per packet, as the peer's phones
 * receive them: more than 10 ms behind their stream's own 20 ms grid, see
 * media-peer.ts), late ticks (worker ticks that started more than 10 ms
 * past their deadline; a late tick delays every frame of its worker, but
 * frames can also be late inside a tick that started on time), packets lost (engine side: gaps in what it received;
 * peer side: gaps in what came back), content errors (a party not hearing the
 * other's tone), one-way transit (a marker frame a second per party, timed
 * from one party's send to the other's receive: what the engine adds to a
 * call's delay, jitter buffer and paced sending included; the last line's
 * `transit_ms` is at the highest level that kept up), resident memory per
 * call, the peer's own CPU and lateness, and the load average (other
 * people's work shares this machine).
 *
 * Part 2, relay cost: the same number of calls through Hotline as plain
 * two-party bridges without recording (its relay-only case) and through
 * rtpengine from Debian in userspace mode (bench/rtpengine-ng.ts), driven by
 * the same peer (and Hotline once more with strict-source legs, whose
 * sockets are connected to the peer instead of latching); CPU per stream (one direction of one call) for both and the
 * ratio, alternating rounds, medians of the rounds where the peer kept its
 * full rate and nothing was lost (CPU per stream-second means nothing on a
 * saturated machine). Each round also measures a bare
 * Node.js relay (bench/node-relay.ts: receive on one socket, send from the
 * other, nothing else) as the floor one dgram socket per leg sets.
 *
 * Hotline's window opens after the warm-up once its workers have gone
 * --settle seconds without a late tick or a mark-compact (at most
 * --settle-max seconds after traffic started): a level's set-up and the
 * first seconds of traffic on 1,600 new legs cost collections and catch-up
 * ticks that are not the steady load being measured. Each level says when
 * its window opened.
 *
 * Options: --calls 210,300,400,500,600,700,800 --seconds 10 --warmup 2 --settle 3 --settle-max 30
 * --workers N --media-nice -10 (the workers' thread priority, as the product
 * sets it by default; 0 leaves them at the bench's own) --media-rt 10 (the
 * real-time priority the workers wait for and send each frame at, as the
 * product sets it; 0: ordinary scheduling) --cpu-affinity spread|none (one
 * worker to a CPU, as the product does by default) --send-ahead N|auto (paced
 * sending, MediaEngineOptions.sendAhead; without it the product's default,
 * 2; 0: the workers send themselves; auto: the adaptive policy) --relay-calls 210 --relay-rounds 3 --no-record --no-rtpengine
 * --rtpengine /usr/bin/rtpengine --peer-phase-ms P (the peer sends every frame P ms
 * past a multiple of 20 ms of wall time, where the workers tick at 0 and 10 ms
 * with two; without it, wherever its run starts; each level reports the phase)
 * --quiet-load 1.0 (first wait, at most
 * --quiet-wait 900 s, until the 1-minute load average is below it). Progress on stderr; the last stdout line is
 * one JSON object.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, getPriority as osPriority, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { g711Decode, g711Encode } from '../src/media/codec/g711.ts';
import { MediaEngine } from '../src/media/engine/media-engine.ts';
import type { WorkerStats } from '../src/media/engine/engine-protocol.ts';
import type { PeerCommand, PeerMessage, PeerResult } from './media-peer.ts';
import { cpuDelta, machineCpu, processCpu, rssKiB } from './proc-cpu.ts';
import type { RelayCommand, RelayMessage } from './node-relay.ts';
import { RtpEngineDaemon } from './rtpengine-ng.ts';
import { StallProbe, type StallWindow } from './stall-probe.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '210,300,400,500,600,700,800' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    settle: { type: 'string', default: '3' },
    'settle-max': { type: 'string', default: '30' },
    workers: { type: 'string' },
    'media-nice': { type: 'string', default: '-10' },
    'media-rt': { type: 'string', default: '10' },
    'cpu-affinity': { type: 'string', default: 'spread' },
    'send-ahead': { type: 'string' },
    'peer-phase-ms': { type: 'string' },
    'relay-calls': { type: 'string', default: '210' },
    'relay-rounds': { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false },
    'no-rtpengine': { type: 'boolean', default: false },
    rtpengine: { type: 'string', default: '/usr/bin/rtpengine' },
    'quiet-load': { type: 'string' },
    'quiet-wait': { type: 'string', default: '900' },
  },
});
const RECORD = !values['no-record'];
const LEVELS = values.calls.split(',').map(Number).filter((n) => n > 0);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const SETTLE = Number(values.settle);
const SETTLE_MAX = Number(values['settle-max']);
const CORES = availableParallelism();
const WORKERS = values.workers ? Number(values.workers) : CORES;
const RELAY_CALLS = Number(values['relay-calls']);
const RELAY_ROUNDS = Number(values['relay-rounds']);
const HOST = '127.0.0.1';
const log = (s: string) => process.stderr.write(`bench:media: ${s}\n`);
const load = () => loadavg()[0]!.toFixed(2);

/** The forked peer, driven step by step over IPC. */
class Peer {
  private readonly child: ChildProcess;
  private readonly inbox: PeerMessage[] = [];
  private waiter: (() => void) | undefined;

  constructor() {
    this.child = fork(join(import.meta.dirname, '..', 'bin', 'run-ts.js'), [join(import.meta.dirname, 'media-peer.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m) => {
      this.inbox.push(m as PeerMessage);
      this.waiter?.();
    });
    this.child.on('exit', () => this.waiter?.());
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(c: PeerCommand): void {
    this.child.send(c);
  }

  async next<T extends PeerMessage['type']>(type: T): Promise<Extract<PeerMessage, { type: T }>> {
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Extract<PeerMessage, { type: T }>;
      if (this.child.exitCode !== null) throw new Error(`peer exited ${this.child.exitCode} before ${type}`);
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
}

/** A system under test: sets calls up between peer ports, tears them down, and names the process to measure. */
interface Target {
  name: string;
  pid: number | 'self';
  /** Returns, per peer socket, the port it must send to. */
  setup(peerPorts: number[]): Promise<number[]>;
  /** Engine-side loss and concealment for the calls, read at the end of the window. */
  legCounters?(): Promise<{ lost: number; concealed: number; jitterDelayMs?: number }>;
  workerStats?(): Promise<WorkerStats[]>;
  teardown(): Promise<void>;
}

interface Level {
  target: string;
  calls: number;
  streams: number;
  seconds: number;
  cpuPct: number;
  userPct: number;
  sysPct: number;
  /** CPU microseconds per stream per second of media (50 packets in, 50 out per leg). */
  usPerStreamS: number;
  peerCpuPct: number;
  machineBusyPct: number;
  load: [number, number];
  /** Worker ticks of the window that started more than 10 ms after their deadline (each sends a frame for every leg of its worker). */
  lateTicksPct: number | null;
  /** The late ticks behind that percentage, and all worker ticks of the window. */
  lateTicks: number | null;
  /** With --send-ahead: the sender threads' batches sent over 10 ms after their due time, and datagrams they dropped or failed, in the window. */
  senderLateBatches: number | null;
  senderDropped: number | null;
  /** With paced sending: each worker's frames ahead at the window's end, and the steps the auto policy took inside the window (each shifts a worker's streams by 20 ms). */
  sendAheadFrames: number[] | null;
  sendAheadSteps: number | null;
  /** With paced sending: the datagrams the senders sent over 10 ms after their due time, as a percentage of those they sent in the window. */
  senderLateDatagramsPct: number | null;
  windowTicks: number | null;
  maxLateMs: number | null;
  meanTickMs: number | null;
  /** Gaps in what the engine's legs received, from their set-up to the window's end. */
  engineLost: number;
  /** Frames the engine's legs concealed inside the window (nothing had arrived in time to play). */
  concealed: number;
  peerLost: number;
  peerSent: number;
  peerScheduled: number;
  peerLateFrames: number;
  /** Where in every 20 ms of wall time the peer sent (the media workers tick at 0 and 10 ms with two workers). */
  peerPhaseMs: number;
  /**
   * Packets the peer received in the window that arrived more than 10 ms
   * behind their stream's own 20 ms grid (see media-peer.ts), as a
   * percentage of those it timed, with the counts and the worst lateness:
   * per packet, where the late ticks are per worker tick.
   */
  lateFramesPct: number | null;
  arrivalsLate: number;
  arrivalsTimed: number;
  maxArrivalLateMs: number;
  /** Transit of marker frames from one party through the engine (or relay) to the other, see media-peer.ts. */
  transit: PeerResult['transit'];
  /** The median leg's jitter-buffer delay as the window closed (part of the transit). */
  jitterDelayMs: number | null;
  received: number;
  contentChecked: number;
  contentErrors: number;
  kbPerCall: number;
  /** Media workers' garbage collections in the window (per worker per second; the longest pause since the engine started). */
  gc: { scavengesPerS: number; markCompactsPerS: number; pauseMsPerS: number; maxPauseMs: number } | null;
  /** Seconds from the start of traffic to the window (the warm-up, then until the workers settled); null: a fixed warm-up. */
  settleSeconds: number | null;
  /** This machine's speed just before the level: see calibrate(). */
  calibrationMs: number;
  /** Gaps over 5 ms in the window when not even a SCHED_FIFO 99 thread ran (stall-probe.ts); null without the probe. */
  machineStalls: StallWindow | null;
}

/**
 * The machine's speed right now: the best of seven timings of a fixed piece
 * of one-thread work (G.711 encoding and decoding of 20,000 frames, the
 * engine's own codec), ms. The same bench on this (shared, virtual) machine
 * has cost from 51 to 72% of it on different runs; this figure, taken with
 * the engine idle before each level, lets a reader set a level's results
 * against how fast the machine was.
 */
function calibrate(): number {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
  const back = new Int16Array(160);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) g711Decode('PCMU', g711Encode('PCMU', pcm), back);
    best = Math.min(best, performance.now() - t0);
  }
  return Math.round(best * 10) / 10;
}

const sumWorkers = (s: WorkerStats[]) => ({
  ticks: s.reduce((a, w) => a + w.ticks, 0),
  late: s.reduce((a, w) => a + w.lateFrames, 0),
  senderLate: s.reduce((a, w) => a + (w.sender?.lateBatches ?? 0), 0),
  senderLateDatagrams: s.reduce((a, w) => a + (w.sender?.lateDatagrams ?? 0), 0),
  senderSent: s.reduce((a, w) => a + (w.sender?.sent ?? 0), 0),
  senderDropped: s.reduce((a, w) => a + (w.sender?.dropped ?? 0) + (w.sender?.errors ?? 0), 0),
  sendAheadFrames: s.map((w) => w.sender?.sendAhead ?? 0),
  sendAheadSteps: s.reduce((a, w) => a + (w.sender?.auto ? w.sender.auto.raised + w.sender.auto.lowered : 0), 0),
  maxLate: Math.max(0, ...s.map((w) => w.maxLateMs)),
  busy: s.reduce((a, w) => a + w.busyMs, 0),
  workers: s.length,
  scavenges: s.reduce((a, w) => a + (w.heap?.scavenges ?? 0), 0),
  markCompacts: s.reduce((a, w) => a + (w.heap?.markCompacts ?? 0), 0),
  gcPauseMs: s.reduce((a, w) => a + (w.heap?.gcPauseMs ?? 0), 0),
  maxGcPauseMs: Math.max(0, ...s.map((w) => w.heap?.maxGcPauseMs ?? 0)),
});

async function runLevel(t: Target, calls: number): Promise<Level> {
  const calibrationMs = calibrate();
  const peer = new Peer();
  peer.send({ type: 'bind', host: HOST, sockets: calls * 2 });
  const { ports } = await peer.next('bound');
  const rss0 = rssKiB(t.pid);
  const targets = await t.setup(ports);
  const workerStats = t.workerStats;
  log(`${t.name}: ${calls} calls set up (${calls * 2} streams); warm-up ${WARMUP} s${workerStats ? ` and until the workers had ${SETTLE} s without a late tick or a mark-compact (at most ${SETTLE_MAX} s)` : ''}, window ${SECONDS} s`);
  peer.send({ type: 'run', host: HOST, targets, warmupSeconds: WARMUP, seconds: SECONDS, begin: workerStats ? 'on-command' : 'after-warmup', ...(values['peer-phase-ms'] !== undefined ? { phaseMs: Number(values['peer-phase-ms']) } : {}) });
  let rssPeak = rssKiB(t.pid);
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssKiB(t.pid))), 500);
  let settleSeconds: number | null = null;
  let counters0 = { lost: 0, concealed: 0 };
  if (workerStats) {
    settleSeconds = await settle(workerStats);
    if (t.legCounters) counters0 = await t.legCounters();
    peer.send({ type: 'begin-window' });
  }
  await peer.next('steady');
  const c0 = processCpu(t.pid);
  const p0 = processCpu(peer.pid);
  const m0 = machineCpu();
  const w0 = performance.now();
  const l0 = loadavg()[0]!;
  const s0 = t.workerStats ? sumWorkers(await t.workerStats()) : undefined;
  await peer.next('window-end');
  const c1 = processCpu(t.pid);
  const p1 = processCpu(peer.pid);
  const m1 = machineCpu();
  const wall = (performance.now() - w0) / 1000;
  const machineStalls = probeRealtime > 0 ? await probe.between(performance.timeOrigin + w0, performance.timeOrigin + w0 + wall * 1000) : null;
  const s1 = t.workerStats ? sumWorkers(await t.workerStats()) : undefined;
  // the engine's counters as the window closed (the peer stops sending then; after, every leg conceals)
  const counters = t.legCounters ? await t.legCounters() : { lost: 0, concealed: 0 };
  const { result: peerResult } = await peer.next('done');
  clearInterval(sampler);
  await t.teardown();
  const cpu = cpuDelta(c0, c1);
  const pct = (x: number) => round((x / wall / CORES) * 100);
  const ticks = s0 && s1 ? Math.max(1, s1.ticks - s0.ticks) : 0;
  return {
    target: t.name,
    calls,
    streams: calls * 2,
    seconds: round(wall, 2),
    cpuPct: pct(cpu.total),
    userPct: pct(cpu.user),
    sysPct: pct(cpu.sys),
    usPerStreamS: Math.round((cpu.total / wall / (calls * 2)) * 1e6),
    peerCpuPct: pct(cpuDelta(p0, p1).total),
    machineBusyPct: round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100),
    load: [round(l0, 2), round(loadavg()[0]!, 2)],
    lateTicksPct: s0 && s1 ? round(((s1.late - s0.late) / ticks) * 100, 3) : null,
    lateTicks: s0 && s1 ? s1.late - s0.late : null,
    senderLateBatches: s0 && s1 && SEND_AHEAD > 0 ? s1.senderLate - s0.senderLate : null,
    senderDropped: s0 && s1 && SEND_AHEAD > 0 ? s1.senderDropped - s0.senderDropped : null,
    sendAheadFrames: s1 && SEND_AHEAD > 0 ? s1.sendAheadFrames : null,
    sendAheadSteps: s0 && s1 && SEND_AHEAD > 0 ? s1.sendAheadSteps - s0.sendAheadSteps : null,
    senderLateDatagramsPct: s0 && s1 && SEND_AHEAD > 0 && s1.senderSent > s0.senderSent ? round(((s1.senderLateDatagrams - s0.senderLateDatagrams) / (s1.senderSent - s0.senderSent)) * 100, 3) : null,
    windowTicks: s0 && s1 ? ticks : null,
    maxLateMs: s1 ? s1.maxLate : null,
    meanTickMs: s0 && s1 ? round((s1.busy - s0.busy) / ticks, 2) : null,
    engineLost: counters.lost,
    concealed: counters.concealed - counters0.concealed,
    peerLost: peerResult.lost,
    peerSent: peerResult.sent,
    peerScheduled: peerResult.scheduled,
    peerLateFrames: peerResult.lateFrames,
    peerPhaseMs: peerResult.phaseMs,
    calibrationMs,
    machineStalls,
    lateFramesPct: peerResult.arrivalsTimed > 0 ? round((peerResult.arrivalsLate / peerResult.arrivalsTimed) * 100, 3) : null,
    arrivalsLate: peerResult.arrivalsLate,
    arrivalsTimed: peerResult.arrivalsTimed,
    maxArrivalLateMs: peerResult.maxArrivalLateMs,
    transit: peerResult.transit,
    jitterDelayMs: counters.jitterDelayMs ?? null,
    received: peerResult.received,
    contentChecked: peerResult.contentChecked,
    contentErrors: peerResult.contentErrors,
    kbPerCall: Math.round((rssPeak - rss0) / calls),
    gc: s0 && s1 ? gcRates(s0, s1, wall) : null,
    settleSeconds,
  };
}

/**
 * Waits, after the warm-up, until the workers have gone SETTLE seconds
 * without a late tick or a mark-compact (a level's set-up, and the first
 * seconds of traffic on new legs, cost the workers collections and catch-up
 * ticks that say nothing about the steady load), or SETTLE_MAX seconds in
 * all. Returns the seconds waited.
 */
async function settle(stats: () => Promise<WorkerStats[]>): Promise<number> {
  const start = performance.now();
  let last = '';
  let quietSince = start;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const s = sumWorkers(await stats());
    const now = performance.now();
    const mark = `${s.late}/${s.markCompacts}`;
    if (mark !== last) {
      last = mark;
      quietSince = now;
    }
    const waited = (now - start) / 1000;
    if (waited >= WARMUP && now - quietSince >= SETTLE * 1000) return round(waited, 1);
    if (waited >= SETTLE_MAX) {
      log(`the workers did not settle in ${SETTLE_MAX} s; measuring anyway`);
      return round(waited, 1);
    }
  }
}

function gcRates(a: ReturnType<typeof sumWorkers>, b: ReturnType<typeof sumWorkers>, wall: number): NonNullable<Level['gc']> {
  const per = (x: number) => round(x / Math.max(1, b.workers) / wall, 2);
  return { scavengesPerS: per(b.scavenges - a.scavenges), markCompactsPerS: per(b.markCompacts - a.markCompacts), pauseMsPerS: per(b.gcPauseMs - a.gcPauseMs), maxPauseMs: b.maxGcPauseMs };
}

/** Hotline two-party bridges; `strict`: legs told the peer's address and connected to it (strict source) instead of latching. */
function hotline(engine: MediaEngine, record: boolean, dir: string, strict = false): Target {
  let calls: Array<{ bridge: string; a: string; b: string; rec: string | false }> = [];
  const mine = () => new Set(calls.flatMap((c) => [c.a, c.b]));
  return {
    name: `${record ? 'hotline recorded' : 'hotline relay'}${strict ? ' strict-source' : ''}`,
    pid: 'self',
    async setup(peerPorts) {
      const n = peerPorts.length / 2;
      const out: number[] = [];
      calls = [];
      for (let i = 0; i < n; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, n - i) }, async (_, k) => {
            const bridge = await engine.createBridge({ maxMembers: 2 });
            const j = 2 * (i + k);
            const remote = (port: number) => (strict ? { remote: { address: HOST, port }, strictSource: true } : {});
            const a = await engine.createLeg({ near: bridge, inbandDtmf: false, ...remote(peerPorts[j]!) });
            const b = await engine.createLeg({ near: bridge, inbandDtmf: false, ...remote(peerPorts[j + 1]!) });
            await engine.join(bridge, a.legId);
            await engine.join(bridge, b.legId);
            const rec = record && (await engine.record({ bridgeId: bridge, members: [a.legId, b.legId] }, join(dir, `call-${i + k}.wav`), 'channels'));
            return { call: { bridge, a: a.legId, b: b.legId, rec }, ports: [a.localPort, b.localPort] };
          }),
        );
        for (const x of batch) {
          calls.push(x.call);
          out.push(...x.ports);
        }
      }
      return out;
    },
    workerStats: () => engine.stats({ legs: false }),
    async legCounters() {
      const m = mine();
      const legs = (await engine.stats()).flatMap((w) => w.legs).filter((l) => m.has(l.legId));
      return { lost: legs.reduce((a, l) => a + l.lostIn, 0), concealed: legs.reduce((a, l) => a + l.concealed, 0), jitterDelayMs: legs.length ? median(legs.map((l) => l.jitterDelayMs)) : undefined };
    },
    async teardown() {
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
      calls = [];
    },
  };
}

function rtpengine(d: RtpEngineDaemon): Target {
  let ids: string[] = [];
  let round = 0;
  return {
    name: 'rtpengine relay',
    pid: d.pid!,
    async setup(peerPorts) {
      round++;
      ids = [];
      const out: number[] = new Array(peerPorts.length);
      for (let i = 0; i < peerPorts.length; i += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, peerPorts.length - i) / 2 }, async (_, k) => {
            const j = i + 2 * k;
            const id = `bench-${round}-${j / 2}`;
            ids.push(id);
            const p = await d.call(id, peerPorts[j]!, peerPorts[j + 1]!);
            out[j] = p.sendFromA;
            out[j + 1] = p.sendFromB;
          }),
        );
      }
      return out;
    },
    async teardown() {
      for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map((id) => d.delete(id)));
      ids = [];
    },
  };
}

/** bench/node-relay.ts in a child process: the floor a bare Node.js relay sets. */
async function nodeRelay(): Promise<Target & { stop(): void }> {
  const child = fork(join(import.meta.dirname, '..', 'bin', 'run-ts.js'), [join(import.meta.dirname, 'node-relay.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (c: RelayCommand) => new Promise<RelayMessage>((resolve) => {
    child.once('message', (m) => resolve(m as RelayMessage));
    child.send(c);
  });
  return {
    name: 'node bare relay',
    pid: child.pid!,
    async setup(peerPorts) {
      const m = await ask({ type: 'setup', host: HOST, peerPorts });
      if (m.type !== 'ready') throw new Error('node relay did not set up');
      // a peer socket sends to the relay socket of its own side, which forwards from the other side's socket
      return m.ports;
    },
    async teardown() {
      await ask({ type: 'teardown' });
    },
    stop: () => child.kill(),
  };
}

function round(v: number, d = 1): number {
  return Math.round(v * 10 ** d) / 10 ** d;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A level counts only if the engine kept up: under 80% CPU, nothing lost, under 0.1% late frames and late ticks, the content right, and the peer sent what it should. The ramp stops at the first level that does not. */
function keptUp(r: Level): boolean {
  // with paced sending a late tick delays no frame unless the sender sends it late too: the senders count their late frames
  const lateSends = r.senderLateDatagramsPct ?? r.lateTicksPct ?? 0;
  return r.cpuPct < 80 && r.engineLost + r.peerLost === 0 && (r.lateFramesPct ?? 0) < 0.1 && lateSends < 0.1 && r.contentErrors === 0 && r.peerSent >= r.peerScheduled * 0.99;
}

function describeLevel(r: Level): string {
  const late = (r.lateTicksPct === null ? '' : `, late ticks ${r.lateTicksPct}% (${r.lateTicks} of ${r.windowTicks}; worst since the engine started ${r.maxLateMs} ms; mean tick ${r.meanTickMs} ms)`) +
    (r.senderLateBatches === null ? '' : `, sender batches late ${r.senderLateBatches} (frames sent late ${r.senderLateDatagramsPct}%), sender drops ${r.senderDropped}, frames ahead ${r.sendAheadFrames?.join('/')}${r.sendAheadSteps ? ` (${r.sendAheadSteps} steps in the window)` : ''}`);
  const gc = r.gc ? `, GC per worker-s: ${r.gc.scavengesPerS} scavenges, ${r.gc.markCompactsPerS} mark-compacts, ${r.gc.pauseMsPerS} ms paused (longest ${r.gc.maxPauseMs} ms)` : '';
  const arrivals = (r.lateFramesPct === null ? '' : `, late frames ${r.lateFramesPct}% (${r.arrivalsLate} of ${r.arrivalsTimed} packets > 10 ms behind their stream's grid; worst ${r.maxArrivalLateMs} ms)`) +
    (r.transit ? `, transit p50 ${r.transit.p50Ms} ms p99 ${r.transit.p99Ms} ms max ${r.transit.maxMs} ms (${r.transit.returned} of ${r.transit.markers} markers${r.jitterDelayMs !== null ? `; jitter buffers ${r.jitterDelayMs} ms, median leg` : ''})` : '');
  return `${r.target} ${r.calls} calls: CPU ${r.cpuPct}% of ${CORES} cores (user ${r.userPct}, sys ${r.sysPct}; ${r.usPerStreamS} us/stream-s)${late}${arrivals}${gc}, lost ${r.engineLost}/${r.peerLost}, concealed ${r.concealed}, content errors ${r.contentErrors}/${r.contentChecked}, peer CPU ${r.peerCpuPct}% sent ${r.peerSent}/${r.peerScheduled} late ${r.peerLateFrames} phase ${r.peerPhaseMs} ms, machine calibration ${r.calibrationMs} ms${r.machineStalls ? `, machine stalls ${r.machineStalls.count} (longest ${r.machineStalls.maxMs} ms), probe loop x${r.machineStalls.slowdown.median} of its best (p90 x${r.machineStalls.slowdown.p90}; ${r.machineStalls.slowdown.nsPerStep} ns a step)` : ''}, machine busy ${r.machineBusyPct}%, ${r.kbPerCall} KiB/call, load ${r.load.join('->')}${r.settleSeconds === null ? '' : `, window from ${r.settleSeconds} s after traffic started`}`;
}

if (values['quiet-load']) {
  const limit = Number(values['quiet-load']);
  const until = Date.now() + Number(values['quiet-wait']) * 1000;
  while (loadavg()[0]! >= limit && Date.now() < until) {
    log(`waiting for a quiet machine: load ${load()} (want < ${limit})`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
}
const probe = new StallProbe();
const probeRealtime = await probe.ready;
log(probeRealtime > 0 ? `machine-stall probe: a SCHED_FIFO ${probeRealtime} thread of its own process waking every 1 ms notes gaps over ${probe.thresholdMs} ms` : 'machine-stall probe: no real-time priority (not root?), stalls not reported');
const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
log(`${cpus()[0]?.model ?? 'cpu'} x${CORES}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${WORKERS} media workers; PCMU 20 ms; in-band DTMF off; ${RECORD ? 'per-party recording' : 'no recording'}; recordings in ${dir}`);
const AFFINITY = values['cpu-affinity'] === 'none' ? 'none' : 'spread';
const SEND_AHEAD_FLAG = values['send-ahead'] === undefined ? undefined : values['send-ahead'] === 'auto' ? ('auto' as const) : Number(values['send-ahead']);
const engine = new MediaEngine({ workers: WORKERS, rtpPortMin: 40000, rtpPortMax: 47999, bindAddress: HOST, threadNice: Number(values['media-nice']), realtimePriority: Number(values['media-rt']), cpuAffinity: AFFINITY, ...(SEND_AHEAD_FLAG !== undefined ? { sendAhead: SEND_AHEAD_FLAG } : {}) });
await engine.start();
const started = await engine.stats();
const threads = started.map((w) => w.thread);
// what the engine runs with (the product's default unless --send-ahead): frames, or 'auto'
const SEND_AHEAD_MODE: number | 'auto' = started[0]?.sender?.auto ? 'auto' : (started[0]?.sender?.sendAhead ?? 0);
const SEND_AHEAD = started[0]?.sender?.sendAhead ?? 0;
if (SEND_AHEAD > 0) {
  const sd = started[0]?.sender;
  log(`paced sending: a sender thread per worker sends each tick's frames ${SEND_AHEAD_MODE === 'auto' ? `${SEND_AHEAD} frames (auto: 3 while the worker is loaded)` : `${SEND_AHEAD} frame(s)`} after its deadline, ${sd && sd.realtimePriority > 0 ? `at SCHED_FIFO ${sd.realtimePriority}` : 'at ordinary priority'}${sd?.error ? ` (${sd.error})` : ''}; the workers stay ordinary`);
}
const describeThread = (t: WorkerStats['thread']) =>
  t ? `nice ${t.nice}, real-time ${t.realtimePriority > 0 ? `SCHED_FIFO ${t.realtimePriority} for waits and sends` : 'off'}, ${t.cpu !== undefined ? `on CPU ${t.cpu}` : 'not pinned'}${t.error ? ` (${t.error})` : ''}` : 'scheduling unknown';
log(`media worker threads: ${threads.map(describeThread).join('; ')}; the peer and this process at nice ${osPriority()}`);
const ramp: Level[] = [];
const relay: { hotline: Level[]; rtpengine: Level[]; nodeFloor: Level[]; hotlineStrict: Level[] } = { hotline: [], rtpengine: [], nodeFloor: [], hotlineStrict: [] };
let daemon: RtpEngineDaemon | undefined;
try {
  for (const n of LEVELS) {
    const sub = join(dir, String(n));
    mkdirSync(sub);
    const r = await runLevel(hotline(engine, RECORD, sub), n);
    rmSync(sub, { recursive: true, force: true });
    ramp.push(r);
    log(describeLevel(r));
    if (!keptUp(r) && n >= 210) {
      log(`ramp stops at ${n} calls (load ${load()})`);
      break;
    }
  }
  if (!values['no-rtpengine'] && RELAY_ROUNDS > 0) {
    if (!existsSync(values.rtpengine)) log(`no ${values.rtpengine}: relay comparison skipped (apt-get install rtpengine-daemon)`);
    else {
      daemon = new RtpEngineDaemon({ binary: values.rtpengine, host: HOST, ngPort: 22299, portMin: 48000, portMax: 59999, threads: WORKERS });
      await daemon.start();
      log(`rtpengine pid ${daemon.pid} (userspace, --table=-1, ${WORKERS} threads); relay rounds of ${RELAY_CALLS} calls`);
      for (let i = 0; i < RELAY_ROUNDS; i++) {
        const h = await runLevel(hotline(engine, false, dir), RELAY_CALLS);
        relay.hotline.push(h);
        log(describeLevel(h));
        const e = await runLevel(rtpengine(daemon), RELAY_CALLS);
        relay.rtpengine.push(e);
        log(describeLevel(e));
        const st = await runLevel(hotline(engine, false, dir, true), RELAY_CALLS);
        relay.hotlineStrict.push(st);
        log(describeLevel(st));
        const bare = await nodeRelay();
        try {
          const f = await runLevel(bare, RELAY_CALLS);
          relay.nodeFloor.push(f);
          log(describeLevel(f));
        } finally {
          bare.stop();
        }
      }
    }
  }
} finally {
  probe.stop();
  await daemon?.stop();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}

const kept = ramp.filter(keptUp);
const at210 = ramp.find((r) => r.calls === 210);
// CPU per stream-second assumes every stream ran at its full 50 packets a second: a round where the
// peer fell behind (a saturated machine) or the relay lost or mangled packets does not count
const fullRate = (r: Level) => r.peerSent >= r.peerScheduled * 0.99 && r.contentErrors === 0 && r.engineLost + r.peerLost === 0;
const valid = relay.hotline.map((_, i) => i).filter((i) => fullRate(relay.hotline[i]!) && relay.rtpengine[i] !== undefined && fullRate(relay.rtpengine[i]!));
const hUs = valid.length ? median(valid.map((i) => relay.hotline[i]!.usPerStreamS)) : null;
const eUs = valid.length ? median(valid.map((i) => relay.rtpengine[i]!.usPerStreamS)) : null;
const floorRounds = relay.nodeFloor.filter(fullRate);
const strictRounds = relay.hotlineStrict.filter(fullRate);
console.log(
  JSON.stringify({
    bench: 'media',
    calls_under_80pct_cpu: kept.length ? Math.max(...kept.map((r) => r.calls)) : 0,
    cpu_pct_at_210: at210?.cpuPct ?? null,
    lost_packets: ramp.reduce((a, r) => a + r.engineLost + r.peerLost, 0),
    late_frames_pct: ramp.length ? Math.max(...ramp.map((r) => r.lateFramesPct ?? 0)) : null,
    late_ticks_pct: ramp.length ? Math.max(...ramp.map((r) => r.lateTicksPct ?? 0)) : null,
    kb_per_call: at210?.kbPerCall ?? ramp[0]?.kbPerCall ?? null,
    relay_cost_ratio_vs_rtpengine: hUs !== null && eUs ? round(hUs / eUs, 2) : null,
    relay_us_per_stream_s: { hotline: hUs, rtpengine: eUs, hotline_strict_source: strictRounds.length ? median(strictRounds.map((r) => r.usPerStreamS)) : null, node_bare_relay: floorRounds.length ? median(floorRounds.map((r) => r.usPerStreamS)) : null, calls: RELAY_CALLS, rounds: relay.hotline.length, valid_rounds: valid.length },
    workers: WORKERS,
    worker_threads: threads,
    send_ahead: SEND_AHEAD_MODE,
    // one-way transit through the engine, party to party, at the highest level that kept up
    transit_ms: kept.length && kept[kept.length - 1]!.transit ? { calls: kept[kept.length - 1]!.calls, p50: kept[kept.length - 1]!.transit!.p50Ms, p99: kept[kept.length - 1]!.transit!.p99Ms } : null,
    load_average: loadavg().map((l) => round(l, 2)),
    levels: ramp,
    relay,
  }),
);

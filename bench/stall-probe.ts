/**
 * bench:media's machine-stall probe: a thread of the bench process at the
 * highest real-time priority (SCHED_FIFO 99, through the engine's socket
 * addon) that does nothing but sleep 1 ms at a time and note every wake-up
 * that came more than `thresholdMs` after the one before. Nothing in the
 * guest outranks it, so a gap means the CPU ran nothing of this machine's
 * choosing for that long: on the shared Firecracker VM the benches run on,
 * kernel traces of such gaps showed no event at all on that CPU, not even
 * its timer interrupt, for 13 ms (the host not running the virtual CPU),
 * while /proc/stat's steal stayed at 0. A media tick due inside such a gap
 * is late whatever the engine does, so each level reports the gaps of its
 * window beside its late ticks.
 *
 * Every 50 wake-ups the same thread also times a fixed piece of work (a
 * register-only loop of about 0.3 ms) and keeps the time it took. Nothing in
 * the guest can preempt it, so when that loop takes longer than its best,
 * the virtual CPU itself ran slower: the host ran it less (in slices too
 * short for the gaps above) or shared its core with another guest. Steal
 * in /proc/stat reads 0 on this guest, so this is the only figure of the
 * host's share. Per window the probe reports the median and 90th
 * percentile of those times over the best seen since it started.
 *
 * It runs as a process of its own, so its CPU is not counted as the
 * engine's; per window the bench asks it for the gaps that ended inside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface StallWindow {
  /** Gaps longer than the threshold inside the window, the longest, and their total (ms). */
  count: number;
  maxMs: number;
  totalMs: number;
  /**
   * The timed loop in the window: median and 90th percentile of its time
   * over its best since the probe started (1 = full speed), how many times
   * it ran, and its median time per step in ns (comparable between runs on
   * one machine, where a busy host from the start would leave the ratio near 1).
   */
  slowdown: { median: number; p90: number; samples: number; nsPerStep: number };
}

// The probe is a process of its own, so its CPU is not counted as the engine's: its main thread
// answers the bench over IPC, a worker thread of it sleeps and notes the gaps in shared memory.
const CHILD = `
  const { Worker } = require('node:worker_threads');
  const MAX = 4096;
  const shared = new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * MAX)));
  // the timed loop's samples: [count, best, (end, ms) x SPEED_MAX] (a ring)
  const SPEED_MAX = 8192;
  const speed = new Float64Array(new SharedArrayBuffer(8 * (2 + 2 * SPEED_MAX)));
  const loopSteps = new Float64Array(new SharedArrayBuffer(8));
  const thresholdMs = Number(process.argv[1]);
  const w = new Worker(\`
    const { workerData, parentPort } = require('node:worker_threads');
    const rtpIo = require(workerData.addon);
    const { shared, speed, speedMax, loopSteps, thresholdMs, max } = workerData;
    parentPort.postMessage(rtpIo.setThreadRealtime(99) === 0 ? 99 : 0);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    // a fixed amount of work that touches no memory (an LCG in a register)
    const spin = (n) => { let x = 1; for (let i = 0; i < n; i++) x = (Math.imul(x, 1103515245) + 12345) | 0; return x; };
    let loops = 1 << 16;
    for (let k = 0; k < 20; k++) spin(loops); // JIT warm-up
    for (;;) {
      const t0 = performance.now();
      spin(loops);
      if (performance.now() - t0 >= 0.3) break;
      loops *= 2;
    }
    loopSteps[0] = loops;
    let sink = 0;
    let wakes = 0;
    let last = performance.timeOrigin + performance.now();
    for (;;) {
      Atomics.wait(sleeper, 0, 0, 1);
      let now = performance.timeOrigin + performance.now();
      const gap = now - last;
      if (++wakes % 50 === 0) {
        const t0 = performance.now();
        sink ^= spin(loops);
        const ms = performance.now() - t0;
        const n = speed[0];
        speed[2 + 2 * (n % speedMax)] = now;
        speed[3 + 2 * (n % speedMax)] = ms;
        speed[0] = n + 1;
        if (speed[1] === 0 || ms < speed[1]) speed[1] = ms;
        now = performance.timeOrigin + performance.now();
      }
      last = now;
      if (gap > thresholdMs) {
        const n = shared[0];
        if (n < max) { shared[1 + 2 * n] = now; shared[2 + 2 * n] = gap; }
        shared[0] = n + 1;
      }
    }\`, { eval: true, workerData: { shared, speed, speedMax: SPEED_MAX, loopSteps, thresholdMs, max: MAX, addon: process.argv[2] } });
  w.once('message', (p) => process.send({ type: 'ready', realtime: p }));
  process.on('message', (m) => {
    const n = Math.min(shared[0], MAX);
    const r = { type: 'window', count: 0, maxMs: 0, totalMs: 0, slowdown: { median: 0, p90: 0, samples: 0, nsPerStep: 0 } };
    for (let i = 0; i < n; i++) {
      const end = shared[1 + 2 * i], gap = shared[2 + 2 * i];
      if (end < m.fromMs || end > m.toMs) continue;
      r.count++; r.totalMs += gap; if (gap > r.maxMs) r.maxMs = gap;
    }
    const times = [];
    for (let i = 0; i < Math.min(speed[0], SPEED_MAX); i++) {
      const at = speed[2 + 2 * i];
      if (at >= m.fromMs && at <= m.toMs) times.push(speed[3 + 2 * i]);
    }
    times.sort((a, b) => a - b);
    if (times.length > 0 && speed[1] > 0) {
      const median = times[times.length >> 1];
      r.slowdown = { median: median / speed[1], p90: times[Math.floor(times.length * 0.9)] / speed[1], samples: times.length, nsPerStep: (median * 1e6) / loopSteps[0] };
    }
    process.send(r);
  });
`;

export class StallProbe {
  private readonly child: ChildProcess;
  /** The real-time priority the probe got (0: it runs as an ordinary thread and proves little). */
  readonly ready: Promise<number>;

  constructor(readonly thresholdMs = 5) {
    const addon = createRequire(import.meta.url).resolve('hotline-rtp-io');
    this.child = spawn(process.execPath, ['-e', CHILD, String(thresholdMs), addon], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', (m: { realtime: number }) => resolve(m.realtime));
      this.child.once('exit', (code) => reject(new Error(`stall probe exited (${code})`)));
    });
  }

  /** The gaps that ended between two instants (performance.timeOrigin-based ms, which both processes share to the ms). */
  between(fromMs: number, toMs: number): Promise<StallWindow> {
    return new Promise((resolve) => {
      this.child.once('message', (m: StallWindow) => {
        const x = (v: number) => Math.round(v * 100) / 100;
        resolve({ count: m.count, maxMs: Math.round(m.maxMs * 10) / 10, totalMs: Math.round(m.totalMs * 10) / 10, slowdown: { median: x(m.slowdown.median), p90: x(m.slowdown.p90), samples: m.slowdown.samples, nsPerStep: x(m.slowdown.nsPerStep) } });
      });
      this.child.send({ fromMs, toMs });
    });
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}

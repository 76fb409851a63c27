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
}

// The probe is a process of its own, so its CPU is not counted as the engine's: its main thread
// answers the bench over IPC, a worker thread of it sleeps and notes the gaps in shared memory.
const CHILD = `
  const { Worker } = require('node:worker_threads');
  const MAX = 4096;
  const shared = new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * MAX)));
  const thresholdMs = Number(process.argv[1]);
  const w = new Worker(\`
    const { workerData, parentPort } = require('node:worker_threads');
    const rtpIo = require(workerData.addon);
    const { shared, thresholdMs, max } = workerData;
    parentPort.postMessage(rtpIo.setThreadRealtime(99) === 0 ? 99 : 0);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    let last = performance.timeOrigin + performance.now();
    for (;;) {
      Atomics.wait(sleeper, 0, 0, 1);
      const now = performance.timeOrigin + performance.now();
      const gap = now - last;
      last = now;
      if (gap > thresholdMs) {
        const n = shared[0];
        if (n < max) { shared[1 + 2 * n] = now; shared[2 + 2 * n] = gap; }
        shared[0] = n + 1;
      }
    }\`, { eval: true, workerData: { shared, thresholdMs, max: MAX, addon: process.argv[2] } });
  w.once('message', (p) => process.send({ type: 'ready', realtime: p }));
  process.on('message', (m) => {
    const n = Math.min(shared[0], MAX);
    const r = { type: 'window', count: 0, maxMs: 0, totalMs: 0 };
    for (let i = 0; i < n; i++) {
      const end = shared[1 + 2 * i], gap = shared[2 + 2 * i];
      if (end < m.fromMs || end > m.toMs) continue;
      r.count++; r.totalMs += gap; if (gap > r.maxMs) r.maxMs = gap;
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
      this.child.once('message', (m: StallWindow) => resolve({ count: m.count, maxMs: Math.round(m.maxMs * 10) / 10, totalMs: Math.round(m.totalMs * 10) / 10 }));
      this.child.send({ fromMs, toMs });
    });
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}

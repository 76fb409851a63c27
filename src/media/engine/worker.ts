/**
 * A media worker thread (loaded through worker-bootstrap.js): wires the
 * WorkerRuntime to the parent port, the monotonic clock and real timers.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { EngineCommand, WorkerEvent } from './engine-protocol.ts';
import { WorkerRuntime } from './worker-runtime.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const emit = (e: WorkerEvent) => port.postMessage(e);
const runtime = new WorkerRuntime({
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  emit,
  heap: () => {
    const h = getHeapStatistics();
    return { usedKiB: Math.round(h.used_heap_size / 1024), totalKiB: Math.round(h.total_heap_size / 1024), externalKiB: Math.round(h.external_memory / 1024) };
  },
});
port.on('message', (cmd: EngineCommand) => {
  void runtime.handle(cmd).then(() => {
    if (cmd.type === 'shutdown') port.close();
  });
});
runtime.start();
emit({ type: 'ready' });

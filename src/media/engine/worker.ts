/**
 * A media worker thread (loaded through worker-bootstrap.js): wires the
 * WorkerRuntime to the parent port, the monotonic clock and real timers.
 */
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import rtpIo from 'hotline-rtp-io';
import { parentPort, resourceLimits, workerData } from 'node:worker_threads';
import { FRAME_SAMPLES, SAMPLE_RATE } from '../stage.ts';
import type { EngineCommand, WorkerEvent } from './engine-protocol.ts';
import { RtpLeg } from './rtp-leg.ts';
import { AUTO_SEND_AHEAD } from './send-ahead.ts';
import { WorkerRuntime } from './worker-runtime.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const emit = (e: WorkerEvent) => port.postMessage(e);
// the media clock's scheduling (MediaEngineOptions threadNice, realtimePriority, cpuAffinity), for this thread alone
const data = (workerData ?? {}) as { threadNice?: number; phaseMs?: number; realtimePriority?: number; spread?: { index: number; of: number }; sendAhead?: number | 'auto' };
// paced sending (MediaEngineOptions.sendAhead): a sender thread sends the frames at real-time priority, this thread stays ordinary
// ('auto': the runtime adapts the frames ahead, SendAheadPolicy)
const sendAhead: number | 'auto' = data.sendAhead === 'auto' ? 'auto' : Math.max(0, Math.floor(Number(data.sendAhead ?? 0)));
const paced = sendAhead === 'auto' || sendAhead > 0;
const requestedNice = Number(data.threadNice ?? 0);
const requestedRealtime = Number(data.realtimePriority ?? 0);
const errors: string[] = [];
const why = (what: string, r: number) => (r === -13 || r === -1 ? `${what}: ${r === -13 ? 'EACCES' : 'EPERM'} (needs root or CAP_SYS_NICE)` : `${what}: errno ${-r}`);
const niceResult = requestedNice !== 0 ? rtpIo.setThreadNice(requestedNice) : 0;
if (niceResult < 0) errors.push(why(`nice ${requestedNice}`, niceResult));
const realtimeResult = requestedRealtime > 0 && !paced ? rtpIo.setThreadRealtime(requestedRealtime) : 0;
if (realtimeResult < 0) errors.push(why(`real-time priority ${requestedRealtime}`, realtimeResult));
const realtime = requestedRealtime > 0 && !paced && realtimeResult === 0 ? requestedRealtime : 0;
// 'spread': worker i of N on the i-th CPU this process may use, when there are two to that many workers
const cpus = data.spread ? rtpIo.threadCpus() : [];
const cpu = data.spread && data.spread.of >= 2 && data.spread.of <= cpus.length ? cpus[data.spread.index] : undefined;
const cpuResult = cpu !== undefined ? rtpIo.setThreadCpu(cpu) : -1;
if (cpu !== undefined && cpuResult < 0) errors.push(why(`CPU ${cpu}`, cpuResult));
// the sender thread runs on this worker's CPU, at the real-time priority asked for
const sender = paced ? rtpIo.senderStart(requestedRealtime, cpu !== undefined && cpuResult === 0 ? cpu : -1) : undefined;
RtpLeg.useSender(sender);
// performance.now() and the sender's CLOCK_MONOTONIC tick together; this is the distance between their origins
const monotonicOffsetMs = rtpIo.monotonicMs() - performance.now();
const senderStats = () => {
  const [sent, dropped, failed, batches, lateBatches, maxLateMs, schedErrno, cpuErrno, lateDatagrams] = rtpIo.senderStats(sender!);
  const problems = [schedErrno ? `real-time priority ${requestedRealtime}: errno ${schedErrno}${schedErrno === 1 ? ' (EPERM: needs root or CAP_SYS_NICE)' : ''}` : '', cpuErrno ? `CPU: errno ${cpuErrno}` : ''].filter(Boolean);
  return {
    // with 'auto' the runtime puts in the policy's current frames
    sendAhead: sendAhead === 'auto' ? AUTO_SEND_AHEAD.min : sendAhead,
    sent,
    dropped,
    errors: failed,
    batches,
    lateBatches,
    lateDatagrams,
    maxLateMs: Math.round(maxLateMs * 10) / 10,
    realtimePriority: schedErrno ? 0 : requestedRealtime,
    ...(problems.length > 0 ? { error: problems.join('; ') } : {}),
  };
};
const thread = {
  nice: rtpIo.threadNice(),
  requestedNice,
  realtimePriority: realtime,
  // with paced sending the priority is asked for the sender thread (its stats), not for this one
  requestedRealtimePriority: paced ? 0 : requestedRealtime,
  ...(cpuResult === 0 ? { cpu } : {}),
  ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
};
// this isolate's collections (a worker observes its own heap), for the stats
const gc = { scavenges: 0, markCompacts: 0, gcPauseMs: 0, maxGcPauseMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.scavenges++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.markCompacts++;
    gc.gcPauseMs += e.duration;
    if (e.duration > gc.maxGcPauseMs) gc.maxGcPauseMs = e.duration;
  }
}).observe({ entryTypes: ['gc'] });
const runtime = new WorkerRuntime({
  // real-time while the worker waits for its frame and sends it, ordinary (at its nice value) for the rest
  ...(realtime > 0 ? { urgent: (on: boolean) => void rtpIo.setThreadRealtime(on ? realtime : 0) } : {}),
  ...(sender !== undefined ? { commitFrames: (dueMs: number) => rtpIo.senderCommit(sender, dueMs + monotonicOffsetMs), sendAhead, senderStats } : {}),
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  emit,
  thread: () => thread,
  heap: () => {
    const h = getHeapStatistics();
    return {
      usedKiB: Math.round(h.used_heap_size / 1024),
      totalKiB: Math.round(h.total_heap_size / 1024),
      externalKiB: Math.round(h.external_memory / 1024),
      scavenges: gc.scavenges,
      markCompacts: gc.markCompacts,
      gcPauseMs: Math.round(gc.gcPauseMs * 10) / 10,
      maxGcPauseMs: Math.round(gc.maxGcPauseMs * 10) / 10,
      ...(resourceLimits.maxYoungGenerationSizeMb ? { youngGenerationMb: resourceLimits.maxYoungGenerationSizeMb } : {}),
    };
  },
});
// A command wakes the worker from its real-time sleep, but it is ordinary work (opening files, binding
// sockets): it runs at the worker's nice value, and the worker is real-time again before the event loop
// sleeps (setImmediate runs after this turn's messages, before the next wait). No tick runs in between:
// ticks run on timers, in the next turn.
let commandTurn = false;
port.on('message', (cmd: EngineCommand) => {
  if (realtime > 0 && !commandTurn) {
    commandTurn = true;
    rtpIo.setThreadRealtime(0);
    setImmediate(() => {
      commandTurn = false;
      rtpIo.setThreadRealtime(realtime);
    });
  }
  void runtime.handle(cmd).then(() => {
    if (cmd.type !== 'shutdown') return;
    if (sender !== undefined) rtpIo.senderStop(sender);
    port.close();
  });
});
// frames fall due at phaseMs past every multiple of 20 ms of wall time: workers started at different
// moments (each with its own performance.now() origin) still keep their clocks staggered
const FRAME_MS = (FRAME_SAMPLES / SAMPLE_RATE) * 1000;
const phase = Number(data.phaseMs ?? 0);
const wallMs = performance.timeOrigin + performance.now();
runtime.start((((phase - wallMs) % FRAME_MS) + FRAME_MS) % FRAME_MS);
emit({ type: 'ready' });

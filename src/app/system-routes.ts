/**
 * GET /api/v1/system/stats (admin): what an operator watches on a running
 * server: uptime, the process's memory, each media worker's JavaScript heap,
 * load (legs, late frames, longest tick) and scheduling (nice value,
 * real-time priority, CPU), and the live calls. The bench
 * reads the same figures at its idle points to tell a leak from a
 * high-water mark. With `?gc=true` on a server started with Node's
 * --expose-gc, a full garbage collection runs first, so the main heap figure
 * is live memory rather than live memory plus garbage not yet collected (an
 * idle V8 may not collect for a long time).
 */
import { loadavg } from 'node:os';
import { z } from 'zod';
import { defineRoute, type RouteDef } from '../api/route-def.ts';
import { ErrorBody } from '../api/schemas.ts';
import type { WorkerStats } from '../media/engine/engine-protocol.ts';

const KiB = (n: number) => Math.round(n / 1024);

const WorkerDto = z.object({
  legs: z.number().int(),
  ticks: z.number().int(),
  lateFrames: z.number().int().describe('20 ms ticks that started more than 10 ms past their deadline (each tick sends one frame for every leg of the worker)'),
  skippedFrames: z.number().int(),
  maxTickMs: z.number(),
  heapUsedKiB: z.number().int().optional(),
  heapTotalKiB: z.number().int().optional(),
  externalKiB: z.number().int().optional(),
  scheduling: z
    .object({
      nice: z.number().int(),
      realtimePriority: z.number().int().describe('SCHED_FIFO priority the worker waits for and sends each frame at when it sends itself (0: ordinary scheduling, as with paced sending, where its sender thread has the priority)'),
      cpu: z.number().int().optional().describe('the CPU the worker runs on alone (absent: placed by the kernel)'),
      error: z.string().optional().describe('why the scheduling differs from what was asked (e.g. no CAP_SYS_NICE)'),
    })
    .optional(),
  sender: z
    .object({
      sendAhead: z.number().int().describe('frames (20 ms each) between the tick that mixed a frame and its send'),
      realtimePriority: z.number().int().describe('SCHED_FIFO priority of the sender thread (0: ordinary scheduling)'),
      sent: z.number().int(),
      dropped: z.number().int().describe('datagrams not sent: send buffer full, or refused by the far end'),
      errors: z.number().int(),
      lateBatches: z.number().int().describe('ticks with a frame that went out more than 10 ms after its due time'),
      lateDatagrams: z.number().int().describe('frames (datagrams) that went out more than 10 ms after their due time'),
      maxLateMs: z.number().describe('the latest frame so far, ms after its due time'),
      error: z.string().optional().describe('why the sender thread runs without the real-time priority or CPU asked for'),
      auto: z
        .object({
          frames: z.number().int().describe('frames ahead now (as sendAhead)'),
          meanTickMs: z.number().describe("the worker's mean tick, about the last second"),
          raised: z.number().int().describe('steps up so far (a loaded worker or a near miss)'),
          lowered: z.number().int().describe('steps down so far (a quiet minute)'),
          nearMisses: z.number().int().describe('ticks that committed their frames less than 10 ms before their send'),
        })
        .optional()
        .describe('--media-send-ahead auto: the adaptive policy'),
    })
    .optional()
    .describe('paced sending: the sender thread of this worker (--media-send-ahead auto or above 0)'),
});
const StatsDto = z
  .object({
    uptimeS: z.number(),
    loadAverage: z.array(z.number()).describe('1, 5 and 15 minutes'),
    memory: z.object({ rssKiB: z.number().int(), heapUsedKiB: z.number().int(), heapTotalKiB: z.number().int(), externalKiB: z.number().int(), arrayBuffersKiB: z.number().int() }).describe('the whole process (rss) and the main thread'),
    media: z.array(WorkerDto).describe('one entry per media worker thread'),
    calls: z.object({ live: z.number().int() }),
    gcRun: z.boolean().describe('a full collection ran before the main heap was read (asked with gc=true, and the server runs with --expose-gc)'),
  })
  .meta({ id: 'SystemStats' });
const StatsQuery = z.object({
  gc: z.enum(['true', 'false']).optional().describe('run a full garbage collection first (needs the server started with node --expose-gc)'),
});

/** Node's global gc() when the process runs with --expose-gc. */
function exposedGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: unknown }).gc;
  return typeof g === 'function' ? (g as () => void) : undefined;
}

export interface SystemStatsSources {
  media(): Promise<WorkerStats[]>;
  liveCalls(): number;
}

export function systemRoutes(src: SystemStatsSources): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/system/stats',
      summary: 'Uptime, memory of the process and of each media worker, media load and live calls',
      tag: 'system',
      role: 'admin',
      query: StatsQuery,
      responses: { 200: { description: 'the figures now', schema: StatsDto }, 401: { description: 'no valid token', schema: ErrorBody }, 403: { description: 'requires role admin', schema: ErrorBody } },
      async handler({ query }) {
        const gc = query?.gc === 'true' ? exposedGc() : undefined;
        gc?.();
        const m = process.memoryUsage();
        const workers = await src.media();
        return {
          status: 200,
          body: {
            uptimeS: Math.round(process.uptime()),
            loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
            memory: { rssKiB: KiB(m.rss), heapUsedKiB: KiB(m.heapUsed), heapTotalKiB: KiB(m.heapTotal), externalKiB: KiB(m.external), arrayBuffersKiB: KiB(m.arrayBuffers) },
            media: workers.map((w) => ({
              legs: w.legCount,
              ticks: w.ticks,
              lateFrames: w.lateFrames,
              skippedFrames: w.skippedFrames,
              maxTickMs: w.maxTickMs,
              ...(w.heap ? { heapUsedKiB: w.heap.usedKiB, heapTotalKiB: w.heap.totalKiB, externalKiB: w.heap.externalKiB } : {}),
              ...(w.thread
                ? { scheduling: { nice: w.thread.nice, realtimePriority: w.thread.realtimePriority, ...(w.thread.cpu !== undefined ? { cpu: w.thread.cpu } : {}), ...(w.thread.error ? { error: w.thread.error } : {}) } }
                : {}),
              ...(w.sender ? { sender: w.sender } : {}),
            })),
            calls: { live: src.liveCalls() },
            gcRun: gc !== undefined,
          },
        };
      },
    }),
  ];
}

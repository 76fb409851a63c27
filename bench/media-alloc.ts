/**
 * Allocation per media frame (issue 3), independent of machine load:
 * node bin/run-ts.js bench/media-alloc.ts --calls 150 --ticks 1000 [--no-record]
 *
 * Builds one WorkerRuntime (what one media worker runs) in this thread with
 * `--calls` two-party bridged PCMU calls, each recorded one channel per
 * party as bench/media.ts does, and drives its 20 ms tick by hand, as fast
 * as it goes: a peer in a worker thread (a V8 isolate of its own, so its
 * garbage is not counted) sends one packet to every leg, this thread waits
 * a few ms for them to arrive, then runs one tick. The byte counts are of
 * this isolate's JavaScript heap (`used_heap_size`) and of its external
 * memory (ArrayBuffer backing stores, `external_memory`), read before and
 * after each phase; a phase during which a GC ran (a figure went down) is
 * left out of the averages. The wait (the event loop while the packets
 * arrive; since the legs' sockets moved to hotline-rtp-io no socket is
 * watched, so nothing of the engine's runs in it) and the tick (socket
 * reads, parsing, jitter buffer, playout, decode, bridge, recorder, encode
 * and send) are reported apart, per leg-frame (one leg, one 20 ms frame).
 * Scavenges and mark-compacts of this isolate are counted over the run (a
 * real worker does the same work every 20 ms, so 500 ticks are 10 s of it).
 * The last stdout line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { handDrivenRuntime } from '../test/support/worker-runtime-driver.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '150' },
    ticks: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '100' },
    'no-record': { type: 'boolean', default: false },
  },
});
const CALLS = Number(values.calls);
const TICKS = Number(values.ticks);
const WARMUP = Number(values.warmup);
const RECORD = !values['no-record'];
const HOST = '127.0.0.1';
const log = (s: string) => process.stderr.write(`bench:media-alloc: ${s}\n`);

/** The peer: one socket per leg, one PCMU packet (a 1 kHz-ish pattern) to each per 'tick'. */
const PEER = `
const { parentPort } = require('node:worker_threads');
const dgram = require('node:dgram');
let socks = [], bufs = [], targets = [], host = '';
// RTP's random first sequence number and timestamp (RFC 3550 5.1), one per stream: timestamps past
// 2^30 are doubles, not small integers, in V8, and that decides what some code allocates
let seq = 0, ts = 0, ts0 = [], seq0 = [];
parentPort.on('message', async (m) => {
  if (m.type === 'open') {
    host = m.host; targets = m.ports;
    for (let i = 0; i < targets.length; i++) {
      const s = dgram.createSocket('udp4');
      await new Promise((r) => s.bind(0, host, r));
      s.on('message', () => {});
      socks.push(s);
      const b = Buffer.alloc(172);
      b[0] = 0x80; b[1] = 0;
      b.writeUInt32BE(0x1000 + i, 8);
      ts0.push((Math.random() * 0x100000000) >>> 0);
      seq0.push((Math.random() * 0x10000) | 0);
      for (let k = 0; k < 160; k++) b[12 + k] = [0x9e, 0x8f, 0x9e, 0xff, 0x1e, 0x0f, 0x1e, 0xff][k % 8];
      bufs.push(b);
    }
    parentPort.postMessage({ type: 'opened' });
  } else if (m.type === 'tick') {
    seq = (seq + 1) & 0xffff; ts = (ts + 160) >>> 0;
    for (let i = 0; i < socks.length; i++) {
      const b = Buffer.from(bufs[i]);
      b.writeUInt16BE((seq0[i] + seq) & 0xffff, 2); b.writeUInt32BE((ts0[i] + ts) >>> 0, 4);
      socks[i].send(b, targets[i], host);
    }
    parentPort.postMessage({ type: 'sent' });
  } else if (m.type === 'close') {
    for (const s of socks) s.close();
    parentPort.close();
  }
});
`;

const { runtime, run } = handDrivenRuntime();
const dir = mkdtempSync(join(tmpdir(), 'bench-media-alloc-'));
const ports: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const bridgeId = `b${i}`;
  await run({ type: 'create-bridge', bridgeId, maxMembers: 2 });
  const pair: string[] = [];
  for (const side of ['a', 'b']) {
    const legId = `${side}${i}`;
    ports.push((await run({ type: 'create-leg', leg: { legId, bindAddress: HOST, localPort: 0, codec: 'PCMU', payloadType: 0, inbandDtmf: false, inactivityMs: 0, symmetricRtp: true } }))!);
    await run({ type: 'join', bridgeId, legId, role: 'full' });
    pair.push(legId);
  }
  if (RECORD) await run({ type: 'record', recorderId: `r${i}`, target: { bridgeId, members: pair }, path: join(dir, `call-${i}.wav`), mode: 'channels' });
}

const peer = new Worker(PEER, { eval: true });
const inbox: Array<{ type: string }> = [];
let wake: (() => void) | undefined;
peer.on('message', (m: { type: string }) => {
  inbox.push(m);
  wake?.();
});
const next = async (type: string) => {
  for (;;) {
    const i = inbox.findIndex((m) => m.type === type);
    if (i >= 0) return inbox.splice(i, 1)[0];
    await new Promise<void>((r) => (wake = r));
  }
};
peer.postMessage({ type: 'open', host: HOST, ports });
await next('opened');

const gcs = { scavenges: 0, markCompacts: 0, pauseMs: 0, maxPauseMs: 0 };
let counting = false;
const obs = new PerformanceObserver((list) => {
  if (!counting) return;
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.scavenges++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.markCompacts++;
    gcs.pauseMs += e.duration;
    if (e.duration > gcs.maxPauseMs) gcs.maxPauseMs = e.duration;
  }
});
obs.observe({ entryTypes: ['gc'] });

/** Heap and external bytes a phase allocated, summed over the phases without a GC. */
class Phase {
  heap = 0;
  external = 0;
  samples = 0;
  private h0 = 0;
  private x0 = 0;
  /** Growth per V8 heap space (new, old, code, large objects ...), to tell where a phase's bytes land. */
  readonly spaces = new Map<string, number>();
  private s0: ReturnType<typeof getHeapSpaceStatistics> = [];
  begin(): void {
    this.s0 = getHeapSpaceStatistics();
    const s = getHeapStatistics();
    this.h0 = s.used_heap_size;
    this.x0 = s.external_memory;
  }
  end(): void {
    const s = getHeapStatistics();
    const dh = s.used_heap_size - this.h0;
    const dx = s.external_memory - this.x0;
    if (dh < 0 || dx < 0) return; // a GC ran inside: not a clean sample
    const s1 = getHeapSpaceStatistics();
    for (const [i, sp] of s1.entries()) {
      const d = sp.space_used_size - (this.s0[i]?.space_used_size ?? 0);
      if (d !== 0) this.spaces.set(sp.space_name, (this.spaces.get(sp.space_name) ?? 0) + d);
    }
    this.heap += dh;
    this.external += dx;
    this.samples++;
  }
  perLegFrame(): { heapBytes: number; externalBytes: number; samples: number } {
    const n = Math.max(1, this.samples) * CALLS * 2;
    return { heapBytes: Math.round(this.heap / n), externalBytes: Math.round(this.external / n), samples: this.samples };
  }
}
const rx = new Phase();
const tx = new Phase();
const settle = () => new Promise<void>((r) => setTimeout(r, 2));
const t0 = performance.now();
for (let t = 0; t < WARMUP + TICKS; t++) {
  const measuring = t >= WARMUP;
  if (t === WARMUP) counting = true;
  peer.postMessage({ type: 'tick' });
  await next('sent');
  if (measuring) rx.begin();
  await settle();
  await settle();
  if (measuring) rx.end();
  if (measuring) tx.begin();
  runtime.tick();
  if (measuring) tx.end();
}
const wall = performance.now() - t0;
await settle();
counting = false;
const legs = runtime.stats().legs;
const expected = (WARMUP + TICKS) * legs.length;
const received = legs.reduce((a, l) => a + l.packetsIn, 0);
const sent = legs.reduce((a, l) => a + l.packetsOut, 0);
obs.disconnect();
peer.postMessage({ type: 'close' });
await runtime.stop();
rmSync(dir, { recursive: true, force: true });

const r = rx.perLegFrame();
const k = tx.perLegFrame();
const per1000 = (n: number) => Math.round((n / TICKS) * 1000 * 10) / 10;
const result = {
  bench: 'media-alloc',
  node: process.version,
  calls: CALLS,
  legs: CALLS * 2,
  record: RECORD,
  ticks: TICKS,
  receivedPct: Math.round((received / expected) * 1000) / 10,
  sentPct: Math.round((sent / expected) * 1000) / 10,
  receive: r,
  tick: k,
  totalBytesPerLegFrame: r.heapBytes + r.externalBytes + k.heapBytes + k.externalBytes,
  scavengesPer1000Ticks: per1000(gcs.scavenges),
  markCompactsPer1000Ticks: per1000(gcs.markCompacts),
  gcPauseMsPer1000Ticks: per1000(gcs.pauseMs),
  maxGcPauseMs: Math.round(gcs.maxPauseMs * 10) / 10,
  wallSeconds: Math.round(wall / 100) / 10,
};
log(`${CALLS} calls (${CALLS * 2} legs), ${RECORD ? 'recorded' : 'not recorded'}, ${TICKS} ticks: receive ${r.heapBytes} B heap + ${r.externalBytes} B external, tick ${k.heapBytes} B heap + ${k.externalBytes} B external per leg-frame; ${result.scavengesPer1000Ticks} scavenges and ${result.markCompactsPer1000Ticks} mark-compacts per 1000 ticks (max pause ${result.maxGcPauseMs} ms); packets in ${result.receivedPct}%`);
console.log(JSON.stringify(result));
for (const [name, ph] of [['receive', rx], ['tick', tx]] as const) log(`${name} by space: ${[...ph.spaces].map(([k, v]) => `${k} ${Math.round(v / Math.max(1, ph.samples) / (CALLS * 2))}`).join(', ')}`);

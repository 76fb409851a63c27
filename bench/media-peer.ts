/**
 * The bench's RTP peer (bench/media.ts forks it): the phones of every call,
 * as cheap as it can be, because it shares the two cores with the engine it
 * loads. Each party sends 20 ms PCMU frames of its tone (the first of each
 * pair 400 Hz, the second 1000 Hz) to the port it is told, on a paced
 * monotonic clock; what comes back is read once per frame and checked:
 * sequence gaps (lost packets) and, on every 25th packet after the warm-up,
 * that the other party's tone is what this party hears. Inside the window
 * each received packet's arrival (the kernel's receive time) is also timed
 * against its stream's own 20 ms grid, as a phone would see it: the offset
 * of packet k is arrival - 20 ms x k (k from its RTP sequence number), and a
 * packet counts as arriving late when its offset is more than 10 ms above
 * the smallest offset of its stream's last 50 packets (one second, itself
 * included: the reference a phone's adaptive jitter buffer can have). A
 * stream sent at a steady point of every tick (its leg's place in the
 * worker's loop) is never late; a tick that starts late, runs long or is cut
 * by a collection makes late packets, wherever in the tick the leg is; a
 * lasting shift (frames the engine skipped after a long stall) counts for
 * one second, not for the rest of the window. It is the same for Hotline's legs
 * and for rtpengine's relay ports. The arrival is the peer's clock read right
 * after each recvmmsg minus the datagram's age, which the addon counts from
 * its own clock read at the end of that call. (Until 2026-12-07 the peer read
 * its clock once per socket before the reads: a peer preempted there, which
 * the media workers' higher priority makes common, dated a whole batch early
 * and so set too early a reference for its streams for a second, and their
 * on-time packets then counted as late.)
 *
 * Once a second each party sends a marker frame (one constant PCMU code)
 * in place of its tone, at a frame of its own so that markers spread over
 * the second; the other party times the marker from its send to its
 * arrival: the one-way transit through the engine (its receive, jitter
 * buffer, tick and send) or through a relay. Markers skip the content
 * check, and so do frames with a marker's DC level in them (concealment
 * can repeat a marker or fade it into the next frame).
 *
 * Parties share sockets, `GROUP` to a socket (through hotline-rtp-io, the
 * engine's own socket addon): a frame of a group goes out in one sendmmsg
 * and comes back in a few recvmmsg, and a received datagram is told apart
 * by its source port (every leg or relay port sends from its own). With one
 * node:dgram socket per party the peer took more CPU than the engine it
 * was loading (35% of the machine at 600 calls). A group's socket holds
 * about 512 datagrams (its buffer is capped by net.core.rmem_max), and
 * a group sends 64 per frame, so a peer stalled for a few frames loses
 * nothing.
 *
 * Protocol over IPC: `bind` -> `bound` (ports); `run` -> `steady` after the
 * warm-up (or, with `begin: 'on-command'`, on `begin-window`), `window-end`
 * when the measured window closes (sending stops), then `done` with the
 * counts.
 */
import { performance } from 'node:perf_hooks';
import rtpIo from 'hotline-rtp-io';
import { g711Decode, g711Encode } from '../src/media/codec/g711.ts';
import { FramePacer } from '../src/media/engine/frame-pacer.ts';
import { toneDbfs } from '../test/audio/analysis.ts';

export type PeerCommand =
  | { type: 'bind'; host: string; sockets: number }
  /**
   * Start sending. The window opens after `warmupSeconds`, or, when
   * `begin` is 'on-command', when a 'begin-window' arrives (the bench waits
   * for the engine to settle).
   */
  | { type: 'run'; host: string; targets: number[]; warmupSeconds: number; seconds: number; begin?: 'after-warmup' | 'on-command';
      /** Send each frame this many ms past a multiple of 20 ms of wall time, where the media workers keep their ticks (absent: wherever the run starts). */
      phaseMs?: number;
    }
  | { type: 'begin-window' };

export interface PeerResult {
  sent: number;
  /** Packets the schedule called for in the run (sent falls short when the machine is saturated). */
  scheduled: number;
  received: number;
  lost: number;
  contentChecked: number;
  contentErrors: number;
  /** Frames the peer itself sent more than 10 ms late (a saturated machine, not the engine). */
  lateFrames: number;
  /** Packets timed in the window, and those that arrived more than 10 ms behind their stream's grid. */
  arrivalsTimed: number;
  arrivalsLate: number;
  /** Where in every 20 ms of wall time the peer sent its frames (ms past a multiple of 20). */
  phaseMs: number;
  /** The largest lateness of a packet against its stream's grid (ms). */
  maxArrivalLateMs: number;
  /**
   * Transit through the engine (or relay): from the send of a marker frame
   * by one party to its arrival at the other, over the window's markers
   * (one per party a second). Null when no marker came back.
   */
  transit: { markers: number; returned: number; p50Ms: number; p99Ms: number; maxMs: number } | null;
}

export type PeerMessage = { type: 'bound'; ports: number[] } | { type: 'steady' } | { type: 'window-end' } | { type: 'done'; result: PeerResult };

const FREQ = [400, 1000];
/** Parties per socket (one sendmmsg per group and frame). */
const GROUP = 64;
const SLOT = 256;
const SLAB = new Uint8Array(GROUP * SLOT);
const META = new Float64Array(GROUP * 4);

/**
 * The transit marker: a frame of one constant PCMU code (+8,316 in linear,
 * a DC level neither tone nor silence has) that a two-party
 * bridge passes through unchanged (decoding and re-encoding PCMU is exact)
 * as a relay does. Each party sends one a second in place of its tone.
 */
const MARK_CODE = 0x9f;
/** The marker's linear level. */
const MARK_DC = 8316;
const MARK = new Uint8Array(160).fill(MARK_CODE);
/** Frames between a party's markers. */
const MARK_EVERY = 50;

/** A received payload is a marker when every fourth octet (40 of 160) is the marker's code. */
function isMark(b: Uint8Array, off: number): boolean {
  for (let i = 1; i < 160; i += 4) if (b[off + i] !== MARK_CODE) return false;
  return true;
}

function frame(freq: number): Uint8Array {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000)));
  return g711Encode('PCMU', pcm);
}

interface Party {
  to: number;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Uint8Array;
  hear: number;
  own: number;
  first: number | undefined;
  maxExt: number;
  received: number;
  /** Arrival offsets (ms) of the packets received in the window, and how many. */
  offsets: Float64Array;
  timed: number;
  /** When this party last sent a marker frame (peer clock, ms), NaN when none is on its way. */
  markAt: number;
}

const parties: Party[] = [];
/** One socket per GROUP parties. */
const sockets: number[] = [];
/** The party each target port sends back to it (-1: none). */
const byPort = new Int32Array(65536).fill(-1);
let contentChecked = 0;
let contentErrors = 0;
/** Transit times (ms) of the markers that came back in the window, and how many markers were sent in it. */
let transits = new Float64Array(0);
let transitCount = 0;
let marksSent = 0;
let strays = 0;
/** Content is checked from the end of the warm-up to the end of the window: before, legs set up early still send what they heard before this peer started (silence); after, what they conceal once it stopped. */
let checking = false;
const pcm = new Int16Array(160);
const NO_OFFSETS = new Float64Array(0);
/** Packets of a stream whose best arrival offset is the reference for the next one's lateness (one second). */
const ARRIVAL_WINDOW = 50;
const send = (m: PeerMessage) => process.send!(m);

function bind(host: string, n: number): number[] {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const side = i % 2;
    if (i % GROUP === 0) sockets.push(rtpIo.open(host, 0, 1 << 20, 1 << 20));
    // random first sequence number and timestamp, as RFC 3550 5.1 has every sender pick them
    parties.push({ to: 0, seq: (Math.random() * 0x10000) | 0, ts: (Math.random() * 0x100000000) >>> 0, ssrc: i + 1, payload: frame(FREQ[side]!), hear: FREQ[1 - side]!, own: FREQ[side]!, first: undefined, maxExt: 0, received: 0, offsets: NO_OFFSETS, timed: 0, markAt: Number.NaN });
    ports.push(rtpIo.localPort(sockets[sockets.length - 1]!));
  }
  return ports;
}

/** Everything that came back to one socket since the last call. */
function drain(fd: number): void {
  for (;;) {
    const n = rtpIo.recv(fd, SLAB, META, GROUP);
    // ages are counted from the clock read that ends the recv call: read ours right after it
    const now = performance.now();
    for (let i = 0; i < n; i++) {
      const off = i * SLOT;
      const len = META[i * 4]!;
      const who = byPort[META[i * 4 + 2]!]!;
      if (len < 12 || who < 0) {
        strays++;
        continue;
      }
      const p = parties[who]!;
      const seq = (SLAB[off + 2]! << 8) | SLAB[off + 3]!;
      let ext = seq;
      if (p.first === undefined) {
        p.first = seq;
        p.maxExt = seq;
      } else {
        ext = (p.maxExt & ~0xffff) | seq;
        if (ext < p.maxExt - 0x8000) ext += 0x10000;
        else if (ext > p.maxExt + 0x8000) ext -= 0x10000;
        if (ext > p.maxExt) p.maxExt = ext;
      }
      p.received++;
      const arrival = now - META[i * 4 + 3]!;
      if (checking && p.timed < p.offsets.length) p.offsets[p.timed++] = arrival - (ext - p.first) * 20;
      if (isMark(SLAB, off + 12)) {
        // the other party's marker: its transit, when it was sent inside the window
        const from = parties[who ^ 1]!;
        if (checking && !Number.isNaN(from.markAt) && transitCount < transits.length) transits[transitCount++] = arrival - from.markAt;
        from.markAt = Number.NaN;
        continue; // not a frame of tone: no content check
      }
      if (checking && p.received % 25 === 0) {
        g711Decode('PCMU', SLAB.subarray(off + 12, off + 172), pcm);
        // a marker the engine altered (concealment repeating it, or fading into the frame after a
        // concealed one) is not exact any more; its DC level tells it from any tone, which has none
        let sum = 0;
        for (let k = 0; k < 160; k++) sum += pcm[k]!;
        if (Math.abs(sum / 160) > MARK_DC / 4) continue;
        contentChecked++;
        if (!(toneDbfs(pcm, p.hear) > -30 && toneDbfs(pcm, p.own) < -45)) contentErrors++;
      }
    }
    if (n < GROUP) return;
  }
}

let beginRequested = false;

async function run(host: string, targets: number[], warmupSeconds: number, seconds: number, onCommand: boolean, phaseMs?: number): Promise<PeerResult> {
  parties.forEach((p, i) => {
    p.to = targets[i]!;
    byPort[p.to] = i;
    p.offsets = new Float64Array(Math.ceil(seconds * 50) + 100);
  });
  transits = new Float64Array(parties.length * (Math.ceil(seconds) + 2));
  const hostAddr = host.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const OUT = new Uint8Array(GROUP * SLOT);
  const OUT_META = new Float64Array(GROUP * 4);
  const pacer = new FramePacer();
  let sent = 0;
  let t0 = performance.now();
  if (phaseMs !== undefined) t0 += (((phaseMs - (performance.timeOrigin + t0)) % 20) + 20) % 20;
  const phase = Math.round(((performance.timeOrigin + t0) % 20) * 10) / 10;
  const steadyAt = onCommand ? Number.POSITIVE_INFINITY : t0 + warmupSeconds * 1000;
  let end = Number.POSITIVE_INFINITY;
  let steady = false;
  pacer.start(t0);
  let frameNo = 0;
  const sendGroup = (g: number) => {
    const first = g * GROUP;
    const count = Math.min(GROUP, parties.length - first);
    // markers are spread over the second, a party's at its own frame of every 50
    const sentAt = performance.now();
    for (let k = 0; k < count; k++) {
      const p = parties[first + k]!;
      const mark = (frameNo + first + k) % MARK_EVERY === 0;
      const off = k * SLOT;
      OUT[off] = 0x80;
      OUT[off + 1] = 0;
      OUT[off + 2] = p.seq >>> 8;
      OUT[off + 3] = p.seq & 0xff;
      writeU32(OUT, off + 4, p.ts >>> 0);
      writeU32(OUT, off + 8, p.ssrc);
      OUT.set(mark ? MARK : p.payload, off + 12);
      if (mark) {
        p.markAt = checking ? sentAt : Number.NaN;
        if (checking) marksSent++;
      }
      OUT_META[k * 4] = 172;
      OUT_META[k * 4 + 1] = hostAddr;
      OUT_META[k * 4 + 2] = p.to;
      p.seq = (p.seq + 1) & 0xffff;
      p.ts += 160;
    }
    const n = rtpIo.sendMany(sockets[g]!, OUT, OUT_META, count, SLOT);
    if (n > 0) sent += n;
  };
  await new Promise<void>((done) => {
    const wake = () => {
      const w = pacer.wake(performance.now());
      for (let f = 0; f < w.frames; f++) {
        for (let g = 0; g < sockets.length; g++) sendGroup(g);
        frameNo++;
      }
      for (const fd of sockets) drain(fd);
      const now = performance.now();
      if (!steady && (now >= steadyAt || beginRequested)) {
        steady = true;
        end = now + seconds * 1000;
        checking = true;
        send({ type: 'steady' });
      }
      if (now >= end) {
        checking = false; // what comes back after this peer stopped is concealment, then silence
        send({ type: 'window-end' });
        return done();
      }
      setTimeout(wake, Math.max(0, pacer.nextDueMs - performance.now()));
    };
    wake();
  });
  await new Promise((r) => setTimeout(r, 300)); // what the engine still sends in flight
  for (const fd of sockets) drain(fd);
  let received = 0;
  let lost = 0;
  for (const p of parties) {
    received += p.received;
    // the engine keeps sending until its legs are destroyed: count gaps only
    if (p.first !== undefined) lost += Math.max(0, p.maxExt - p.first + 1 - p.received);
  }
  // arrivals against each stream's own grid: late when more than 10 ms above the best offset of its last second
  let arrivalsTimed = 0;
  let arrivalsLate = 0;
  let maxArrivalLateMs = 0;
  for (const p of parties) {
    for (let k = 0; k < p.timed; k++) {
      let best = p.offsets[k]!;
      for (let j = Math.max(0, k - ARRIVAL_WINDOW + 1); j < k; j++) if (p.offsets[j]! < best) best = p.offsets[j]!;
      const late = p.offsets[k]! - best;
      if (late > 10) arrivalsLate++;
      if (late > maxArrivalLateMs) maxArrivalLateMs = late;
    }
    arrivalsTimed += p.timed;
  }
  let transit: PeerResult['transit'] = null;
  if (transitCount > 0) {
    const t = transits.subarray(0, transitCount).sort();
    const at = (q: number) => Math.round(t[Math.min(t.length - 1, Math.floor(q * t.length))]! * 10) / 10;
    transit = { markers: marksSent, returned: transitCount, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(t[t.length - 1]! * 10) / 10 };
  }
  for (const fd of sockets) rtpIo.close(fd);
  if (strays > 0) process.stderr.write(`media-peer: ${strays} datagrams from unknown ports or not RTP\n`);
  const scheduled = parties.length * Math.floor((end - t0) / 20);
  return { sent, scheduled, received, lost, contentChecked, contentErrors, lateFrames: pacer.toJSON().lateFrames, arrivalsTimed, arrivalsLate, maxArrivalLateMs: Math.round(maxArrivalLateMs * 10) / 10, phaseMs: phase, transit };
}

function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

process.on('message', (m: PeerCommand) => {
  if (m.type === 'bind') send({ type: 'bound', ports: bind(m.host, m.sockets) });
  else if (m.type === 'begin-window') beginRequested = true;
  else
    void run(m.host, m.targets, m.warmupSeconds, m.seconds, m.begin === 'on-command', m.phaseMs).then((result) => {
      send({ type: 'done', result });
      process.disconnect();
    });
});

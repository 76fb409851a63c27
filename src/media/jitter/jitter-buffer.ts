import { FRAME_SAMPLES, type MediaStage, SAMPLE_RATE } from '../stage.ts';
import { NumberMap } from './number-map.ts';

/**
 * Adaptive jitter buffer driven only by RTP sequence numbers and timestamps
 * plus the arrival time the caller stamps on each packet (from its injected
 * clock). It keeps no clock and no timer: the media clock calls `tick` every
 * frame and gets one playout decision back.
 *
 * - reorder: packets are kept by extended timestamp and played in order;
 * - duplicate: a sequence number already held or already played is dropped;
 * - late: a packet whose timestamp is before the playout point is dropped;
 * - adapt: interarrival jitter J is estimated as in RFC 3550 A.8
 *   (J += (|D| - J) / 16); the target delay is frame + 3 J, clamped to
 *   [minDelayMs, maxDelayMs], and the buffer grows (one concealed frame
 *   without advancing) or shrinks (one frame skipped) toward it: at once
 *   when it holds over two frames more than the target (a burst), and
 *   one frame a `settleTicks` window when it held at least a whole frame over
 *   the target throughout that window (`settled`). Without the second rule
 *   a phone's one hiccup left the buffer up to two frames deeper for the
 *   rest of the call: after a baresip phone's 74 ms send gap the call's
 *   one-way delay through Hotline stayed about 40 ms higher (bench:transit).
 */
export interface JitterBufferOptions {
  sampleRate: number;
  frameSamples: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** A jump bigger than this (in frames) is a new stream: reset. */
  resyncFrames: number;
  /** Ticks over which the buffer's lowest level is watched; at least a whole frame over the target throughout, it sheds a frame. */
  settleTicks: number;
  /**
   * Copy each payload into storage of the buffer's own (reused entry by
   * entry) instead of keeping the caller's view: for callers that read
   * datagrams into one shared slab. A copied payload handed out by `tick`
   * is valid until the next `push`.
   */
  copyPayloads: boolean;
}

export interface JitterPacket {
  sequenceNumber: number;
  timestamp: number;
  payload: Uint8Array;
  /** Arrival time in ms from the caller's clock. */
  arrivalMs: number;
}

export type JitterInput = { type: 'packet'; packet: JitterPacket } | { type: 'tick' };
export type JitterOutput =
  | { type: 'frame'; payload: Uint8Array; timestamp: number }
  | { type: 'conceal'; timestamp: number }
  | { type: 'waiting' };

const DEFAULTS: JitterBufferOptions = { sampleRate: SAMPLE_RATE, frameSamples: FRAME_SAMPLES, minDelayMs: 20, maxDelayMs: 200, resyncFrames: 250, settleTicks: 50, copyPayloads: false };

const RECENT_SEQS = 512;

interface Held {
  /** Extended timestamp (from the stream's first); the packet's own is this plus `tsOrigin`, mod 2^32. */
  ext: number;
  seq: number;
  payload: Uint8Array;
  /** copyPayloads: the entry's own storage, and the view of it last handed out. */
  store: Uint8Array;
  view: Uint8Array;
}

const NO_PAYLOAD: Uint8Array = new Uint8Array(0);
/** copyPayloads: octets of an entry's own storage (a 20 ms G.711 payload is 160; up to 40 ms fits). */
const PAYLOAD_STORE = 320;
/** copyPayloads: entries made beyond what the longest delay holds. */
const PREALLOCATED_SLACK = 6;

/** `payload` copied into the entry's own storage; the view is reused while the length stays the same. */
function copyInto(h: Held, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  if (h.store.length < n) {
    h.store = new Uint8Array(Math.max(n, PAYLOAD_STORE));
    h.view = NO_PAYLOAD;
  }
  h.store.set(payload);
  if (h.view.length !== n) h.view = h.store.subarray(0, n);
  return h.view;
}

export class JitterBuffer implements MediaStage<JitterInput, JitterOutput[]> {
  private readonly o: JitterBufferOptions;
  private readonly held = new NumberMap<Held>();
  private playing = false;
  private playTs = 0;
  private lastTsRaw = 0;
  /**
   * The stream's first timestamp: extended timestamps count from it, so
   * they stay small integers (V8 Smis) for 37 hours at 8 kHz instead of
   * doubles near 2^32 (RTP timestamps start at a random 32-bit value): a
   * double passed to a call V8 did not inline is a new heap object, about
   * 19 bytes of garbage per packet here.
   */
  private tsOrigin = 0;
  private lastExtTs = 0;
  private highestExtTs = -Infinity;
  private hasPackets = false;
  private recentSeqs = new SeqSet(RECENT_SEQS * 2);
  private recentOrder = new Uint16Array(RECENT_SEQS);
  private recentCount = 0;
  /** The last packet's transit (only when `haveTransit`): a number field, never undefined, so V8 keeps it a double in place instead of boxing every new value. */
  private transitPrev = 0;
  private haveTransit = false;
  private jitterSamples = 0;
  /** The lowest level (ms) of the current settle window, and its ticks so far. */
  private lowWaterMs = Infinity;
  private windowTicks = 0;
  private counts = { received: 0, played: 0, concealed: 0, duplicates: 0, late: 0, reordered: 0, grown: 0, shrunk: 0, settled: 0, resets: 0 };
  /** Held entries no longer in use, reused by push (no object per packet at steady state). */
  private readonly spare: Held[] = [];
  /** tick()'s answers, reused (valid until the next tick). */
  private readonly outFrame: { type: 'frame'; payload: Uint8Array; timestamp: number } = { type: 'frame', payload: NO_PAYLOAD, timestamp: 0 };
  private readonly outConceal = { type: 'conceal' as const, timestamp: 0 };
  private static readonly WAITING: JitterOutput = Object.freeze({ type: 'waiting' as const });

  constructor(options: Partial<JitterBufferOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
    // copyPayloads: the entries a playing buffer needs (its delay at most maxDelayMs, plus a few
    // early or reordered packets) are made now, with their storage, so a call in progress does not
    // grow the old generation entry by entry (that growth is what starts a worker's mark-compacts)
    if (this.o.copyPayloads) {
      const frameMs = (this.o.frameSamples / this.o.sampleRate) * 1000;
      const n = Math.ceil(this.o.maxDelayMs / frameMs) + PREALLOCATED_SLACK;
      for (let i = 0; i < n; i++) {
        const store = new Uint8Array(PAYLOAD_STORE);
        this.spare.push({ ext: 0, seq: 0, payload: NO_PAYLOAD, store, view: store.subarray(0, this.o.frameSamples) });
      }
    }
  }

  processInput(input: JitterInput): JitterOutput[] {
    if (input.type === 'packet') {
      this.push(input.packet);
      return [];
    }
    return [{ ...this.tick() }];
  }

  /** Current interarrival jitter in ms (RFC 3550 A.8). */
  get jitterMs(): number {
    return (this.jitterSamples / this.o.sampleRate) * 1000;
  }

  /** Delay the buffer aims at, in ms. */
  get targetDelayMs(): number {
    const frameMs = (this.o.frameSamples / this.o.sampleRate) * 1000;
    return Math.min(this.o.maxDelayMs, Math.max(this.o.minDelayMs, frameMs + 3 * this.jitterMs));
  }

  /** Media held ahead of the playout point, in ms. */
  get bufferedMs(): number {
    if (!this.hasPackets || this.held.size === 0) return 0;
    const from = this.playing ? this.playTs : this.held.minKey()!;
    return ((this.highestExtTs + this.o.frameSamples - from) / this.o.sampleRate) * 1000;
  }

  toJSON() {
    return { ...this.counts, held: this.held.size, jitterMs: round(this.jitterMs), targetDelayMs: round(this.targetDelayMs), bufferedMs: round(this.bufferedMs) };
  }

  /** Same as `processInput({ type: 'packet', packet })`, without the wrapper objects (the media clock's hot path). */
  push(p: JitterPacket): void {
    this.counts.received++;
    const ext = this.extend(p.timestamp);
    if (this.hasPackets && Math.abs(ext - this.highestExtTs) > this.o.resyncFrames * this.o.frameSamples) {
      this.reset();
      this.counts.resets++;
      this.push(p);
      return;
    }
    this.hasPackets = true;
    this.estimateJitter(p, ext);
    if (this.recentSeqs.has(p.sequenceNumber) && this.heldOrPlayedNear(ext)) {
      this.counts.duplicates++;
      return;
    }
    if (this.playing && ext < this.playTs) {
      this.counts.late++;
      return;
    }
    if (ext < this.highestExtTs) this.counts.reordered++;
    this.highestExtTs = Math.max(this.highestExtTs, ext);
    this.rememberSeq(p.sequenceNumber);
    const h = this.spare.pop() ?? { ext: 0, seq: 0, payload: NO_PAYLOAD, store: NO_PAYLOAD, view: NO_PAYLOAD };
    h.ext = ext;
    h.seq = p.sequenceNumber;
    h.payload = this.o.copyPayloads ? copyInto(h, p.payload) : p.payload;
    const prev = this.held.get(ext);
    if (prev) this.release(prev);
    this.held.set(ext, h);
  }

  /**
   * Same as `processInput({ type: 'tick' })[0]`: one playout decision. The
   * answer is an object the buffer reuses: it is valid until the next tick
   * (the payload itself is the packet's, never reused by the buffer, unless
   * copyPayloads: then it is the buffer's copy, valid until the next push).
   */
  tick(): JitterOutput {
    const frame = this.o.frameSamples;
    if (!this.playing) {
      if (this.held.size === 0 || this.bufferedMs < this.targetDelayMs) return JitterBuffer.WAITING;
      this.playing = true;
      this.playTs = this.held.minKey()!;
    }
    // Adapt: too much held -> skip one frame; too little -> conceal without advancing.
    const buffered = this.bufferedMs;
    const frameMs = (frame / this.o.sampleRate) * 1000;
    const target = this.targetDelayMs;
    // A window in which the buffer held, all along, a whole frame on top of its target: one frame
    // shed still leaves the target at the window's lowest point.
    if (buffered < this.lowWaterMs) this.lowWaterMs = buffered;
    let settle = false;
    if (++this.windowTicks >= this.o.settleTicks) {
      settle = this.lowWaterMs >= target + frameMs;
      this.windowTicks = 0;
      this.lowWaterMs = Infinity;
    }
    const burst = buffered > target + 2 * frameMs;
    if ((burst || settle) && this.held.has(this.playTs + frame)) {
      const skipped = this.held.get(this.playTs);
      if (skipped) this.release(skipped);
      this.held.delete(this.playTs);
      this.playTs += frame;
      if (burst) this.counts.shrunk++;
      else this.counts.settled++;
    } else if (buffered < target - 2 * frameMs || this.held.size === 0) {
      // Hold the playout point: one concealed frame, the delay grows by one frame.
      this.counts.grown++;
      this.counts.concealed++;
      return this.conceal(this.playTs);
    }
    const ts = this.playTs;
    this.playTs += frame;
    const h = this.held.get(ts);
    if (!h) {
      this.counts.concealed++;
      return this.conceal(ts);
    }
    this.held.delete(ts);
    this.counts.played++;
    const out = this.outFrame;
    out.payload = h.payload;
    out.timestamp = (h.ext + this.tsOrigin) >>> 0;
    this.release(h);
    return out;
  }

  private conceal(ts: number): JitterOutput {
    this.outConceal.timestamp = (ts + this.tsOrigin) >>> 0;
    return this.outConceal;
  }

  /** An entry leaves the buffer: kept for the next push, without its payload. */
  private release(h: Held): void {
    h.payload = NO_PAYLOAD;
    if (this.spare.length < RECENT_SEQS) this.spare.push(h);
  }

  private estimateJitter(p: JitterPacket, ext: number): void {
    const arrivalSamples = (p.arrivalMs / 1000) * this.o.sampleRate;
    const transit = arrivalSamples - ext;
    if (this.haveTransit) {
      const d = Math.abs(transit - this.transitPrev);
      this.jitterSamples += (d - this.jitterSamples) / 16;
    }
    this.transitPrev = transit;
    this.haveTransit = true;
  }

  /** Unwraps the 32-bit timestamp around the last one seen. */
  private extend(ts: number): number {
    if (!this.hasPackets) {
      this.lastTsRaw = ts;
      this.tsOrigin = ts;
      this.lastExtTs = 0;
      return 0;
    }
    const delta = ((ts - this.lastTsRaw) << 0) | 0; // signed 32-bit difference
    const ext = this.lastExtTs + delta;
    if (delta > 0) {
      this.lastTsRaw = ts;
      this.lastExtTs = ext;
    }
    return ext;
  }

  private heldOrPlayedNear(ext: number): boolean {
    return this.held.has(ext) || (this.playing && ext < this.playTs);
  }

  /** The last 512 sequence numbers, in a ring (a shift per packet was O(n)). */
  private rememberSeq(seq: number): void {
    const slot = this.recentCount % RECENT_SEQS;
    if (this.recentCount >= RECENT_SEQS) this.recentSeqs.delete(this.recentOrder[slot]!);
    this.recentSeqs.add(seq);
    this.recentOrder[slot] = seq;
    this.recentCount++;
  }

  private reset(): void {
    this.held.forEachValue((h) => this.release(h));
    this.held.clear();
    this.playing = false;
    this.hasPackets = false;
    this.highestExtTs = -Infinity;
    this.recentSeqs.clear();
    this.recentCount = 0;
    this.haveTransit = false;
    this.lowWaterMs = Infinity;
    this.windowTicks = 0;
  }
}

/**
 * A set of 16-bit sequence numbers in one preallocated table (open
 * addressing, linear probing, backward-shift deletion): what a Set<number>
 * does for the last 512 sequence numbers, without the new hash table a Set
 * allocates whenever its adds and deletes have filled the current one. Each
 * of those tables lived for seconds, so it was promoted to the old
 * generation and became work for the full collector: at 600 legs, over a
 * megabyte a second. `capacity` is a power of two, at least twice the
 * most the set holds.
 */
export class SeqSet {
  /** seq + 1 per slot; 0 is empty. */
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private count = 0;

  constructor(capacity: number) {
    if (capacity & (capacity - 1)) throw new RangeError('capacity must be a power of two');
    this.slots = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  has(seq: number): boolean {
    return this.slots[this.find(seq)] !== 0;
  }

  add(seq: number): void {
    const i = this.find(seq);
    if (this.slots[i] !== 0) return;
    if (this.count >= this.mask) throw new RangeError('SeqSet is full');
    this.slots[i] = seq + 1;
    this.count++;
  }

  delete(seq: number): boolean {
    const s = this.slots;
    let i = this.find(seq);
    if (s[i] === 0) return false;
    // backward shift: move later members of the probe run into the gap, so no tombstones are needed
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const v = s[j]!;
      if (v === 0) break;
      const home = hash(v - 1) & this.mask;
      // v may move into i unless its home lies cyclically in (i, j]
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        s[i] = v;
        i = j;
      }
    }
    s[i] = 0;
    this.count--;
    return true;
  }

  clear(): void {
    this.slots.fill(0);
    this.count = 0;
  }

  /** The slot holding `seq`, or the empty slot where it would go. */
  private find(seq: number): number {
    const s = this.slots;
    const want = seq + 1;
    let i = hash(seq) & this.mask;
    for (;;) {
      const v = s[i]!;
      if (v === 0 || v === want) return i;
      i = (i + 1) & this.mask;
    }
  }
}

/** Spreads consecutive sequence numbers over the table (Knuth's multiplicative hash). */
function hash(seq: number): number {
  return Math.imul(seq, 0x9e3779b1) >>> 16;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

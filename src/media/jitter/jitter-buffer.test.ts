import { describe, expect, it } from 'vitest';
import { JitterBuffer, type JitterOutput, SeqSet } from './jitter-buffer.ts';

interface Send {
  seq: number;
  at: number; // arrival ms
}

/** Runs a schedule of arrivals against 20 ms ticks; packet n carries timestamp base + 160 n. */
function run(jb: JitterBuffer, sends: Send[], untilMs: number, base = 1000, seqBase = 0) {
  const outs: JitterOutput[] = [];
  const events = [...sends].sort((a, b) => a.at - b.at);
  let i = 0;
  for (let t = 0; t <= untilMs; t += 20) {
    while (i < events.length && events[i]!.at <= t) {
      const s = events[i++]!;
      jb.processInput({
        type: 'packet',
        packet: { sequenceNumber: (seqBase + s.seq) & 0xffff, timestamp: (base + s.seq * 160) >>> 0, payload: Uint8Array.of(s.seq & 0xff), arrivalMs: s.at },
      });
    }
    outs.push(...jb.processInput({ type: 'tick' }));
  }
  return outs;
}
const played = (outs: JitterOutput[]) => outs.flatMap((o) => (o.type === 'frame' ? [o.payload[0]!] : []));

describe('adaptive jitter buffer - TEL-3, TEL-6', () => {
  it('plays an evenly paced stream in order with no concealment', () => {
    const jb = new JitterBuffer();
    const outs = run(jb, Array.from({ length: 50 }, (_, n) => ({ seq: n, at: n * 20 })), 1100);
    expect(played(outs)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(jb.toJSON()).toMatchObject({ played: 50, late: 0, duplicates: 0 });
    expect(jb.targetDelayMs).toBe(20);
  });

  it('reorders, drops duplicates and counts them', () => {
    const jb = new JitterBuffer({ minDelayMs: 60 });
    const sends = [0, 2, 1, 3, 3, 4, 5, 1].map((seq, k) => ({ seq, at: k * 20 }));
    const outs = run(jb, sends, 400);
    expect(played(outs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(jb.toJSON()).toMatchObject({ duplicates: 2, reordered: 1 });
  });

  it('drops a packet that arrives after its playout time and conceals its slot', () => {
    const jb = new JitterBuffer();
    const sends = [0, 1, 2, 4, 5, 6].map((seq) => ({ seq, at: seq * 20 }));
    sends.push({ seq: 3, at: 300 });
    const outs = run(jb, sends, 400);
    expect(played(outs)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(outs.filter((o) => o.type === 'conceal').length).toBeGreaterThanOrEqual(1);
    expect(jb.toJSON().late).toBe(1);
  });

  it('raises its target delay under jitter (RFC 3550 A.8), capped at 200 ms, and lowers it when the network calms', () => {
    const jb = new JitterBuffer();
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const jittery = Array.from({ length: 200 }, (_, n) => ({ seq: n, at: n * 20 + Math.round(rand() * 80) }));
    run(jb, jittery, 4200);
    expect(jb.jitterMs).toBeGreaterThan(15);
    expect(jb.targetDelayMs).toBeGreaterThan(60);
    expect(jb.targetDelayMs).toBeLessThanOrEqual(200);
    const wild = new JitterBuffer();
    run(wild, Array.from({ length: 100 }, (_, n) => ({ seq: n, at: n * 20 + (n % 2) * 400 })), 2400);
    expect(wild.targetDelayMs).toBe(200);
    // calm: jitter decays, the target falls back toward the 20 ms floor
    const calm = Array.from({ length: 300 }, (_, n) => ({ seq: 200 + n, at: 4300 + n * 20 }));
    const outs = run(jb, calm, 10400);
    expect(jb.targetDelayMs).toBeLessThan(30);
    expect(jb.toJSON().shrunk).toBeGreaterThan(0);
    expect(played(outs).length).toBeGreaterThan(250);
  });

  it("comes back to its depth after one hiccup of the sender instead of keeping the extra delay for the rest of the call", () => {
    // a phone that sends every 20 ms stalls 74 ms once (baresip did, in bench:transit): four packets come together
    const sends = Array.from({ length: 800 }, (_, n) => ({ seq: n, at: n >= 100 && n <= 103 ? 2081 : n * 20 + 7 + (n % 3) }));
    const jb = new JitterBuffer();
    const level: number[] = [];
    const events = [...sends].sort((a, b) => a.at - b.at);
    let i = 0;
    for (let t = 0; t <= 16_000; t += 20) {
      while (i < events.length && events[i]!.at <= t) {
        const e = events[i++]!;
        jb.push({ sequenceNumber: e.seq, timestamp: 1000 + e.seq * 160, payload: Uint8Array.of(e.seq & 0xff), arrivalMs: e.at });
      }
      level.push(jb.bufferedMs); // what it holds as the tick plays out
      jb.tick();
    }
    const after = Math.min(...level.slice(110, 150));
    expect(after).toBeGreaterThan(level[90]!); // the stall deepened it (60 ms), and the burst rule alone left it so
    // within a few seconds it holds no more than the first whole frames at or over its target (a frame's 20 ms and
    // a little jitter: 40 ms), and stays there
    const target = jb.targetDelayMs;
    expect(target).toBeGreaterThan(20);
    expect(target).toBeLessThan(40);
    expect(Math.max(...level.slice(400))).toBe(40);
    expect(jb.toJSON().settled).toBeGreaterThan(0);
    expect(jb.toJSON().settled + jb.toJSON().shrunk).toBeLessThanOrEqual(4);
  });

  it('survives sequence and timestamp wrap-around', () => {
    const jb = new JitterBuffer();
    const outs = run(jb, Array.from({ length: 20 }, (_, n) => ({ seq: n, at: n * 20 })), 500, 0xffffffff - 160 * 5, 65530);
    expect(played(outs)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('hands out each frame and concealed slot with its own RTP timestamp, across the 2^32 wrap (issue 3)', () => {
    // extended timestamps count from the stream's first packet inside the buffer; what it answers is the wire's
    const base = 0xffffffff - 160 * 3 + 1;
    const jb = new JitterBuffer();
    const sends = [0, 1, 2, 3, 5, 6, 7].map((seq) => ({ seq, at: seq * 20 }));
    const outs = run(jb, sends, 200, base, 100).filter((o) => o.type !== 'waiting') as { type: string; timestamp: number }[];
    const ts = (n: number) => (base + n * 160) >>> 0;
    // packet 4 is missing: its slot is concealed twice (the playout point holds once, the delay grows)
    expect(outs.slice(0, 9).map((o) => [o.type, o.timestamp])).toEqual([
      ['frame', ts(0)],
      ['frame', ts(1)],
      ['frame', ts(2)],
      ['frame', ts(3)],
      ['conceal', ts(4)],
      ['conceal', ts(4)],
      ['frame', ts(5)],
      ['frame', ts(6)],
      ['frame', ts(7)],
    ]);
    expect(ts(4)).toBe(160);
  });

  it('resets on a large jump (new talk source) instead of concealing for minutes', () => {
    const jb = new JitterBuffer();
    run(jb, Array.from({ length: 5 }, (_, n) => ({ seq: n, at: n * 20 })), 120);
    const outs = run(jb, Array.from({ length: 10 }, (_, n) => ({ seq: 100_000 + n, at: 140 + n * 20 })), 400);
    expect(jb.toJSON().resets).toBe(1);
    expect(played(outs).length).toBeGreaterThanOrEqual(8);
  });

  it('push and tick (the media clock hot path) decide exactly as processInput does, across more than 512 packets', () => {
    const a = new JitterBuffer();
    const b = new JitterBuffer();
    // reordered pairs, a duplicate every 7th packet, a lost one every 50th
    const order: number[] = [];
    for (let n = 0; n < 700; n += 2) order.push(n + 1, n);
    let t = 0;
    const log: Array<[JitterOutput, JitterOutput]> = [];
    for (const n of order) {
      t += 10;
      if (n % 50 === 49) continue;
      const copies = n % 7 === 0 ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const packet = { sequenceNumber: n & 0xffff, timestamp: 1000 + n * 160, payload: Uint8Array.of(n & 0xff), arrivalMs: t };
        a.processInput({ type: 'packet', packet });
        b.push(packet);
      }
      // tick() reuses its answer object: keep a copy
      if (t % 20 === 0) log.push([a.processInput({ type: 'tick' })[0]!, { ...b.tick() }]);
    }
    for (const [x, y] of log) expect(y).toEqual(x);
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(b.toJSON().duplicates).toBeGreaterThan(0);
  });

  it('tick() reuses its answer; the payload it hands out is the packet\'s own and stays intact (issue 3)', () => {
    const jb = new JitterBuffer({ minDelayMs: 20 });
    const pkt = (n: number) => ({ sequenceNumber: n, timestamp: n * 160, payload: new Uint8Array(160).fill(n), arrivalMs: n * 20 });
    for (let n = 0; n < 4; n++) jb.push(pkt(n));
    const first = jb.tick();
    expect(first.type).toBe('frame');
    const payload = first.type === 'frame' ? first.payload : undefined;
    const played = payload![0]!;
    for (let n = 4; n < 40; n++) jb.push(pkt(n)); // entries are recycled; the played payload is not touched
    const second = jb.tick();
    expect(second).toBe(first);
    expect(second.type === 'frame' ? second.payload[0] : -1).toBeGreaterThan(played);
    expect(payload!.every((v) => v === played)).toBe(true);
  });

  it('copyPayloads keeps its own copy: the caller may overwrite its slab at once, and plays out the same audio (issue 3)', () => {
    const slab = new Uint8Array(160);
    const plain = new JitterBuffer({ minDelayMs: 20 });
    const copying = new JitterBuffer({ minDelayMs: 20, copyPayloads: true });
    const got: number[][] = [[], []];
    for (let n = 0; n < 60; n++) {
      // reordered pairs, a duplicate every 7th, all through the one slab
      const seqs = n % 7 === 3 ? [n, n] : [n];
      for (const s of seqs) {
        slab.fill(s & 0xff);
        copying.push({ sequenceNumber: s, timestamp: s * 160, payload: slab, arrivalMs: n * 20 });
        plain.push({ sequenceNumber: s, timestamp: s * 160, payload: new Uint8Array(160).fill(s & 0xff), arrivalMs: n * 20 });
        slab.fill(0xee); // the next datagram lands in the same place
      }
      for (const [i, jb] of [plain, copying].entries()) {
        const o = jb.tick();
        if (o.type === 'frame') {
          expect(o.payload.every((v) => v === o.payload[0])).toBe(true);
          got[i]!.push(o.payload[0]!);
        }
      }
    }
    expect(got[1]).toEqual(got[0]);
    expect(got[1]!.length).toBeGreaterThan(50);
    expect(got[1]).not.toContain(0xee);
    expect(copying.toJSON()).toEqual(plain.toJSON());
  });
});

describe('SeqSet: the jitter buffer\'s set of recent sequence numbers, in one table (issue 3)', () => {
  it('answers as a Set<number> does through a long run of adds and deletes, with colliding and wrapping numbers', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const ring: number[] = [];
    const ref = new Set<number>();
    const set = new SeqSet(1024);
    for (let k = 0; k < 20000; k++) {
      // mostly in-order sequence numbers around a wrap, some repeats, some far away
      const r = rand(10);
      const seq = r < 7 ? (65000 + k) & 0xffff : r < 9 ? ring[rand(Math.max(1, ring.length))] ?? 0 : rand(65536);
      if (ring.length >= 512) {
        const old = ring.shift()!;
        expect(set.delete(old)).toBe(ref.delete(old));
      }
      ring.push(seq);
      ref.add(seq);
      set.add(seq);
      expect(set.size).toBe(ref.size);
      if (k % 97 === 0) for (let q = 0; q < 65536; q += 61) expect(set.has(q)).toBe(ref.has(q));
      for (const q of ring.slice(-3)) expect(set.has(q)).toBe(ref.has(q));
    }
    for (const q of ref) expect(set.has(q)).toBe(true);
    set.clear();
    expect([set.size, set.has(ring[0]!)]).toEqual([0, false]);
  });
});

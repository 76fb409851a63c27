// Issue 3 (TEL-3): a media worker's tick sends first. Every leg sends the
// frame the previous tick prepared, then the worker reads, mixes and records;
// so a packet played out in tick N leaves the other leg at the start of tick
// N+1, and every stream leaves at a steady point of the tick.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { g711Encode } from '../codec/g711.ts';
import { handDrivenRuntime } from '../../../test/support/worker-runtime-driver.ts';
import type { WorkerEvent } from './engine-protocol.ts';
import { WorkerRuntime } from './worker-runtime.ts';

const HOST = '127.0.0.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function peer(): Promise<{ sock: Socket; port: number; got: Buffer[] }> {
  const sock = createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(0, HOST, r));
  cleanup.push(() => {
    sock.close();
  });
  return { sock, port: sock.address().port, got };
}

describe('WorkerRuntime tick order - TEL-3', () => {
  it('a frame played out in one tick leaves the bridged leg at the start of the next', async () => {
    const { runtime, run } = handDrivenRuntime();
    cleanup.push(() => runtime.stop());
    const a = await peer();
    const b = await peer();
    await run({ type: 'create-bridge', bridgeId: 'br', maxMembers: 2 });
    const ports: number[] = [];
    for (const [legId, p] of [['A', a], ['B', b]] as const) {
      const port = await run({ type: 'create-leg', leg: { legId, bindAddress: HOST, localPort: 0, remote: { address: HOST, port: p.port }, codec: 'PCMU', payloadType: 0, inbandDtmf: false, inactivityMs: 0, symmetricRtp: false } });
      ports.push(port!);
      await run({ type: 'join', bridgeId: 'br', legId, role: 'full' });
    }
    // A's phone says a loud 1 kHz-ish pattern; nothing is said on B's side
    const loud = g711Encode('PCMU', Int16Array.from({ length: 160 }, (_, i) => (i % 8 < 4 ? 12000 : -12000)));
    const wire = new RtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 5, payload: loud }).serialize();
    await new Promise<void>((r, j) => a.sock.send(wire, ports[0]!, HOST, (e) => (e ? j(e) : r())));
    await sleep(20);

    runtime.tick(); // sends what the previous (no) tick prepared, then plays A's packet out and mixes it for B
    await sleep(20);
    expect(b.got.length).toBe(1);
    expect(b.got[0]!.subarray(12).every((x) => x === 0xff)).toBe(true); // silence: A's audio is not out yet

    runtime.tick(); // first thing: B sends the frame prepared in the tick before
    await sleep(20);
    expect(b.got.length).toBe(2);
    expect(Buffer.from(b.got[1]!.subarray(12))).toEqual(Buffer.from(loud));
  });

  it('is urgent from the moment it sleeps until its frame is sent, and ordinary while it reads, mixes and records', async () => {
    // a runtime on a hand-cranked clock: timers are kept, not run, so each wake-up is called by the test
    let now = 0;
    const timers: Array<() => void> = [];
    const log: string[] = [];
    let runtime!: WorkerRuntime;
    let port = 0;
    const counts = () => {
      const leg = runtime.stats().legs[0]!;
      return `out ${leg.packetsOut} in ${leg.packetsIn}`;
    };
    runtime = new WorkerRuntime({
      now: () => now,
      setTimer: (fn) => {
        log.push('sleep');
        timers.push(fn);
        return timers.length;
      },
      clearTimer: () => undefined,
      emit: (e: WorkerEvent) => {
        if (e.type === 'ack' && e.localPort) port = e.localPort;
      },
      urgent: (on) => log.push(`${on ? 'urgent' : 'ordinary'} (${counts()})`),
    });
    cleanup.push(() => runtime.stop());
    const a = await peer();
    await runtime.handle({ type: 'create-leg', requestId: 1, leg: { legId: 'A', bindAddress: HOST, localPort: 0, remote: { address: HOST, port: a.port }, codec: 'PCMU', payloadType: 0, inbandDtmf: false, inactivityMs: 0, symmetricRtp: false } });
    const wire = new RtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 5, payload: new Uint8Array(160).fill(0xff) }).serialize();
    await new Promise<void>((r, j) => a.sock.send(wire, port, HOST, (e) => (e ? j(e) : r())));
    await sleep(20);
    runtime.start();
    expect(log).toEqual(['urgent (out 0 in 0)', 'sleep']);
    timers.shift()!(); // the first frame falls due
    now = 5;
    timers.shift()!(); // nothing due: back to sleep
    now = 20;
    timers.shift()!(); // the second frame
    expect(log).toEqual([
      'urgent (out 0 in 0)',
      'sleep',
      'ordinary (out 1 in 0)', // first frame: its packet is out, the one waiting on the socket not yet read
      'urgent (out 1 in 1)', // read, then urgent again before it sleeps
      'sleep',
      'sleep', // a wake-up with no frame due: still urgent, no call

      'ordinary (out 2 in 1)',
      'urgent (out 2 in 1)',
      'sleep',
    ]);
  });

  it('with sendAhead auto, a step up sends the frame into the slot it opens and a step down drops one, so the stream never leaves its grid', async () => {
    // paced, on a hand-cranked clock: commits are noted (no sender thread here, so each leg's packet leaves at once)
    let now = 0;
    const timers: Array<() => void> = [];
    const commits: number[] = [];
    let port = 0;
    const runtime = new WorkerRuntime({
      now: () => now,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => undefined,
      emit: (e: WorkerEvent) => {
        if (e.type === 'ack' && e.localPort) port = e.localPort;
      },
      commitFrames: (dueMs) => commits.push(dueMs),
      senderStats: () => ({ sendAhead: 0, sent: 0, dropped: 0, errors: 0, batches: commits.length, lateBatches: 0, lateDatagrams: 0, maxLateMs: 0, realtimePriority: 0 }),
      sendAhead: 'auto',
    });
    cleanup.push(() => runtime.stop());
    const a = await peer();
    await runtime.handle({ type: 'create-leg', requestId: 1, leg: { legId: 'A', bindAddress: HOST, localPort: 0, remote: { address: HOST, port: a.port }, codec: 'PCMU', payloadType: 0, inbandDtmf: false, inactivityMs: 0, symmetricRtp: false } });
    expect(port).toBeGreaterThan(0);
    runtime.start();
    const auto = () => runtime.stats().sender?.auto;
    timers.shift()!(); // the first frame, on time: 2 frames ahead
    expect(commits).toEqual([40]);
    now = 55; // the second frame (due 20) runs 35 ms late: a near miss at 2 frames ahead
    timers.shift()!();
    expect(auto()).toMatchObject({ frames: 3, raised: 1, nearMisses: 1 });
    expect(commits).toEqual([40, 60, 80]); // its slot at 2 frames, and once more in the slot the step opened
    timers.shift()!(); // the third frame (due 40), caught up at once: 3 frames ahead
    expect(commits).toEqual([40, 60, 80, 100]);
    // on time from here on; after a quiet minute the policy steps down, and one tick commits nothing
    for (let due = 60; due <= 61_000; due += 20) {
      now = due;
      timers.shift()!();
      if (due % 1000 === 0) await sleep(1); // let the phone's socket drain
    }
    expect(auto()).toMatchObject({ frames: 2, lowered: 1 });
    // every commit one frame after the one before: no slot skipped, none used twice
    const steps = new Set(commits.slice(1).map((d, i) => d - commits[i]!));
    expect([...steps]).toEqual([20]);
    const ticks = 1 + 61_000 / 20; // frames due 0..61000
    expect(commits.length).toBe(ticks); // one more on the step up, one fewer on the step down
    // the phone got every committed frame, numbered and stamped without a gap
    await sleep(100);
    expect(a.got.length).toBe(commits.length);
    const pkts = a.got.map((m) => RtpPacket.deserialize(m));
    for (let i = 1; i < pkts.length; i++) {
      expect((pkts[i]!.sequenceNumber - pkts[i - 1]!.sequenceNumber) & 0xffff).toBe(1);
      expect((pkts[i]!.timestamp - pkts[i - 1]!.timestamp) >>> 0).toBe(160);
    }
  });
});


/**
 * The bench's RTP peer (bench/media.ts forks it): for each call it opens two
 * UDP sockets, one per party, sends 20 ms PCMU frames of that party's tone
 * (A 400 Hz, B 1000 Hz) to the engine's legs on a paced monotonic clock, and
 * checks what comes back: sequence gaps (lost packets) and, on every 25th
 * packet, that the other party's tone is what this party hears.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { g711Decode, g711Encode } from '../src/media/codec/g711.ts';
import { FramePacer } from '../src/media/engine/frame-pacer.ts';
import { toneDbfs } from '../test/audio/analysis.ts';

export interface PeerStart {
  host: string;
  /** Engine leg ports, [A, B] per call. */
  calls: Array<[number, number]>;
  seconds: number;
}

export interface PeerResult {
  sent: number;
  received: number;
  lost: number;
  contentChecked: number;
  contentErrors: number;
  lateFrames: number;
  cpuSeconds: number;
}

const FREQ = [400, 1000];

function frame(freq: number): Uint8Array {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000)));
  return g711Encode('PCMU', pcm);
}

interface Party {
  s: Socket;
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
}

async function run(o: PeerStart): Promise<PeerResult> {
  const cpu0 = process.cpuUsage();
  const parties: Party[] = [];
  let contentChecked = 0;
  let contentErrors = 0;
  const pcm = new Int16Array(160);
  for (const pair of o.calls) {
    for (let side = 0; side < 2; side++) {
      const s = createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      await new Promise<void>((r) => s.bind(0, o.host, r));
      const p: Party = { s, to: pair[side]!, seq: 0, ts: 0, ssrc: parties.length + 1, payload: frame(FREQ[side]!), hear: FREQ[1 - side]!, own: FREQ[side]!, first: undefined, maxExt: 0, received: 0 };
      s.on('message', (m) => {
        const seq = m.readUInt16BE(2);
        if (p.first === undefined) {
          p.first = seq;
          p.maxExt = seq;
        } else {
          let ext = (p.maxExt & ~0xffff) | seq;
          if (ext < p.maxExt - 0x8000) ext += 0x10000;
          if (ext > p.maxExt) p.maxExt = ext;
        }
        p.received++;
        if (p.received % 25 === 0) {
          g711Decode('PCMU', m.subarray(12, 172), pcm);
          contentChecked++;
          if (!(toneDbfs(pcm, p.hear) > -30 && toneDbfs(pcm, p.own) < -45)) contentErrors++;
        }
      });
      parties.push(p);
    }
  }
  const pacer = new FramePacer();
  let sent = 0;
  const end = performance.now() + o.seconds * 1000;
  pacer.start(performance.now());
  await new Promise<void>((done) => {
    const wake = () => {
      const w = pacer.wake(performance.now());
      for (let f = 0; f < w.frames; f++) {
        for (const p of parties) {
          const b = Buffer.allocUnsafe(172);
          b[0] = 0x80;
          b[1] = 0;
          b.writeUInt16BE(p.seq, 2);
          b.writeUInt32BE(p.ts >>> 0, 4);
          b.writeUInt32BE(p.ssrc, 8);
          b.set(p.payload, 12);
          p.s.send(b, p.to, o.host);
          p.seq = (p.seq + 1) & 0xffff;
          p.ts += 160;
          sent++;
        }
      }
      if (performance.now() >= end) return done();
      setTimeout(wake, Math.max(0, pacer.nextDueMs - performance.now()));
    };
    wake();
  });
  await new Promise((r) => setTimeout(r, 300)); // what the engine still sends in flight
  let received = 0;
  let lost = 0;
  for (const p of parties) {
    received += p.received;
    // the engine keeps sending until its legs are destroyed: count gaps only
    if (p.first !== undefined) lost += Math.max(0, p.maxExt - p.first + 1 - p.received);
    p.s.close();
  }
  const c = process.cpuUsage(cpu0);
  return { sent, received, lost, contentChecked, contentErrors, lateFrames: pacer.toJSON().lateFrames, cpuSeconds: (c.user + c.system) / 1e6 };
}

process.on('message', (m: PeerStart) => {
  void run(m).then((r) => {
    process.send!(r);
    process.exit(0);
  });
});

/**
 * The bench's RTP peer (bench/media.ts forks it). It binds one UDP socket per
 * party, then sends 20 ms PCMU frames of that party's tone (the first of each
 * pair 400 Hz, the second 1000 Hz) to the port it is told, on a paced
 * monotonic clock, and checks what comes back: sequence gaps (lost packets)
 * and, on every 25th packet, that the other party's tone is what this party
 * hears. It is the same for Hotline's legs and for rtpengine's relay ports.
 *
 * Protocol over IPC: `bind` -> `bound` (ports); `run` -> `steady` after the
 * warm-up, `window-end` when the measured window closes (sending stops), then
 * `done` with the counts.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { g711Decode, g711Encode } from '../src/media/codec/g711.ts';
import { FramePacer } from '../src/media/engine/frame-pacer.ts';
import { toneDbfs } from '../test/audio/analysis.ts';

export type PeerCommand =
  | { type: 'bind'; host: string; sockets: number }
  | { type: 'run'; host: string; targets: number[]; warmupSeconds: number; seconds: number };

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
}

export type PeerMessage = { type: 'bound'; ports: number[] } | { type: 'steady' } | { type: 'window-end' } | { type: 'done'; result: PeerResult };

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

const parties: Party[] = [];
let contentChecked = 0;
let contentErrors = 0;
const pcm = new Int16Array(160);
const send = (m: PeerMessage) => process.send!(m);

async function bind(host: string, n: number): Promise<number[]> {
  for (let i = 0; i < n; i++) {
    const side = i % 2;
    const s = createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20, lookup: (h, _o, cb) => cb(null, h, 4) });
    await new Promise<void>((r) => s.bind(0, host, r));
    const p: Party = { s, to: 0, seq: 0, ts: 0, ssrc: i + 1, payload: frame(FREQ[side]!), hear: FREQ[1 - side]!, own: FREQ[side]!, first: undefined, maxExt: 0, received: 0 };
    s.on('message', (m: Buffer) => {
      const seq = (m[2]! << 8) | m[3]!;
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
  return parties.map((p) => p.s.address().port);
}

async function run(host: string, targets: number[], warmupSeconds: number, seconds: number): Promise<PeerResult> {
  parties.forEach((p, i) => (p.to = targets[i]!));
  const pacer = new FramePacer();
  let sent = 0;
  const t0 = performance.now();
  const steadyAt = t0 + warmupSeconds * 1000;
  const end = steadyAt + seconds * 1000;
  let steady = false;
  pacer.start(t0);
  await new Promise<void>((done) => {
    const wake = () => {
      const w = pacer.wake(performance.now());
      for (let f = 0; f < w.frames; f++) {
        for (const p of parties) {
          const b = Buffer.allocUnsafe(172);
          b[0] = 0x80;
          b[1] = 0;
          b[2] = p.seq >>> 8;
          b[3] = p.seq & 0xff;
          b.writeUInt32BE(p.ts >>> 0, 4);
          b.writeUInt32BE(p.ssrc, 8);
          b.set(p.payload, 12);
          p.s.send(b, p.to, host);
          p.seq = (p.seq + 1) & 0xffff;
          p.ts += 160;
          sent++;
        }
      }
      const now = performance.now();
      if (!steady && now >= steadyAt) {
        steady = true;
        send({ type: 'steady' });
      }
      if (now >= end) {
        send({ type: 'window-end' });
        return done();
      }
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
  const scheduled = parties.length * Math.floor(((end - t0) / 20));
  return { sent, scheduled, received, lost, contentChecked, contentErrors, lateFrames: pacer.toJSON().lateFrames };
}

process.on('message', (m: PeerCommand) => {
  if (m.type === 'bind') void bind(m.host, m.sockets).then((ports) => send({ type: 'bound', ports }));
  else
    void run(m.host, m.targets, m.warmupSeconds, m.seconds).then((result) => {
      send({ type: 'done', result });
      process.disconnect();
    });
});

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIPv4 } from 'node:net';
import { RTP_HEADER_SIZE, RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { g711Decode, g711Encode } from '../codec/g711.ts';
import { PacketLossConcealer } from '../codec/packet-loss-concealer.ts';
import { InbandDtmfDetector } from '../dtmf/inband-dtmf-detector.ts';
import { Rfc4733Receiver } from '../dtmf/rfc4733-receiver.ts';
import { Rfc4733Sender, type TelephoneEventFrame } from '../dtmf/rfc4733-sender.ts';
import { JitterBuffer, type JitterPacket } from '../jitter/jitter-buffer.ts';
import { FRAME_SAMPLES } from '../stage.ts';
import type { LegSpec, LegStats, RemoteAddress, WorkerEvent } from './engine-protocol.ts';

/**
 * One RTP endpoint inside a media worker: a UDP socket, G.711 in and out,
 * RFC 4733 and in-band DTMF in, RFC 4733 out, symmetric RTP latching and an
 * inactivity timer. The media clock calls `receiveFrame` then `sendFrame`
 * once per 20 ms tick; packets arriving between ticks go to the jitter buffer.
 *
 * Socket buffers (design values): 128 KiB requested each way, which Linux
 * doubles to 256 KiB (the request is under Linux's default rmem_max and
 * wmem_max of 208 KiB, so no sysctl is needed). A 172-octet PCMU datagram is charged
 * 832 octets of receive buffer (its skb truesize, measured on loopback), so
 * a leg's socket holds about 315 packets: 6 s of a worker stalled before
 * anything is dropped. Sends rarely queue (UDP hands the datagram on at
 * once), so the send buffer only bounds a burst.
 *
 * Sends are synchronous: the socket's `lookup` answers an IPv4 literal at
 * once instead of through dns.lookup, which defers every datagram to a
 * process.nextTick (a measurable share of a worker at hundreds of legs).
 * Packets are built straight into one Buffer (header written by hand, G.711
 * encoded in place), and that Buffer is reused for the next frame whenever
 * the kernel took the datagram at once (see SendBuffer); received packets
 * are parsed by a fast path for the plain 12-octet header, the full
 * RtpPacket parser otherwise.
 *
 * Strict source (`strictSource`, for trunks with a fixed address): the
 * socket is connected to the remote, so the kernel drops datagrams from any
 * other source and sends go without an address (no route lookup per
 * datagram: about 1.3 of 7 µs per send measured on loopback).
 *
 * Latching: the first valid RTP packet sets the send address when none is
 * known or when it differs; afterwards a new source must send
 * `LATCH_CONFIRM` consecutive valid packets before we move to it, so a stray
 * packet cannot hijack the stream.
 */
export const SOCKET_BUFFER_BYTES = 128 * 1024;
const LATCH_CONFIRM = 5;

export class RtpLeg {
  private socket: Socket | undefined;
  /** The socket is connected to `remote` (strict source). */
  private connected = false;
  private spec: LegSpec;
  private readonly jitter = new JitterBuffer();
  private readonly plc = new PacketLossConcealer();
  private readonly dtmfIn = new Rfc4733Receiver();
  private readonly inband: InbandDtmfDetector | undefined;
  private readonly dtmfOut = new Rfc4733Sender();
  private readonly decoded = new Int16Array(FRAME_SAMPLES);
  /** This tick's received audio (reused every tick). */
  private readonly heard = new Int16Array(FRAME_SAMPLES);
  private readonly silence = new Int16Array(FRAME_SAMPLES);
  private readonly out = new SendBuffer();
  /** The received packet's fields and the jitter buffer's input, filled in place per packet. */
  private readonly rx: RtpFields = { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: EMPTY };
  private readonly toJitter: JitterPacket = { sequenceNumber: 0, timestamp: 0, payload: EMPTY, arrivalMs: 0 };
  private pendingDigits: string[] = [];
  private eventFrames: TelephoneEventFrame[] = [];
  private eventTs = 0;
  private eventDurationMs = 100;
  private latched = false;
  private candidate: { key: string; count: number } | undefined;
  private seq = Math.floor(Math.random() * 0x10000);
  private ts = Math.floor(Math.random() * 0x100000000);
  private readonly ssrc = Math.floor(Math.random() * 0x100000000);
  private lastRxMs: number;
  private inactiveRaised = false;
  private seqState: { ssrc: number; base: number; maxExt: number; received: number; lostBefore: number } | undefined;
  private lostTotal = 0;
  private counts = { packetsIn: 0, packetsOut: 0, bytesIn: 0, rejectedIn: 0 };

  constructor(
    spec: LegSpec,
    private readonly now: () => number,
    private readonly emit: (e: WorkerEvent) => void,
  ) {
    this.spec = { ...spec };
    this.inband = spec.inbandDtmf ? new InbandDtmfDetector() : undefined;
    this.lastRxMs = now();
  }

  get id(): string {
    return this.spec.legId;
  }

  get remote(): RemoteAddress | undefined {
    return this.spec.remote;
  }

  /** Binds the socket; rejects with the OS error (EADDRINUSE ...). */
  open(): Promise<number> {
    return new Promise((resolve, reject) => {
      const s = createSocket({ type: 'udp4', recvBufferSize: SOCKET_BUFFER_BYTES, sendBufferSize: SOCKET_BUFFER_BYTES, lookup: literalLookup });
      const onError = (err: Error) => {
        s.close();
        reject(err);
      };
      s.once('error', onError);
      s.bind(this.spec.localPort, this.spec.bindAddress, () => {
        const ready = () => {
          s.off('error', onError);
          s.on('error', (err: NodeJS.ErrnoException) => {
            // a connected socket hears the ICMP "port unreachable" of a remote that went away: not
            // a fault of the leg (RTP inactivity reports a silent trunk)
            if (this.connected && err.code === 'ECONNREFUSED') return;
            this.emit({ type: 'leg-error', legId: this.id, message: err.message });
          });
          s.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
          this.socket = s;
          resolve(s.address().port);
        };
        const r = this.spec.remote;
        if (!this.spec.strictSource || !r) return ready();
        // Node passes a failed connect's error to the callback (its typings do not say so)
        s.connect(r.port, r.address, (err?: Error) => {
          if (err) return onError(err);
          this.connected = true;
          ready();
        });
      });
    });
  }

  update(change: Partial<Pick<LegSpec, 'remote' | 'codec' | 'payloadType' | 'telephoneEventPt'>>): void {
    this.spec = { ...this.spec, ...change };
    if (change.remote) this.latched = false;
    const s = this.socket;
    if (change.remote && this.spec.strictSource && s) {
      // re-connect to the new remote; frames due meanwhile are not sent
      if (this.connected) s.disconnect();
      this.connected = false;
      const r = change.remote;
      s.connect(r.port, r.address, (err?: Error) => {
        if (err) this.emit({ type: 'leg-error', legId: this.id, message: `connect ${r.address}:${r.port}: ${err.message}` });
        else if (this.socket === s && this.spec.remote === r) this.connected = true;
      });
    }
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  queueDigits(digits: string, durationMs: number): void {
    this.eventDurationMs = durationMs;
    this.pendingDigits.push(...digits);
  }

  /** One 20 ms frame of what the peer said (concealed or silence when nothing arrived). */
  receiveFrame(nowMs = this.now()): Int16Array {
    const out = this.jitter.tick();
    let frame: Int16Array;
    if (out.type === 'frame') {
      const payload = out.payload.length > FRAME_SAMPLES ? out.payload.subarray(0, FRAME_SAMPLES) : out.payload;
      const pcm = payload.length === FRAME_SAMPLES ? this.decoded : new Int16Array(FRAME_SAMPLES);
      frame = this.plc.processInput(g711Decode(this.spec.codec, payload, pcm), this.heard);
    } else if (out.type === 'conceal') frame = this.plc.processInput(null, this.heard);
    else frame = this.silence;
    // In-band detection is the fallback for peers that send digits as tones: with RFC 4733 negotiated
    // the peer sends events, and the detector (the largest single cost of a leg's tick) stays idle.
    if (this.inband && this.spec.telephoneEventPt === undefined) {
      for (const e of this.inband.processInput(frame)) {
        if (e.type === 'end') this.emit({ type: 'dtmf', legId: this.id, digit: e.digit, source: 'inband', durationMs: e.durationMs });
      }
    }
    const silent = nowMs - this.lastRxMs;
    if (this.spec.inactivityMs > 0 && !this.inactiveRaised && silent >= this.spec.inactivityMs) {
      this.inactiveRaised = true;
      this.emit({ type: 'inactive', legId: this.id, silentMs: Math.round(silent) });
    }
    return frame;
  }

  /** Sends one frame of audio, or the next telephone-event packet while a digit is being sent. */
  sendFrame(pcm: Int16Array): void {
    const remote = this.spec.remote;
    const s = this.socket;
    if (!remote || !s || (this.spec.strictSource && !this.connected)) {
      this.ts = (this.ts + FRAME_SAMPLES) >>> 0;
      return;
    }
    if (this.eventFrames.length === 0 && this.pendingDigits.length > 0 && this.spec.telephoneEventPt !== undefined) {
      this.eventFrames = this.dtmfOut.processInput({ digit: this.pendingDigits.shift()!, durationMs: this.eventDurationMs });
      this.eventTs = this.ts;
    }
    let buf: Buffer;
    const ev = this.eventFrames.length > 0 ? this.eventFrames.shift() : undefined;
    if (ev && this.spec.telephoneEventPt !== undefined) {
      buf = Buffer.allocUnsafe(RTP_HEADER_SIZE + ev.payload.length);
      writeHeader(buf, (ev.marker ? 0x80 : 0) | this.spec.telephoneEventPt, this.seq, this.eventTs, this.ssrc);
      buf.set(ev.payload, RTP_HEADER_SIZE);
    } else {
      buf = this.out.take(RTP_HEADER_SIZE + pcm.length);
      writeHeader(buf, this.spec.payloadType, this.seq, this.ts, this.ssrc);
      g711Encode(this.spec.codec, pcm, buf, RTP_HEADER_SIZE);
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME_SAMPLES) >>> 0;
    if (this.connected) s.send(buf);
    else s.send(buf, remote.port, remote.address);
    this.out.sent(s.getSendQueueCount() > 0);
    this.counts.packetsOut++;
  }

  stats(): LegStats {
    const j = this.jitter.toJSON();
    return { legId: this.id, ...this.counts, lostIn: this.lostTotal + this.currentLoss(), jitterMs: j.jitterMs, concealed: j.concealed, latched: this.latched };
  }

  private onPacket(msg: Buffer, rinfo: RemoteInfo): void {
    const p = parseRtp(msg, this.rx);
    if (!p) {
      this.counts.rejectedIn++;
      return;
    }
    const isAudio = p.payloadType === this.spec.payloadType;
    const isEvent = this.spec.telephoneEventPt !== undefined && p.payloadType === this.spec.telephoneEventPt;
    if (!isAudio && !isEvent) {
      this.counts.rejectedIn++;
      return;
    }
    this.counts.packetsIn++;
    this.counts.bytesIn += msg.length;
    this.lastRxMs = this.now();
    this.inactiveRaised = false;
    this.trackSequence(p);
    if (this.spec.symmetricRtp && !this.spec.strictSource) this.latch(rinfo);
    if (isEvent) {
      for (const e of this.dtmfIn.processInput({ timestamp: p.timestamp, payload: p.payload })) {
        if (e.type === 'end') this.emit({ type: 'dtmf', legId: this.id, digit: e.digit, source: 'rfc4733', durationMs: e.durationMs });
      }
      return;
    }
    // push keeps only the payload (a view of this datagram's own Buffer), not the object
    const j = this.toJitter;
    j.sequenceNumber = p.sequenceNumber;
    j.timestamp = p.timestamp;
    j.payload = p.payload;
    j.arrivalMs = this.lastRxMs;
    this.jitter.push(j);
    j.payload = EMPTY;
  }

  private latch(rinfo: RemoteInfo): void {
    const cur = this.spec.remote;
    if (cur && cur.address === rinfo.address && cur.port === rinfo.port) {
      this.candidate = undefined;
      this.latched = true;
      return;
    }
    const key = `${rinfo.address}:${rinfo.port}`;
    this.candidate = this.candidate?.key === key ? { key, count: this.candidate.count + 1 } : { key, count: 1 };
    if (!this.latched || this.candidate.count >= LATCH_CONFIRM) {
      this.spec.remote = { address: rinfo.address, port: rinfo.port };
      this.latched = true;
      this.candidate = undefined;
      this.emit({ type: 'latched', legId: this.id, remote: this.spec.remote });
    }
  }

  /** RFC 3550 A.3: expected minus received, per SSRC; a new SSRC starts a new count. */
  private trackSequence(p: RtpFields): void {
    const st = this.seqState;
    if (!st || st.ssrc !== p.ssrc) {
      if (st) this.lostTotal += this.currentLoss();
      this.seqState = { ssrc: p.ssrc, base: p.sequenceNumber, maxExt: p.sequenceNumber, received: 1, lostBefore: 0 };
      return;
    }
    st.received++;
    const cycle = st.maxExt & ~0xffff;
    let ext = cycle | p.sequenceNumber;
    if (ext < st.maxExt - 0x8000) ext += 0x10000;
    else if (ext > st.maxExt + 0x8000) ext -= 0x10000;
    if (ext > st.maxExt) st.maxExt = ext;
  }

  private currentLoss(): number {
    const st = this.seqState;
    if (!st) return 0;
    return Math.max(0, st.maxExt - st.base + 1 - st.received);
  }
}

/** What a leg needs of a received packet. */
interface RtpFields {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Parses a datagram as RTP: the common plain header (version 2, no padding,
 * extension or CSRCs) is read in place with the payload as a view, into
 * `into` when given (a leg reuses one object for every packet, so the
 * result is valid until its next packet); anything else goes through
 * RtpPacket.deserialize. Undefined when it is not RTP.
 */
export function parseRtp(msg: Buffer, into?: RtpFields): RtpFields | undefined {
  if (msg.length >= RTP_HEADER_SIZE && msg[0] === 0x80) {
    const f = into ?? { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: EMPTY };
    f.payloadType = msg[1]! & 0x7f;
    f.sequenceNumber = (msg[2]! << 8) | msg[3]!;
    f.timestamp = msg.readUInt32BE(4);
    f.ssrc = msg.readUInt32BE(8);
    f.payload = msg.subarray(RTP_HEADER_SIZE);
    return f;
  }
  try {
    return RtpPacket.deserialize(msg);
  } catch {
    return undefined;
  }
}

/**
 * A leg's outgoing packet buffer. dgram's send tries the kernel at once
 * (uv_udp_try_send): when that works the bytes are already copied and the
 * Buffer is free again, so the next frame is built in the same one. When the
 * datagram had to be queued (send buffer full; the socket's send queue is
 * not empty after the send), libuv sends from the Buffer later, so it is
 * left to the queue and the next frame gets a new one. `sent(queued)`
 * tells which happened.
 */
export class SendBuffer {
  private buf: Buffer | undefined;

  /** A Buffer of `size` octets to build the next packet in. */
  take(size: number): Buffer {
    if (this.buf?.length !== size) this.buf = Buffer.alloc(size);
    return this.buf;
  }

  /** After the send: `queued` when the socket still holds unsent datagrams (maybe this one). */
  sent(queued: boolean): void {
    if (queued) this.buf = undefined;
  }
}

/** The 12-octet RTP header (version 2, no padding, extension or CSRCs); `b1` is marker and payload type. */
function writeHeader(buf: Buffer, b1: number, seq: number, ts: number, ssrc: number): void {
  buf[0] = 0x80;
  buf[1] = b1;
  buf[2] = seq >>> 8;
  buf[3] = seq & 0xff;
  buf.writeUInt32BE(ts >>> 0, 4);
  buf.writeUInt32BE(ssrc >>> 0, 8);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** dgram's lookup hook: an IPv4 literal is answered synchronously, a name goes to dns.lookup. */
function literalLookup(host: string, options: unknown, cb: LookupCallback): void {
  if (isIPv4(host)) cb(null, host, 4);
  else dnsLookup(host, { family: 4 }, cb);
}

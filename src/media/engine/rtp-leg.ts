import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { g711Decode, g711Encode } from '../codec/g711.ts';
import { PacketLossConcealer } from '../codec/packet-loss-concealer.ts';
import { InbandDtmfDetector } from '../dtmf/inband-dtmf-detector.ts';
import { Rfc4733Receiver } from '../dtmf/rfc4733-receiver.ts';
import { Rfc4733Sender, type TelephoneEventFrame } from '../dtmf/rfc4733-sender.ts';
import { JitterBuffer } from '../jitter/jitter-buffer.ts';
import { FRAME_SAMPLES } from '../stage.ts';
import type { LegSpec, LegStats, RemoteAddress, WorkerEvent } from './engine-protocol.ts';

/**
 * One RTP endpoint inside a media worker: a UDP socket, G.711 in and out,
 * RFC 4733 and in-band DTMF in, RFC 4733 out, symmetric RTP latching and an
 * inactivity timer. The media clock calls `receiveFrame` then `sendFrame`
 * once per 20 ms tick; packets arriving between ticks go to the jitter buffer.
 *
 * Socket buffers: 128 KiB each way (the kernel doubles the request; this
 * host's rmem_max/wmem_max allow it). One leg receives 50 packets of 172
 * octets a second, so 128 KiB holds several seconds of a stalled worker.
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
  private spec: LegSpec;
  private readonly jitter = new JitterBuffer();
  private readonly plc = new PacketLossConcealer();
  private readonly dtmfIn = new Rfc4733Receiver();
  private readonly inband: InbandDtmfDetector | undefined;
  private readonly dtmfOut = new Rfc4733Sender();
  private readonly decoded = new Int16Array(FRAME_SAMPLES);
  private readonly encoded = new Uint8Array(FRAME_SAMPLES);
  private readonly silence = new Int16Array(FRAME_SAMPLES);
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
      const s = createSocket({ type: 'udp4', recvBufferSize: SOCKET_BUFFER_BYTES, sendBufferSize: SOCKET_BUFFER_BYTES });
      const onError = (err: Error) => {
        s.close();
        reject(err);
      };
      s.once('error', onError);
      s.bind(this.spec.localPort, this.spec.bindAddress, () => {
        s.off('error', onError);
        s.on('error', (err) => this.emit({ type: 'leg-error', legId: this.id, message: err.message }));
        s.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
        this.socket = s;
        resolve(s.address().port);
      });
    });
  }

  update(change: Partial<Pick<LegSpec, 'remote' | 'codec' | 'payloadType' | 'telephoneEventPt'>>): void {
    this.spec = { ...this.spec, ...change };
    if (change.remote) this.latched = false;
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
  receiveFrame(): Int16Array {
    const nowMs = this.now();
    const out = this.jitter.processInput({ type: 'tick' })[0]!;
    let frame: Int16Array;
    if (out.type === 'frame') frame = this.plc.processInput(g711Decode(this.spec.codec, out.payload.subarray(0, FRAME_SAMPLES), this.decoded));
    else if (out.type === 'conceal') frame = this.plc.processInput(null);
    else frame = this.silence;
    if (this.inband) {
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
    if (!remote || !s) {
      this.ts = (this.ts + FRAME_SAMPLES) >>> 0;
      return;
    }
    let packet: RtpPacket;
    if (this.eventFrames.length === 0 && this.pendingDigits.length > 0 && this.spec.telephoneEventPt !== undefined) {
      this.eventFrames = this.dtmfOut.processInput({ digit: this.pendingDigits.shift()!, durationMs: this.eventDurationMs });
      this.eventTs = this.ts;
    }
    const ev = this.eventFrames.shift();
    if (ev && this.spec.telephoneEventPt !== undefined) {
      packet = new RtpPacket({ payloadType: this.spec.telephoneEventPt, sequenceNumber: this.seq, timestamp: this.eventTs, ssrc: this.ssrc, marker: ev.marker, payload: ev.payload });
    } else {
      g711Encode(this.spec.codec, pcm, this.encoded);
      packet = new RtpPacket({ payloadType: this.spec.payloadType, sequenceNumber: this.seq, timestamp: this.ts, ssrc: this.ssrc, payload: this.encoded });
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME_SAMPLES) >>> 0;
    s.send(packet.serialize(), remote.port, remote.address);
    this.counts.packetsOut++;
  }

  stats(): LegStats {
    const j = this.jitter.toJSON();
    return { legId: this.id, ...this.counts, lostIn: this.lostTotal + this.currentLoss(), jitterMs: j.jitterMs, concealed: j.concealed, latched: this.latched };
  }

  private onPacket(msg: Buffer, rinfo: RemoteInfo): void {
    let p: RtpPacket;
    try {
      p = RtpPacket.deserialize(msg);
    } catch {
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
    if (this.spec.symmetricRtp) this.latch(rinfo);
    if (isEvent) {
      for (const e of this.dtmfIn.processInput({ timestamp: p.timestamp, payload: p.payload })) {
        if (e.type === 'end') this.emit({ type: 'dtmf', legId: this.id, digit: e.digit, source: 'rfc4733', durationMs: e.durationMs });
      }
      return;
    }
    this.jitter.processInput({ type: 'packet', packet: { sequenceNumber: p.sequenceNumber, timestamp: p.timestamp, payload: p.payload, arrivalMs: this.lastRxMs } });
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
  private trackSequence(p: RtpPacket): void {
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

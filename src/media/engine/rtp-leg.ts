import { lookup as dnsLookup } from 'node:dns';
import { isIPv4 } from 'node:net';
import rtpIo from 'hotline-rtp-io';
import { RTP_HEADER_SIZE, RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { g711Decode, g711Encode } from '../codec/g711.ts';
import { PacketLossConcealer } from '../codec/packet-loss-concealer.ts';
import { InbandDtmfDetector } from '../dtmf/inband-dtmf-detector.ts';
import { Rfc4733Receiver } from '../dtmf/rfc4733-receiver.ts';
import { Rfc4733Sender, type TelephoneEventFrame } from '../dtmf/rfc4733-sender.ts';
import { JitterBuffer, type JitterPacket } from '../jitter/jitter-buffer.ts';
import { FRAME_SAMPLES } from '../stage.ts';
import { type LegSpec, type LegStats, type RemoteAddress, UNLOCK_SILENCE_MS, type WorkerEvent } from './engine-protocol.ts';

/**
 * One RTP endpoint inside a media worker: a UDP socket, G.711 in and out,
 * RFC 4733 and in-band DTMF in, RFC 4733 out, symmetric RTP latching and an
 * inactivity timer. Once per 20 ms tick the media clock calls `sendFrame`
 * (the frame the previous tick prepared), `poll` (read what arrived) and
 * `receiveFrame`.
 *
 * Socket I/O goes through hotline-rtp-io (native/rtp-io, a small addon of
 * ours, see its source for why): the socket is a plain non-blocking
 * descriptor that nothing watches. `poll` reads every waiting datagram with
 * one recvmmsg into the worker's shared slab, each with the kernel's receive
 * time, and hands a copy of its payload to the jitter buffer; `sendFrame`
 * builds the packet in the leg's own buffer (header written by hand, G.711
 * encoded in place) and sends it with one sendto, which copies it into the
 * kernel before it returns, so the buffer is free for the next frame. No
 * event-loop wake-up, callback or allocation per datagram.
 *
 * Socket buffers (design values): 128 KiB requested each way, which Linux
 * doubles to 256 KiB (the request is under Linux's default rmem_max and
 * wmem_max of 208 KiB, so no sysctl is needed). A 172-octet PCMU datagram is charged
 * 832 octets of receive buffer (its skb truesize, measured on loopback), so
 * a leg's socket holds about 315 packets: 6 s of a worker stalled before
 * anything is dropped. A send the kernel cannot take at once (send buffer
 * full) is dropped and counted (`sendDropped`), never queued: a late RTP
 * frame is worth nothing.
 *
 * Strict source (`strictSource`, for trunks with a fixed address): the
 * socket is connected to the remote, so the kernel drops datagrams from any
 * other source and sends go without an address (no route lookup per
 * datagram).
 *
 * Latching: the first valid RTP packet sets the send address when none is
 * known or when it differs; afterwards a new source must send
 * `LATCH_CONFIRM` consecutive valid packets before we move to it, so a stray
 * packet cannot hijack the stream.
 *
 * Locking: while the latched source keeps sending, the socket is connected
 * to it, as a strict-source leg's is: sends need no route lookup and the
 * kernel drops anything injected from elsewhere. After `unlockSilenceMs`
 * (default `UNLOCK_SILENCE_MS`) without a packet from it (the phone stopped, paused for silence
 * suppression, or moved to a new NAT binding) the socket is disconnected
 * and every source is heard again under the latching rule above; the next
 * packet from the latched source locks it again. Only a leg bound to a port
 * of its own locks (Linux forgets an ephemeral port on disconnect).
 */
export const SOCKET_BUFFER_BYTES = 128 * 1024;
const LATCH_CONFIRM = 5;
/** Datagrams read per recvmmsg, and the slab slot of each (larger datagrams are not RTP we take). */
const BATCH = 16;
const SLOT = 2048;
/**
 * The worker's receive slab and its per-datagram metadata (length, source
 * address, source port, age in ms). One media thread runs one leg's poll at
 * a time, and a poll is done with them before it returns (payloads are
 * copied into the jitter buffer), so every leg of the thread shares them.
 */
const SLAB = new Uint8Array(BATCH * SLOT);
const META = new Float64Array(BATCH * 4);
/**
 * The media clock's time of the current tick (ms, the worker's monotonic
 * clock), set by the runtime before it polls (`RtpLeg.tickAt`); read from a
 * typed array so no per-leg call passes a heap-allocated number.
 */
const CLOCK = new Float64Array(1);
/**
 * The clock read right after the current recv call (ms, the same clock).
 * A datagram's age is counted from the native clock read that ends the
 * recv, so its arrival is this minus the age; the tick's time would place
 * every arrival early by however long the tick had run before this leg's
 * poll (the sends, the legs polled before it, a preemption), and that
 * varies from tick to tick: jitter the peer never made.
 */
const RX_CLOCK = new Float64Array(1);
/** This worker's paced sender, when it has one (RtpLeg.useSender). */
let SENDER: rtpIo.Sender | undefined;

export class RtpLeg {
  /** Sets the current tick's time for every leg of this thread (the runtime calls it once per tick). */
  static tickAt(nowMs: number): void {
    CLOCK[0] = nowMs;
  }

  /**
   * Hands this worker's sends to a paced sender (native/rtp-io/sender.c):
   * `sendFrame` then queues its datagram in the sender's batch instead of
   * sending it, and `close` has the sender close the socket once the
   * datagrams queued before are out. undefined: legs send themselves.
   */
  static useSender(sender: rtpIo.Sender | undefined): void {
    SENDER = sender;
  }

  /** The socket's descriptor (-1 before open and after close). */
  private fd = -1;
  /** The socket is connected to `remote` (strict source, or locked to the latched source). */
  private connected = false;
  /** Connected because the latched source is sending (not strict source): see Locking above. */
  private locked = false;
  /** False once a connect for a lock failed: the leg stays unlocked rather than try again on every packet. */
  private lockable = true;
  private spec: LegSpec;
  /**
   * `spec.remote` as an IPv4 number, or -1 while a name is being resolved
   * (nothing is sent), and the same in 16-bit halves. Per-packet values
   * that are passed on are kept in small integers (V8 Smis): an address, an
   * RTP timestamp or an SSRC above 2^30 is a heap-allocated number when it
   * is passed to a function that is not inlined (here the addon's send), and
   * an allocation-sampling profile of a worker at 800 legs put over a
   * quarter of its per-frame garbage on such numbers in the send and
   * receive paths (the halves and the tick clock in a typed array removed
   * most of it).
   */
  private remoteAddr = -1;
  private remoteHi = 0;
  private remoteLo = 0;
  private readonly jitter = new JitterBuffer({ copyPayloads: true });
  private readonly plc = new PacketLossConcealer();
  private readonly dtmfIn = new Rfc4733Receiver();
  private readonly inband: InbandDtmfDetector | undefined;
  private readonly dtmfOut = new Rfc4733Sender();
  private readonly decoded = new Int16Array(FRAME_SAMPLES);
  /** This tick's received audio (reused every tick). */
  private readonly heard = new Int16Array(FRAME_SAMPLES);
  private readonly silence = new Int16Array(FRAME_SAMPLES);
  /** The outgoing packet, built in place every frame (sendto copies it before returning). */
  private out = Buffer.alloc(RTP_HEADER_SIZE + FRAME_SAMPLES);
  /** The received packet's fields and the jitter buffer's input, filled in place per packet. */
  private readonly rx: RtpFields = { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: EMPTY };
  private readonly toJitter: JitterPacket = { sequenceNumber: 0, timestamp: 0, payload: EMPTY, arrivalMs: 0 };
  private pendingDigits: string[] = [];
  private eventFrames: TelephoneEventFrame[] = [];
  private eventDurationMs = 100;
  private latched = false;
  /** A new source (address * 65536 + port) seen in a row, and how often. */
  private candidate: { key: number; count: number } | undefined;
  private seq = Math.floor(Math.random() * 0x10000) | 0;
  /** The next RTP timestamp, in 16-bit halves, and the one a telephone event started at. */
  private tsHi = Math.floor(Math.random() * 0x10000) | 0;
  private tsLo = Math.floor(Math.random() * 0x10000) | 0;
  private eventTsHi = 0;
  private eventTsLo = 0;
  private readonly ssrcHi = Math.floor(Math.random() * 0x10000) | 0;
  private readonly ssrcLo = Math.floor(Math.random() * 0x10000) | 0;
  private lastRxMs: number;
  private inactiveRaised = false;
  private seqState: { ssrc: number; base: number; maxExt: number; received: number; lostBefore: number } | undefined;
  private lostTotal = 0;
  private counts = { packetsIn: 0, packetsOut: 0, bytesIn: 0, rejectedIn: 0, sendDropped: 0, locks: 0 };

  constructor(
    spec: LegSpec,
    private readonly now: () => number,
    private readonly emit: (e: WorkerEvent) => void,
  ) {
    this.spec = ownSpec(spec);
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
  async open(): Promise<number> {
    const fd = rtpIo.open(this.spec.bindAddress, this.spec.localPort, SOCKET_BUFFER_BYTES, SOCKET_BUFFER_BYTES);
    try {
      const r = this.spec.remote;
      if (r) {
        const addr = await resolveIPv4(r.address);
        if (this.spec.remote === r) this.setRemoteAddr(addr);
        if (this.spec.strictSource) {
          rtpIo.connect(fd, ipv4String(addr), r.port);
          this.connected = true;
        }
      }
      this.fd = fd;
      return rtpIo.localPort(fd);
    } catch (err) {
      rtpIo.close(fd);
      throw err;
    }
  }

  update(change: Partial<Pick<LegSpec, 'remote' | 'codec' | 'payloadType' | 'telephoneEventPt'>>): void {
    this.spec = ownSpec({ ...this.spec, ...change });
    const r = change.remote;
    if (!r) return;
    this.latched = false;
    this.setRemoteAddr(-1);
    // a socket locked to the old source hears every source again
    if (this.locked) this.unlock();
    // a strict-source socket is connected again to the new remote (no disconnect in between: that
    // would unhash an ephemeral port); nothing is sent until it is
    this.connected = false;
    // a literal applies at once; a name when resolved (frames due meanwhile are not sent)
    if (isIPv4(r.address)) return this.useRemote(r, ipv4Number(r.address));
    resolveIPv4(r.address).then(
      (addr) => this.useRemote(r, addr),
      (err: Error) => this.emit({ type: 'leg-error', legId: this.id, message: `resolve ${r.address}: ${err.message}` }),
    );
  }

  /** Sends go to `r` (resolved to `addr`) from now on, through a connected socket for a strict-source leg. */
  private useRemote(r: RemoteAddress, addr: number): void {
    if (this.spec.remote !== r || this.fd < 0) return;
    if (this.spec.strictSource) {
      try {
        rtpIo.connect(this.fd, ipv4String(addr), r.port);
        this.connected = true;
      } catch (err) {
        this.emit({ type: 'leg-error', legId: this.id, message: `connect ${r.address}:${r.port}: ${(err as Error).message}` });
        return;
      }
    }
    this.setRemoteAddr(addr);
  }

  private setRemoteAddr(addr: number): void {
    this.remoteAddr = addr;
    this.remoteHi = addr < 0 ? 0 : addr >>> 16;
    this.remoteLo = addr < 0 ? 0 : addr & 0xffff;
  }

  /** Advances the RTP timestamp by one frame. */
  private nextTs(): void {
    this.tsLo += FRAME_SAMPLES;
    if (this.tsLo > 0xffff) {
      this.tsLo -= 0x10000;
      this.tsHi = (this.tsHi + 1) & 0xffff;
    }
  }

  close(): void {
    if (this.fd >= 0) {
      // a datagram of this leg may still wait in the sender: the socket closes after it
      if (SENDER !== undefined) rtpIo.senderClose(SENDER, this.fd);
      else rtpIo.close(this.fd);
    }
    this.fd = -1;
  }

  queueDigits(digits: string, durationMs: number): void {
    this.eventDurationMs = durationMs;
    this.pendingDigits.push(...digits);
  }

  /**
   * Reads every datagram waiting on the socket (the media clock calls it once
   * per tick, before `receiveFrame`). A socket error other than the ICMP
   * "port unreachable" a connected socket hears from a remote that went away
   * (RTP inactivity reports a silent trunk) is reported as `leg-error`.
   */
  poll(): void {
    if (this.fd < 0) return;
    if (this.locked && CLOCK[0]! - this.lastRxMs >= this.spec.unlockSilenceMs!) this.unlock();
    for (;;) {
      const n = rtpIo.recv(this.fd, SLAB, META, BATCH);
      if (n > 0) RX_CLOCK[0] = this.now();
      if (n < 0) {
        if (n === -rtpIo.ECONNREFUSED && this.connected) continue;
        this.emit({ type: 'leg-error', legId: this.id, message: `receive: errno ${-n}` });
        return;
      }
      for (let i = 0; i < n; i++) {
        const len = META[i * 4]!;
        if (len < 0) {
          this.counts.rejectedIn++; // larger than a slot: not RTP we take
          continue;
        }
        this.onPacket(i, len);
      }
      if (n < BATCH) return;
    }
  }

  /** One 20 ms frame of what the peer said (concealed or silence when nothing arrived). */
  receiveFrame(): Int16Array {
    const nowMs = CLOCK[0]!;
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
    if (!remote || this.fd < 0 || this.remoteAddr < 0 || (this.spec.strictSource && !this.connected)) {
      this.nextTs();
      return;
    }
    if (this.eventFrames.length === 0 && this.pendingDigits.length > 0 && this.spec.telephoneEventPt !== undefined) {
      this.eventFrames = this.dtmfOut.processInput({ digit: this.pendingDigits.shift()!, durationMs: this.eventDurationMs });
      this.eventTsHi = this.tsHi;
      this.eventTsLo = this.tsLo;
    }
    let len: number;
    const ev = this.eventFrames.length > 0 ? this.eventFrames.shift() : undefined;
    if (ev && this.spec.telephoneEventPt !== undefined) {
      len = RTP_HEADER_SIZE + ev.payload.length;
      const buf = this.buffer(len);
      writeHeader(buf, (ev.marker ? 0x80 : 0) | this.spec.telephoneEventPt, this.seq, this.eventTsHi, this.eventTsLo, this.ssrcHi, this.ssrcLo);
      buf.set(ev.payload, RTP_HEADER_SIZE);
    } else {
      len = RTP_HEADER_SIZE + pcm.length;
      const buf = this.buffer(len);
      writeHeader(buf, this.spec.payloadType, this.seq, this.tsHi, this.tsLo, this.ssrcHi, this.ssrcLo);
      g711Encode(this.spec.codec, pcm, buf, RTP_HEADER_SIZE);
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.nextTs();
    if (SENDER !== undefined) {
      // Queued for the paced sender (its drops are counted in the worker's sender stats); too large for a batch: sent below.
      // Always with the address, even on a connected socket: the leg may unlock (disconnect) before the datagram goes.
      const queued = rtpIo.senderPut(SENDER, this.fd, this.out, len, this.remoteHi, this.remoteLo, remote.port);
      if (queued === 0) {
        this.counts.packetsOut++;
        return;
      }
    }
    const sent = this.connected ? rtpIo.send(this.fd, this.out, len, 0, 0, 0) : rtpIo.send(this.fd, this.out, len, this.remoteHi, this.remoteLo, remote.port);
    if (sent >= 0) this.counts.packetsOut++;
    else if (sent === -rtpIo.EAGAIN || sent === -rtpIo.ENOBUFS) this.counts.sendDropped++;
    else if (sent === -rtpIo.ECONNREFUSED && this.connected) this.counts.sendDropped++; // an ICMP from the remote's earlier silence
    else this.emit({ type: 'leg-error', legId: this.id, message: `send to ${remote.address}:${remote.port}: errno ${-sent}` });
  }

  stats(): LegStats {
    const j = this.jitter.toJSON();
    return { legId: this.id, ...this.counts, lostIn: this.lostTotal + this.currentLoss(), jitterMs: j.jitterMs, jitterDelayMs: j.targetDelayMs, concealed: j.concealed, latched: this.latched, locked: this.locked };
  }

  /** The leg's packet buffer, at least `len` octets. */
  private buffer(len: number): Buffer {
    if (this.out.length < len) this.out = Buffer.alloc(len);
    return this.out;
  }

  /** Datagram `slot` of the slab, `len` octets (its source and age are in META). */
  private onPacket(slot: number, len: number): void {
    const p = parseSlot(slot, len, this.rx);
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
    this.counts.bytesIn += len;
    const arrivalMs = RX_CLOCK[0]! - META[slot * 4 + 3]!;
    this.lastRxMs = arrivalMs;
    this.inactiveRaised = false;
    this.trackSequence(p);
    if (this.spec.symmetricRtp && !this.spec.strictSource) this.latch(slot);
    if (isEvent) {
      for (const e of this.dtmfIn.processInput({ timestamp: p.timestamp, payload: p.payload })) {
        if (e.type === 'end') this.emit({ type: 'dtmf', legId: this.id, digit: e.digit, source: 'rfc4733', durationMs: e.durationMs });
      }
      return;
    }
    // the jitter buffer copies the payload (a view of the shared slab) into an entry of its own
    const j = this.toJitter;
    j.sequenceNumber = p.sequenceNumber;
    j.timestamp = p.timestamp;
    j.payload = p.payload;
    j.arrivalMs = arrivalMs;
    this.jitter.push(j);
    j.payload = EMPTY;
    p.payload = EMPTY;
  }

  /** Symmetric RTP for datagram `slot`'s source. */
  private latch(slot: number): void {
    const addr = META[slot * 4 + 1]!;
    const addrHi = (addr / 0x10000) | 0;
    const addrLo = (addr % 0x10000) | 0;
    const port = META[slot * 4 + 2]! | 0;
    const cur = this.spec.remote;
    if (cur && this.remoteHi === addrHi && this.remoteLo === addrLo && cur.port === port) {
      this.candidate = undefined;
      this.latched = true;
      if (!this.connected) this.lock(cur);
      return;
    }
    const key = addr * 65536 + port;
    this.candidate = this.candidate?.key === key ? { key, count: this.candidate.count + 1 } : { key, count: 1 };
    if (!this.latched || this.candidate.count >= LATCH_CONFIRM) {
      this.spec.remote = { address: ipv4String(addr), port };
      this.setRemoteAddr(addr);
      this.latched = true;
      this.candidate = undefined;
      this.emit({ type: 'latched', legId: this.id, remote: this.spec.remote });
    }
  }

  /** Connects the socket to the latched source (see Locking above); a leg on an ephemeral port stays unlocked. */
  private lock(r: RemoteAddress): void {
    if (!this.lockable || this.spec.localPort === 0 || this.fd < 0) return;
    try {
      // the address as a number (an SDP may have named the remote by host name)
      rtpIo.connect(this.fd, ipv4String(this.remoteAddr), r.port);
    } catch {
      // stays unlocked for good (a leg-error would end the call): latching still works, sends still name the address
      this.lockable = false;
      return;
    }
    this.connected = true;
    this.locked = true;
    this.counts.locks++;
  }

  /** Undoes lock(): every source is heard again. */
  private unlock(): void {
    this.locked = false;
    this.connected = false;
    if (this.fd >= 0) rtpIo.disconnect(this.fd);
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

/**
 * The leg's own copy of its spec, every field present in one order, so the
 * specs of all legs share one V8 map (hidden class). A copy made by object
 * spread (`{ ...spec }`) does not: V8 gives each spread result a map with no
 * shared transitions, so when latching later added `remote`, every leg's
 * spec got a map of its own (591 distinct among 600 legs, measured with
 * %HaveSameMap). The per-frame reads of `spec` then went megamorphic, and
 * V8's stub cache, too small for hundreds of maps, missed and allocated a
 * new load handler in old space on almost every read: about 70 B per
 * leg-frame at 600 legs on one worker, which mark-compacts had to collect
 * (933,532 dead LoadHandler objects, 29.9 MB, at one collection, from
 * --trace-gc-object-stats).
 */
function ownSpec(s: LegSpec): LegSpec {
  return {
    legId: s.legId,
    bindAddress: s.bindAddress,
    localPort: s.localPort,
    remote: s.remote,
    codec: s.codec,
    payloadType: s.payloadType,
    telephoneEventPt: s.telephoneEventPt,
    inbandDtmf: s.inbandDtmf,
    inactivityMs: s.inactivityMs,
    symmetricRtp: s.symmetricRtp,
    unlockSilenceMs: s.unlockSilenceMs ?? UNLOCK_SILENCE_MS,
    strictSource: s.strictSource,
  };
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
export function parseRtp(msg: Uint8Array, into?: RtpFields): RtpFields | undefined {
  if (msg.length >= RTP_HEADER_SIZE && msg[0] === 0x80) {
    const f = into ?? { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: EMPTY };
    f.payloadType = msg[1]! & 0x7f;
    f.sequenceNumber = (msg[2]! << 8) | msg[3]!;
    f.timestamp = ((msg[4]! << 24) | (msg[5]! << 16) | (msg[6]! << 8) | msg[7]!) >>> 0;
    f.ssrc = ((msg[8]! << 24) | (msg[9]! << 16) | (msg[10]! << 8) | msg[11]!) >>> 0;
    f.payload = msg.subarray(RTP_HEADER_SIZE);
    return f;
  }
  try {
    return RtpPacket.deserialize(msg);
  } catch {
    return undefined;
  }
}

/** Per slab slot, the view of a plain header's payload last used (a new one only when the length changes). */
const PAYLOAD_VIEWS: Uint8Array[] = Array.from({ length: BATCH }, () => EMPTY);

/**
 * parseRtp for datagram `slot` of the slab, without a view per datagram:
 * the plain header is read in place and the payload is the slot's cached
 * view (valid until the next poll); anything else goes through parseRtp.
 */
function parseSlot(slot: number, len: number, into: RtpFields): RtpFields | undefined {
  const o = slot * SLOT;
  const m = SLAB;
  if (len < RTP_HEADER_SIZE || m[o] !== 0x80) return parseRtp(m.subarray(o, o + len), into);
  into.payloadType = m[o + 1]! & 0x7f;
  into.sequenceNumber = (m[o + 2]! << 8) | m[o + 3]!;
  into.timestamp = ((m[o + 4]! << 24) | (m[o + 5]! << 16) | (m[o + 6]! << 8) | m[o + 7]!) >>> 0;
  into.ssrc = ((m[o + 8]! << 24) | (m[o + 9]! << 16) | (m[o + 10]! << 8) | m[o + 11]!) >>> 0;
  let view = PAYLOAD_VIEWS[slot]!;
  if (view.length !== len - RTP_HEADER_SIZE) view = PAYLOAD_VIEWS[slot] = m.subarray(o + RTP_HEADER_SIZE, o + len);
  into.payload = view;
  return into;
}

/** The 12-octet RTP header (version 2, no padding, extension or CSRCs); `b1` is marker and payload type. */
function writeHeader(buf: Buffer, b1: number, seq: number, tsHi: number, tsLo: number, ssrcHi: number, ssrcLo: number): void {
  buf[0] = 0x80;
  buf[1] = b1;
  buf[2] = seq >>> 8;
  buf[3] = seq & 0xff;
  buf[4] = tsHi >>> 8;
  buf[5] = tsHi & 0xff;
  buf[6] = tsLo >>> 8;
  buf[7] = tsLo & 0xff;
  buf[8] = ssrcHi >>> 8;
  buf[9] = ssrcHi & 0xff;
  buf[10] = ssrcLo >>> 8;
  buf[11] = ssrcLo & 0xff;
}

/** An IPv4 address as a number (1.2.3.4 is 0x01020304). */
export function ipv4Number(address: string): number {
  const p = address.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

/** The dotted form of an IPv4 number. */
export function ipv4String(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** A literal at once; a name through dns.lookup (IPv4: the engine's sockets are IPv4). */
function resolveIPv4(host: string): Promise<number> {
  if (isIPv4(host)) return Promise.resolve(ipv4Number(host));
  return new Promise((resolve, reject) => dnsLookup(host, { family: 4 }, (err, address) => (err ? reject(err) : resolve(ipv4Number(address)))));
}

// Test helper: the far end of an engine leg over real UDP. It keeps every
// audio packet the leg sends (decoded, placed on a timeline by RTP
// timestamp, with its arrival time) and sends RFC 4733 digits and tones into
// the leg, paced in real time like a phone.
import { createSocket, type Socket } from 'node:dgram';
import { g711Decode, g711Encode } from '../../src/media/codec/g711.ts';
import { RtpPacket } from '../../src/protocol/rtp/rtp-packet.ts';
import { TelephoneEvent } from '../../src/protocol/rtp/telephone-event.ts';

interface Heard {
  timestamp: number;
  atMs: number;
  pcm: Int16Array;
}

export class RtpPeer {
  readonly heard: Heard[] = [];
  private seq = 1000;
  private ts = 80_000;
  private readonly ssrc = 0x5eed1234;
  private readonly t0 = performance.now();
  private target?: { address: string; port: number };

  private constructor(
    private readonly sock: Socket,
    readonly port: number,
    private readonly pt: { audio: number; event: number },
  ) {
    sock.on('message', (buf) => {
      try {
        const p = RtpPacket.deserialize(buf);
        if (p.payloadType === this.pt.audio) this.heard.push({ timestamp: p.timestamp, atMs: this.now(), pcm: g711Decode('PCMU', p.payload) });
      } catch {
        // not RTP: ignore
      }
    });
  }

  static async start(pt = { audio: 0, event: 101 }): Promise<RtpPeer> {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    return new RtpPeer(sock, sock.address().port, pt);
  }

  /** Milliseconds since the peer started. */
  now(): number {
    return performance.now() - this.t0;
  }

  sendTo(address: string, port: number): void {
    this.target = { address, port };
  }

  /** One RFC 4733 digit: three updates and three end packets, 20 ms apart, as phones send them. */
  async digit(d: string, durationMs = 120): Promise<void> {
    const event = TelephoneEvent.eventOfDigit(d);
    const ts = (this.ts += 160 * 10);
    const steps = Math.max(1, Math.round(durationMs / 20));
    for (let i = 1; i <= steps + 2; i++) {
      const end = i > steps;
      const duration = Math.min(i, steps) * 160;
      this.send(new RtpPacket({ payloadType: this.pt.event, sequenceNumber: this.seq++ & 0xffff, timestamp: ts, ssrc: this.ssrc, marker: i === 1, payload: new TelephoneEvent({ event, end, volume: 10, duration }).serialize() }));
      await sleep(20);
    }
  }

  /** A tone (the caller "speaking") for ms, PCMU, real-time paced. */
  async tone(freq: number, ms: number, dbfs = -12): Promise<void> {
    const amp = 32767 * 10 ** (dbfs / 20);
    const start = performance.now();
    for (let f = 0; f < ms / 20; f++) {
      const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * (f * 160 + i)) / 8000)));
      this.ts += 160;
      this.send(new RtpPacket({ payloadType: this.pt.audio, sequenceNumber: this.seq++ & 0xffff, timestamp: this.ts, ssrc: this.ssrc, payload: g711Encode('PCMU', pcm) }));
      const due = start + (f + 1) * 20;
      await sleep(Math.max(0, due - performance.now()));
    }
  }

  /** Everything heard, as one signal on the sender's timeline (gaps are silence), and when its first sample arrived. */
  audio(): { pcm: Int16Array; firstAtMs: number } {
    if (this.heard.length === 0) return { pcm: new Int16Array(0), firstAtMs: 0 };
    const first = this.heard[0]!;
    const last = this.heard.reduce((m, h) => Math.max(m, (h.timestamp - first.timestamp) >>> 0), 0);
    const out = new Int16Array(last + 160);
    for (const h of this.heard) out.set(h.pcm, (h.timestamp - first.timestamp) >>> 0);
    return { pcm: out, firstAtMs: first.atMs };
  }

  /** Where in `audio().pcm` the listener was at peer time `ms`: the end of the last packet that had arrived by then. */
  sampleAt(ms: number): number {
    const first = this.heard[0];
    if (!first || ms < first.atMs) return 0;
    let lo = 0;
    let hi = this.heard.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.heard[mid]!.atMs <= ms) lo = mid;
      else hi = mid - 1;
    }
    const h = this.heard[lo]!;
    return ((h.timestamp - first.timestamp) >>> 0) + h.pcm.length;
  }

  close(): void {
    this.sock.close();
  }

  private send(p: RtpPacket): void {
    if (this.target) this.sock.send(p.serialize(), this.target.port, this.target.address);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// Test helper: a UDP relay on the media path between a real peer (sipp) and
// an engine leg. It forwards both ways unchanged and keeps a copy of every
// audio packet the leg sends, with its arrival time, so a test can analyse
// what really went out on the wire (not what the engine says it sent).
import { createSocket, type Socket } from 'node:dgram';
import { g711Decode, type G711Law } from '../../src/media/codec/g711.ts';
import { RtpPacket } from '../../src/protocol/rtp/rtp-packet.ts';

export interface RelayedPacket {
  /** Wall-clock arrival, epoch ms. */
  atMs: number;
  timestamp: number;
  pcm: Int16Array;
}

export class RtpRelay {
  readonly fromLeg: RelayedPacket[] = [];
  packetsFromPeer = 0;
  private peer?: { address: string; port: number };
  private leg?: { address: string; port: number };

  private constructor(
    private readonly peerSide: Socket,
    private readonly legSide: Socket,
    private readonly law: G711Law,
    private readonly audioPt: number,
  ) {
    peerSide.on('message', (buf, rinfo) => {
      this.packetsFromPeer++;
      this.peer ??= { address: rinfo.address, port: rinfo.port };
      if (this.leg) legSide.send(buf, this.leg.port, this.leg.address);
    });
    legSide.on('message', (buf) => {
      try {
        const p = RtpPacket.deserialize(buf);
        if (p.payloadType === this.audioPt) this.fromLeg.push({ atMs: Date.now(), timestamp: p.timestamp, pcm: g711Decode(this.law, p.payload) });
      } catch {
        // not RTP
      }
      if (this.peer) peerSide.send(buf, this.peer.port, this.peer.address);
    });
  }

  static async start(law: G711Law, audioPt: number): Promise<RtpRelay> {
    const bind = async () => {
      const s = createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      return s;
    };
    return new RtpRelay(await bind(), await bind(), law, audioPt);
  }

  /** Port the peer sends to (goes in the SDP answer). */
  get peerPort(): number {
    return this.peerSide.address().port;
  }

  /** Port the engine leg sends to (its remote). */
  get legPort(): number {
    return this.legSide.address().port;
  }

  connect(leg: { address: string; port: number }, peer: { address: string; port: number }): void {
    this.leg = leg;
    this.peer = peer;
  }

  /**
   * What the leg sent, as one 8 kHz signal placed by RTP timestamp, and the
   * wall-clock time of its first sample: sample i went out at t0 + i / 8 ms.
   */
  signal(): { pcm: Int16Array; t0: number } {
    const first = this.fromLeg[0];
    if (!first) return { pcm: new Int16Array(0), t0: 0 };
    const end = this.fromLeg.reduce((m, p) => Math.max(m, (p.timestamp - first.timestamp) >>> 0), 0);
    const pcm = new Int16Array(end + 160);
    for (const p of this.fromLeg) pcm.set(p.pcm, (p.timestamp - first.timestamp) >>> 0);
    return { pcm, t0: first.atMs };
  }

  /**
   * Where in `signal()` the caller was at wall-clock `epochMs`: the end of
   * the last packet that had arrived by then (arrival order, not RTP time),
   * so a late or bursty media clock does not shift the windows a test checks.
   */
  sampleAt(epochMs: number): number {
    const first = this.fromLeg[0];
    if (!first) return 0;
    let lo = 0;
    let hi = this.fromLeg.length - 1;
    if (epochMs < first.atMs) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.fromLeg[mid]!.atMs <= epochMs) lo = mid;
      else hi = mid - 1;
    }
    const p = this.fromLeg[lo]!;
    return ((p.timestamp - first.timestamp) >>> 0) + p.pcm.length;
  }

  close(): void {
    this.peerSide.close();
    this.legSide.close();
  }
}

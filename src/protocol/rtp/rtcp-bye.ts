import { RTCP_BYE, readRtcpHeader, rtcpBody, writeRtcpHeader } from './rtcp-header.ts';
import { RtpParseError } from './rtp-errors.ts';

/**
 * Goodbye, PT=203 (RFC 3550 section 6.6).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC (SC of them)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     length    |               reason for leaving (opt)      ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export class RtcpBye {
  readonly type = RTCP_BYE;
  readonly sources: readonly number[];
  readonly reason: string | undefined;

  constructor(sources: number[], reason?: string) {
    if (sources.length > 31) throw new RtpParseError('bad-value', 'at most 31 sources');
    this.sources = sources;
    this.reason = reason;
  }

  static deserialize(buf: Uint8Array, offset = 0): RtcpBye {
    const h = readRtcpHeader(buf, offset);
    if (h.packetType !== RTCP_BYE) throw new RtpParseError('bad-payload-type', `expected BYE, got ${h.packetType}`);
    const body = rtcpBody(buf, offset, h);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    if (body.length < 4 + h.count * 4) throw new RtpParseError('truncated', 'BYE sources');
    const sources: number[] = [];
    for (let i = 0; i < h.count; i++) sources.push(view.getUint32(4 + i * 4));
    let reason: string | undefined;
    const off = 4 + h.count * 4;
    if (off < body.length) {
      const len = body[off]!;
      if (off + 1 + len > body.length) throw new RtpParseError('truncated', 'BYE reason');
      reason = Buffer.from(body.subarray(off + 1, off + 1 + len)).toString('utf8');
    }
    return new RtcpBye(sources, reason);
  }

  serialize(): Buffer {
    const reason = this.reason === undefined ? undefined : Buffer.from(this.reason, 'utf8');
    if (reason && reason.length > 255) throw new RtpParseError('bad-value', 'BYE reason longer than 255 octets');
    const raw = 4 + this.sources.length * 4 + (reason ? 1 + reason.length : 0);
    const size = (raw + 3) & ~3;
    const out = Buffer.alloc(size);
    writeRtcpHeader(new DataView(out.buffer, out.byteOffset, size), this.sources.length, RTCP_BYE, size);
    this.sources.forEach((s, i) => out.writeUInt32BE(s, 4 + i * 4));
    if (reason) {
      out[4 + this.sources.length * 4] = reason.length;
      reason.copy(out, 5 + this.sources.length * 4);
    }
    return out;
  }
}

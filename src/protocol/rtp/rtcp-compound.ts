import { RtcpBye } from './rtcp-bye.ts';
import { RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR, readRtcpHeader } from './rtcp-header.ts';
import { RtcpReceiverReport } from './rtcp-receiver-report.ts';
import { RtcpSdes } from './rtcp-sdes.ts';
import { RtcpSenderReport } from './rtcp-sender-report.ts';
import { RtpParseError } from './rtp-errors.ts';

/** A packet type we do not interpret (APP, feedback, XR): kept as raw bytes. */
export interface RtcpOther {
  readonly type: number;
  readonly raw: Uint8Array;
  serialize(): Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSdes | RtcpBye | RtcpOther;

/**
 * Compound RTCP packet (RFC 3550 section 6.1): packets back to back in one
 * datagram, the first an SR or RR. Parsing checks the first type, as
 * receivers are told to (Appendix A.2), so stray RTP on an RTCP port fails.
 */
export function parseRtcpCompound(buf: Uint8Array): RtcpPacket[] {
  const out: RtcpPacket[] = [];
  let off = 0;
  while (off < buf.length) {
    const h = readRtcpHeader(buf, off);
    if (off === 0 && h.packetType !== RTCP_SR && h.packetType !== RTCP_RR) {
      throw new RtpParseError('bad-payload-type', `compound RTCP must start with SR or RR, got ${h.packetType}`);
    }
    out.push(parseOne(buf, off, h.packetType, h.size));
    off += h.size;
  }
  return out;
}

export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map((p) => p.serialize()));
}

/** True when the datagram looks like RTCP rather than RTP on a muxed port (RFC 5761 section 4). */
export function isRtcp(buf: Uint8Array): boolean {
  const pt = buf[1];
  return buf.length >= 4 && pt !== undefined && pt >= 192 && pt <= 223;
}

function parseOne(buf: Uint8Array, off: number, type: number, size: number): RtcpPacket {
  switch (type) {
    case RTCP_SR:
      return RtcpSenderReport.deserialize(buf, off);
    case RTCP_RR:
      return RtcpReceiverReport.deserialize(buf, off);
    case RTCP_SDES:
      return RtcpSdes.deserialize(buf, off);
    case RTCP_BYE:
      return RtcpBye.deserialize(buf, off);
    default: {
      const raw = buf.slice(off, off + size);
      return { type, raw, serialize: () => raw };
    }
  }
}

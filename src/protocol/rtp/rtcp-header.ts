import { RtpParseError } from './rtp-errors.ts';

/**
 * Common RTCP header (RFC 3550 section 6.4.1).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   RC    |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RC is the report or source count; length is in 32-bit words minus one.
 */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

export interface RtcpHeader {
  padding: boolean;
  count: number;
  packetType: number;
  /** Total packet size in octets, header included. */
  size: number;
}

export function readRtcpHeader(buf: Uint8Array, offset: number): RtcpHeader {
  if (buf.length - offset < 4) throw new RtpParseError('truncated', 'RTCP header');
  const b0 = buf[offset]!;
  if (b0 >> 6 !== 2) throw new RtpParseError('bad-version', `RTCP version ${b0 >> 6}`);
  const size = (((buf[offset + 2]! << 8) | buf[offset + 3]!) + 1) * 4;
  if (offset + size > buf.length) throw new RtpParseError('bad-length', `RTCP length ${size} runs past the datagram`);
  return { padding: (b0 & 0x20) !== 0, count: b0 & 0x1f, packetType: buf[offset + 1]!, size };
}

export function writeRtcpHeader(view: DataView, count: number, packetType: number, size: number): void {
  if (size % 4 !== 0) throw new Error(`RTCP size ${size} is not a multiple of 4`);
  view.setUint8(0, 0x80 | count);
  view.setUint8(1, packetType);
  view.setUint16(2, size / 4 - 1);
}

/** Body of a packet without its padding, as the header's P bit says. */
export function rtcpBody(buf: Uint8Array, offset: number, h: RtcpHeader): Uint8Array {
  let end = offset + h.size;
  if (h.padding) {
    const n = buf[end - 1]!;
    if (n === 0 || n > h.size - 4) throw new RtpParseError('bad-padding', `RTCP padding ${n}`);
    end -= n;
  }
  return buf.subarray(offset, end);
}

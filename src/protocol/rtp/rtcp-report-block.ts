import { RtpParseError } from './rtp-errors.ts';

/**
 * Reception report block (RFC 3550 section 6.4.1), 24 octets.
 *
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * The cumulative loss is a signed 24-bit number (duplicates can make it negative).
 */
export interface ReportBlock {
  ssrc: number;
  fractionLost: number;
  cumulativeLost: number;
  extendedHighestSeq: number;
  jitter: number;
  lastSr: number;
  delaySinceLastSr: number;
}

export const REPORT_BLOCK_SIZE = 24;

export function readReportBlock(view: DataView, off: number): ReportBlock {
  if (view.byteLength < off + REPORT_BLOCK_SIZE) throw new RtpParseError('truncated', 'report block');
  const lost24 = view.getUint32(off + 4) & 0xffffff;
  return {
    ssrc: view.getUint32(off),
    fractionLost: view.getUint8(off + 4),
    cumulativeLost: lost24 & 0x800000 ? lost24 - 0x1000000 : lost24,
    extendedHighestSeq: view.getUint32(off + 8),
    jitter: view.getUint32(off + 12),
    lastSr: view.getUint32(off + 16),
    delaySinceLastSr: view.getUint32(off + 20),
  };
}

export function writeReportBlock(view: DataView, off: number, b: ReportBlock): void {
  if (b.cumulativeLost < -0x800000 || b.cumulativeLost > 0x7fffff) throw new RtpParseError('bad-value', 'cumulative loss out of 24-bit range');
  view.setUint32(off, b.ssrc);
  view.setUint32(off + 4, ((b.fractionLost & 0xff) << 24) | (b.cumulativeLost & 0xffffff));
  view.setUint32(off + 8, b.extendedHighestSeq);
  view.setUint32(off + 12, b.jitter);
  view.setUint32(off + 16, b.lastSr);
  view.setUint32(off + 20, b.delaySinceLastSr);
}

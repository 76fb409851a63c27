import { RTCP_RR, readRtcpHeader, rtcpBody, writeRtcpHeader } from './rtcp-header.ts';
import { REPORT_BLOCK_SIZE, type ReportBlock, readReportBlock, writeReportBlock } from './rtcp-report-block.ts';
import { RtpParseError } from './rtp-errors.ts';

/**
 * Receiver report, PT=201 (RFC 3550 section 6.4.2).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 octets)                |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
export class RtcpReceiverReport {
  readonly type = RTCP_RR;
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];

  constructor(init: { ssrc: number; reports?: ReportBlock[] }) {
    if ((init.reports?.length ?? 0) > 31) throw new RtpParseError('bad-value', 'at most 31 report blocks');
    this.ssrc = init.ssrc;
    this.reports = init.reports ?? [];
  }

  static deserialize(buf: Uint8Array, offset = 0): RtcpReceiverReport {
    const h = readRtcpHeader(buf, offset);
    if (h.packetType !== RTCP_RR) throw new RtpParseError('bad-payload-type', `expected RR, got ${h.packetType}`);
    const body = rtcpBody(buf, offset, h);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    if (body.length < 8 + h.count * REPORT_BLOCK_SIZE) throw new RtpParseError('truncated', 'receiver report');
    const reports: ReportBlock[] = [];
    for (let i = 0; i < h.count; i++) reports.push(readReportBlock(view, 8 + i * REPORT_BLOCK_SIZE));
    return new RtcpReceiverReport({ ssrc: view.getUint32(4), reports });
  }

  serialize(): Buffer {
    const size = 8 + this.reports.length * REPORT_BLOCK_SIZE;
    const out = Buffer.alloc(size);
    const view = new DataView(out.buffer, out.byteOffset, size);
    writeRtcpHeader(view, this.reports.length, RTCP_RR, size);
    view.setUint32(4, this.ssrc);
    this.reports.forEach((r, i) => writeReportBlock(view, 8 + i * REPORT_BLOCK_SIZE, r));
    return out;
  }
}

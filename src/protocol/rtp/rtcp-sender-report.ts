import { RTCP_SR, readRtcpHeader, rtcpBody, writeRtcpHeader } from './rtcp-header.ts';
import { REPORT_BLOCK_SIZE, type ReportBlock, readReportBlock, writeReportBlock } from './rtcp-report-block.ts';
import { RtpParseError } from './rtp-errors.ts';

/**
 * Sender report, PT=200 (RFC 3550 section 6.4.1).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * |             NTP timestamp, least significant word             |
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 octets)                |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
export interface RtcpSenderReportInit {
  ssrc: number;
  ntpMsw: number;
  ntpLsw: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports?: ReportBlock[];
}

export class RtcpSenderReport {
  readonly type = RTCP_SR;
  readonly ssrc: number;
  readonly ntpMsw: number;
  readonly ntpLsw: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];

  constructor(init: RtcpSenderReportInit) {
    if ((init.reports?.length ?? 0) > 31) throw new RtpParseError('bad-value', 'at most 31 report blocks');
    this.ssrc = init.ssrc;
    this.ntpMsw = init.ntpMsw;
    this.ntpLsw = init.ntpLsw;
    this.rtpTimestamp = init.rtpTimestamp;
    this.packetCount = init.packetCount;
    this.octetCount = init.octetCount;
    this.reports = init.reports ?? [];
  }

  /** Unix milliseconds to the 64-bit NTP timestamp halves (RFC 3550 section 4). */
  static ntpFromUnixMs(ms: number): { msw: number; lsw: number } {
    const seconds = Math.floor(ms / 1000);
    const frac = (ms - seconds * 1000) / 1000;
    return { msw: (seconds + 2_208_988_800) >>> 0, lsw: Math.floor(frac * 0x100000000) >>> 0 };
  }

  static deserialize(buf: Uint8Array, offset = 0): RtcpSenderReport {
    const h = readRtcpHeader(buf, offset);
    if (h.packetType !== RTCP_SR) throw new RtpParseError('bad-payload-type', `expected SR, got ${h.packetType}`);
    const body = rtcpBody(buf, offset, h);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    if (body.length < 28 + h.count * REPORT_BLOCK_SIZE) throw new RtpParseError('truncated', 'sender report');
    const reports: ReportBlock[] = [];
    for (let i = 0; i < h.count; i++) reports.push(readReportBlock(view, 28 + i * REPORT_BLOCK_SIZE));
    return new RtcpSenderReport({
      ssrc: view.getUint32(4),
      ntpMsw: view.getUint32(8),
      ntpLsw: view.getUint32(12),
      rtpTimestamp: view.getUint32(16),
      packetCount: view.getUint32(20),
      octetCount: view.getUint32(24),
      reports,
    });
  }

  serialize(): Buffer {
    const size = 28 + this.reports.length * REPORT_BLOCK_SIZE;
    const out = Buffer.alloc(size);
    const view = new DataView(out.buffer, out.byteOffset, size);
    writeRtcpHeader(view, this.reports.length, RTCP_SR, size);
    view.setUint32(4, this.ssrc);
    view.setUint32(8, this.ntpMsw);
    view.setUint32(12, this.ntpLsw);
    view.setUint32(16, this.rtpTimestamp);
    view.setUint32(20, this.packetCount);
    view.setUint32(24, this.octetCount);
    this.reports.forEach((r, i) => writeReportBlock(view, 28 + i * REPORT_BLOCK_SIZE, r));
    return out;
  }
}

import { describe, expect, it } from 'vitest';
import { RtcpBye } from './rtcp-bye.ts';
import { isRtcp, parseRtcpCompound, serializeRtcpCompound } from './rtcp-compound.ts';
import { RtcpReceiverReport } from './rtcp-receiver-report.ts';
import { RtcpSdes } from './rtcp-sdes.ts';
import { RtcpSenderReport } from './rtcp-sender-report.ts';
import { RtpParseError } from './rtp-errors.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// SR with one report block, SDES CNAME "alice@host", BYE "hangup" (RFC 3550 6.4.1, 6.5, 6.6).
const SR = `81c8000c 12345678 e83a5b1c 80000000 0001f400 00000064 00003e80
            9abcdef0 19fffffe 0001002a 0000001f 5b1c8000 00010000`;
const SDES = `81ca0005 12345678 010a616c 69636540 686f7374 00000000`;
const BYE = `81cb0003 12345678 0668616e 67757000`;

describe('RTCP (RFC 3550 section 6) - TEL-3', () => {
  it('parses and re-serializes a compound SR + SDES + BYE byte for byte', () => {
    const golden = hex(SR + SDES + BYE);
    const pkts = parseRtcpCompound(golden);
    expect(pkts.map((p) => p.type)).toEqual([200, 202, 203]);
    const sr = pkts[0] as RtcpSenderReport;
    expect(sr.ssrc).toBe(0x12345678);
    expect(sr.packetCount).toBe(100);
    expect(sr.octetCount).toBe(16000);
    expect(sr.reports[0]).toEqual({
      ssrc: 0x9abcdef0,
      fractionLost: 0x19,
      cumulativeLost: -2,
      extendedHighestSeq: 0x1002a,
      jitter: 31,
      lastSr: 0x5b1c8000,
      delaySinceLastSr: 0x10000,
    });
    expect((pkts[1] as RtcpSdes).cnameOf(0x12345678)).toBe('alice@host');
    expect((pkts[2] as RtcpBye).reason).toBe('hangup');
    expect(serializeRtcpCompound(pkts).equals(golden)).toBe(true);
  });

  it('builds what it parses: RR, CNAME, BYE without reason, SR NTP time', () => {
    const rr = new RtcpReceiverReport({ ssrc: 7 });
    expect(rr.serialize().toString('hex')).toBe('80c9000100000007');
    const sdes = RtcpSdes.cname(7, 'hotline');
    expect(RtcpSdes.deserialize(sdes.serialize()).cnameOf(7)).toBe('hotline');
    expect(sdes.serialize().length % 4).toBe(0);
    expect(new RtcpBye([7, 8]).serialize().toString('hex')).toBe('82cb00020000000700000008');
    const ntp = RtcpSenderReport.ntpFromUnixMs(1_700_000_000_500);
    expect(ntp).toEqual({ msw: 1_700_000_000 + 2_208_988_800, lsw: 0x80000000 });
  });

  it('keeps unknown packet types (APP) as raw bytes', () => {
    const app = '80cc0002 00000007 6e616d65';
    const golden = hex('80c90001 00000007' + app);
    const pkts = parseRtcpCompound(golden);
    expect(pkts[1]!.type).toBe(204);
    expect(serializeRtcpCompound(pkts).equals(golden)).toBe(true);
  });

  it.each([
    ['truncated header', '80c9', 'truncated'],
    ['length past the datagram', '80c90005 00000007', 'bad-length'],
    ['version 0', '00c90001 00000007', 'bad-version'],
    ['compound starting with SDES', SDES, 'bad-payload-type'],
    ['SR too short for its report count', '82c80006 12345678 00000000 00000000 00000000 00000000 00000000', 'truncated'],
  ])('rejects %s', (_n, bytes, code) => {
    let err: unknown;
    try {
      parseRtcpCompound(hex(bytes));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtpParseError);
    expect((err as RtpParseError).code).toBe(code);
  });

  it('tells RTCP from RTP on a muxed port (RFC 5761)', () => {
    expect(isRtcp(hex(SR))).toBe(true);
    expect(isRtcp(hex('80000001 00000000 00000000'))).toBe(false);
    expect(isRtcp(hex('80e5'))).toBe(false);
  });
});

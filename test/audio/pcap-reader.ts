// Test helper: a minimal reader for classic pcap files (not pcapng) holding
// Ethernet II / IPv4 / UDP frames, enough to replay captured RTP in tests.
import { readFileSync } from 'node:fs';

export interface UdpDatagram {
  /** Capture time in microseconds since the epoch. */
  timeUs: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  payload: Buffer;
}

export function readPcapUdp(path: string): UdpDatagram[] {
  const buf = readFileSync(path);
  const magic = buf.readUInt32LE(0);
  let le: boolean;
  if (magic === 0xa1b2c3d4) le = true;
  else if (magic === 0xd4c3b2a1) le = false;
  else throw new Error(`${path}: not a classic pcap file (magic ${magic.toString(16)})`);
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20);
  if (linkType !== 1) throw new Error(`${path}: link type ${linkType}, only Ethernet (1) is supported`);
  const out: UdpDatagram[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const sec = u32(off);
    const usec = u32(off + 4);
    const incl = u32(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    let p = 12;
    let etherType = frame.readUInt16BE(p);
    if (etherType === 0x8100) {
      p += 4;
      etherType = frame.readUInt16BE(p);
    }
    p += 2;
    if (etherType !== 0x0800) continue;
    const ihl = (frame[p]! & 0x0f) * 4;
    if (frame[p + 9] !== 17) continue;
    const totalLen = frame.readUInt16BE(p + 2);
    const ip = (o: number) => `${frame[o]}.${frame[o + 1]}.${frame[o + 2]}.${frame[o + 3]}`;
    const udp = p + ihl;
    const udpLen = frame.readUInt16BE(udp + 4);
    if (udpLen > totalLen - ihl) throw new Error(`${path}: UDP length past the IP packet`);
    out.push({
      timeUs: sec * 1e6 + usec,
      srcAddr: ip(p + 12),
      dstAddr: ip(p + 16),
      srcPort: frame.readUInt16BE(udp),
      dstPort: frame.readUInt16BE(udp + 2),
      payload: Buffer.from(frame.subarray(udp + 8, udp + udpLen)),
    });
  }
  return out;
}

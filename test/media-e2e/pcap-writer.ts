// Test helper: writes RTP packets into a classic pcap file (Ethernet II /
// IPv4 / UDP), the input sipp's play_pcap_audio replays in real time.
import { writeFileSync } from 'node:fs';

export interface PcapRtp {
  timeUs: number;
  payload: Uint8Array;
}

export function writePcapUdp(path: string, packets: PcapRtp[], srcPort = 6000, dstPort = 6000): void {
  const chunks: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // Ethernet
  chunks.push(global);
  for (const p of packets) {
    const udpLen = 8 + p.payload.length;
    const ipLen = 20 + udpLen;
    const frame = Buffer.alloc(14 + ipLen);
    frame.writeUInt16BE(0x0800, 12);
    const ip = 14;
    frame[ip] = 0x45;
    frame.writeUInt16BE(ipLen, ip + 2);
    frame[ip + 8] = 64;
    frame[ip + 9] = 17;
    Buffer.from([127, 0, 0, 1]).copy(frame, ip + 12);
    Buffer.from([127, 0, 0, 1]).copy(frame, ip + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += frame.readUInt16BE(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    frame.writeUInt16BE(~sum & 0xffff, ip + 10);
    const udp = ip + 20;
    frame.writeUInt16BE(srcPort, udp);
    frame.writeUInt16BE(dstPort, udp + 2);
    frame.writeUInt16BE(udpLen, udp + 4);
    Buffer.from(p.payload).copy(frame, udp + 8);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.timeUs / 1e6), 0);
    rec.writeUInt32LE(p.timeUs % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    chunks.push(rec, frame);
  }
  writeFileSync(path, Buffer.concat(chunks));
}

/**
 * Audio helpers for the gateway's real-peer tests: a G.711 tone as a pcap
 * for sipp's play_pcap_audio, and a per-frame tone census of a recording
 * (which tone is present, alone, in how many 20 ms frames).
 */
import { readFileSync } from 'node:fs';
import { RtpPacket } from '../../src/protocol/rtp/rtp-packet.ts';
import { g711Encode } from '../../src/media/codec/g711.ts';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { toneDbfs } from '../audio/analysis.ts';
import { writePcapUdp } from '../media-e2e/pcap-writer.ts';

/** `ms` of a sine at `hz`, -12 dBFS, PCMU (PT 0) in 20 ms packets. */
export function writeTonePcap(path: string, hz: number, ms: number): void {
  const amp = 32767 * 10 ** (-12 / 20);
  const packets = [];
  for (let f = 0; f < ms / 20; f++) {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * (f * 160 + i)) / 8000)));
    const rtp = new RtpPacket({ payloadType: 0, sequenceNumber: 2000 + f, timestamp: 80000 + f * 160, ssrc: 0x5eed0000 + hz, marker: f === 0, payload: g711Encode('PCMU', pcm) });
    packets.push({ timeUs: 1_700_000_000_000_000 + f * 20_000, payload: rtp.serialize() });
  }
  writePcapUdp(path, packets);
}

/** Number of 20 ms frames in which `hz` is clearly present (> -30 dBFS) and each of `absent` is not (< -45 dBFS). */
export function framesWithTone(samples: Int16Array, hz: number, absent: number[], rate = 8000): number {
  const n = Math.round(rate / 50);
  let count = 0;
  for (let off = 0; off + n <= samples.length; off += n) {
    const f = samples.subarray(off, off + n);
    if (toneDbfs(f, hz, rate) > -30 && absent.every((a) => toneDbfs(f, a, rate) < -45)) count++;
  }
  return count;
}

/** Number of 20 ms frames in which `hz` is audible at all (> -40 dBFS). */
export function framesHearing(samples: Int16Array, hz: number, rate = 8000): number {
  const n = Math.round(rate / 50);
  let count = 0;
  for (let off = 0; off + n <= samples.length; off += n) if (toneDbfs(samples.subarray(off, off + n), hz, rate) > -40) count++;
  return count;
}

export function readChannels(path: string): { rate: number; channels: Int16Array[] } {
  const w = readWav(readFileSync(path));
  return { rate: w.sampleRate, channels: w.channels };
}

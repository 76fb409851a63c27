import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { g711Decode, g711Encode, g711Silence } from './g711.ts';

const all16 = () => {
  const a = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) a[i] = i - 32768;
  return a;
};
const all8 = () => Uint8Array.from({ length: 256 }, (_, i) => i);

describe('G.711 lookup tables - TEL-3', () => {
  it('mu-law encodes every 16-bit sample exactly like alawmulaw', () => {
    const pcm = all16();
    expect(Buffer.from(g711Encode('PCMU', pcm)).equals(Buffer.from(alawmulaw.mulaw.encode(pcm)))).toBe(true);
  });
  it('A-law agrees with alawmulaw except at negative decision levels, where we follow ITU-T G.191 (one\'s complement)', () => {
    const pcm = all16();
    const ours = g711Encode('PCMA', pcm);
    const theirs = alawmulaw.alaw.encode(pcm);
    const differing: number[] = [];
    for (let i = 0; i < pcm.length; i++) if (ours[i] !== theirs[i]) differing.push(pcm[i]!);
    // G.191 maps x < 0 to ~x before quantizing; alawmulaw uses -x. They differ only on the
    // first sample of each negative step, by one step, and both are within G.711 tolerance.
    expect(differing.every((x) => x < 0)).toBe(true);
    expect(differing.length).toBeLessThanOrEqual(128);
    for (const x of differing) {
      expect(ours[x + 32768]).toBe(g711Encode('PCMA', Int16Array.of(x + 1))[0]);
    }
  });
  it.each(['PCMU', 'PCMA'] as const)('%s decodes all 256 codes like alawmulaw and re-encodes them to themselves', (law) => {
    const ref = law === 'PCMU' ? alawmulaw.mulaw.decode(all8()) : alawmulaw.alaw.decode(all8());
    const dec = g711Decode(law, all8());
    expect(Array.from(dec)).toEqual(Array.from(ref));
    const back = g711Encode(law, dec);
    // mu-law has two codes for zero (0x7f and 0xff); everything else maps back to itself.
    const diff = Array.from(back).map((b, i) => (b === i ? -1 : i)).filter((i) => i >= 0);
    expect(diff).toEqual(law === 'PCMU' ? [0x7f] : []);
  });
  it('known points: silence, full scale, sign', () => {
    expect(g711Encode('PCMU', Int16Array.of(0, 32767, -32768))).toEqual(Uint8Array.of(0xff, 0x80, 0x00));
    expect(g711Encode('PCMA', Int16Array.of(0, 32767, -32768))).toEqual(Uint8Array.of(0xd5, 0xaa, 0x2a));
    expect(g711Decode('PCMU', Uint8Array.of(g711Silence('PCMU')))[0]).toBe(0);
    expect(Math.abs(g711Decode('PCMA', Uint8Array.of(g711Silence('PCMA')))[0]!)).toBe(8);
  });
  it('quantization error stays within the G.711 segment step (SNR > 35 dB on a sine)', () => {
    const pcm = Int16Array.from({ length: 8000 }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 8000 + 0.3)));
    for (const law of ['PCMU', 'PCMA'] as const) {
      const out = g711Decode(law, g711Encode(law, pcm));
      let sig = 0;
      let err = 0;
      for (let i = 0; i < pcm.length; i++) {
        sig += pcm[i]! ** 2;
        err += (pcm[i]! - out[i]!) ** 2;
      }
      expect(10 * Math.log10(sig / err)).toBeGreaterThan(35);
    }
  });
  it('encodes at an offset into a packet buffer, leaving the header alone', () => {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => (i - 80) * 300);
    for (const law of ['PCMU', 'PCMA'] as const) {
      const pkt = new Uint8Array(172).fill(0xaa);
      g711Encode(law, pcm, pkt, 12);
      expect(Array.from(pkt.subarray(0, 12))).toEqual(new Array(12).fill(0xaa));
      expect(Array.from(pkt.subarray(12))).toEqual(Array.from(g711Encode(law, pcm)));
    }
  });
});

/**
 * G.711 (ITU-T G.711) mu-law and A-law with lookup tables.
 *
 * Decoding is one Int16Array[256] read per byte. Encoding is one read from a
 * 64 KiB Uint8Array indexed by the 16-bit sample. The tables are computed once
 * at load from the segment arithmetic below. Measured against alawmulaw in
 * test/audio/g711-bench.ts (issue 3 report): the tables are several times
 * faster per 20 ms frame. mu-law bytes are identical to alawmulaw's; A-law
 * follows ITU-T G.191 (negative samples quantized as ~x, not -x), which
 * differs from alawmulaw by one step on 127 of the 65,536 inputs.
 */
const MU_BIAS = 0x84;
const MU_CLIP = 32635;

/** mu-law: 14-bit magnitude plus bias, 8 segments, 4-bit mantissa, bits inverted. */
function muEncodeSlow(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > MU_CLIP) s = MU_CLIP;
  s += MU_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function muDecodeSlow(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + MU_BIAS) << exponent) - MU_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

/** A-law: 13-bit magnitude, segment 0 and 1 linear, even bits inverted (xor 0x55). */
function aEncodeSlow(sample: number): number {
  let v = sample >> 3;
  let mask: number;
  if (v >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    v = -v - 1;
  }
  let seg = 0;
  while (seg < 8 && v > (0x20 << seg) - 1) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  const mantissa = seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return ((seg << 4) | mantissa) ^ mask;
}

function aDecodeSlow(byte: number): number {
  const a = byte ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  if (seg === 0) t += 8;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function buildDecode(fn: (b: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let b = 0; b < 256; b++) t[b] = fn(b);
  return t;
}

function buildEncode(fn: (s: number) => number): Uint8Array {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = fn(i < 32768 ? i : i - 65536);
  return t;
}

export const MULAW_DECODE = buildDecode(muDecodeSlow);
export const ALAW_DECODE = buildDecode(aDecodeSlow);
const MULAW_ENCODE = buildEncode(muEncodeSlow);
const ALAW_ENCODE = buildEncode(aEncodeSlow);

export type G711Law = 'PCMU' | 'PCMA';

/**
 * Encodes 16-bit PCM into `out` (allocated when absent) from index `offset`
 * on (a packet buffer past its RTP header, without a subarray view per
 * packet).
 */
export function g711Encode(law: G711Law, pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length), offset = 0): Uint8Array {
  const table = law === 'PCMU' ? MULAW_ENCODE : ALAW_ENCODE;
  for (let i = 0; i < pcm.length; i++) out[offset + i] = table[pcm[i]! & 0xffff]!;
  return out;
}

/** Decodes G.711 bytes into `out` (allocated when absent). */
export function g711Decode(law: G711Law, bytes: Uint8Array, out = new Int16Array(bytes.length)): Int16Array {
  const table = law === 'PCMU' ? MULAW_DECODE : ALAW_DECODE;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]!]!;
  return out;
}

/** The byte of digital silence: what a muted or idle sender puts in a frame. */
export function g711Silence(law: G711Law): number {
  return law === 'PCMU' ? 0xff : 0xd5;
}

import { ALAW_DECODE, MULAW_DECODE } from '../codec/g711.ts';
import { WAV_ALAW, WAV_EXTENSIBLE, WAV_MULAW, WAV_PCM } from './wav-format.ts';

/** Decoded WAV audio: one Int16Array per channel. */
export interface WavAudio {
  sampleRate: number;
  channels: Int16Array[];
  format: 'pcm16' | 'alaw' | 'mulaw';
}

export type WavErrorCode = 'not-wav' | 'unsupported-format' | 'truncated';

export class WavError extends Error {
  readonly code: WavErrorCode;
  constructor(code: WavErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'WavError';
    this.code = code;
  }
}

/**
 * Reads RIFF/WAVE: 16-bit PCM, G.711 A-law and mu-law (8-bit), plain or
 * WAVE_FORMAT_EXTENSIBLE; any rate, any channel count. Chunks it does not
 * need (LIST, fact, ...) are skipped. A data size of 0 or past the end (a
 * recording that was never closed, or a stream) reads to the end of the file.
 */
export function readWav(buf: Uint8Array): WavAudio {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new WavError('not-wav', 'no RIFF/WAVE header');
  let off = 12;
  let fmt: { tag: number; channels: number; rate: number; bits: number } | undefined;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    let size = b.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) throw new WavError('truncated', 'fmt chunk');
      let tag = b.readUInt16LE(body);
      if (tag === WAV_EXTENSIBLE && size >= 40) tag = b.readUInt16LE(body + 24); // SubFormat GUID starts with the tag
      fmt = { tag, channels: b.readUInt16LE(body + 2), rate: b.readUInt32LE(body + 4), bits: b.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('not-wav', 'data before fmt');
      if (size === 0 || body + size > b.length) size = b.length - body;
      return decode(fmt, b.subarray(body, body + size));
    }
    off = body + size + (size & 1);
  }
  throw new WavError('truncated', 'no data chunk');
}

function decode(fmt: { tag: number; channels: number; rate: number; bits: number }, data: Buffer): WavAudio {
  const ch = fmt.channels;
  if (ch < 1 || fmt.rate < 1) throw new WavError('unsupported-format', `channels ${ch}, rate ${fmt.rate}`);
  if (fmt.tag === WAV_PCM && fmt.bits === 16) {
    const frames = Math.floor(data.length / (2 * ch));
    const channels = Array.from({ length: ch }, () => new Int16Array(frames));
    for (let i = 0; i < frames; i++) for (let c = 0; c < ch; c++) channels[c]![i] = data.readInt16LE((i * ch + c) * 2);
    return { sampleRate: fmt.rate, channels, format: 'pcm16' };
  }
  if ((fmt.tag === WAV_ALAW || fmt.tag === WAV_MULAW) && fmt.bits === 8) {
    const table = fmt.tag === WAV_ALAW ? ALAW_DECODE : MULAW_DECODE;
    const frames = Math.floor(data.length / ch);
    const channels = Array.from({ length: ch }, () => new Int16Array(frames));
    for (let i = 0; i < frames; i++) for (let c = 0; c < ch; c++) channels[c]![i] = table[data[i * ch + c]!]!;
    return { sampleRate: fmt.rate, channels, format: fmt.tag === WAV_ALAW ? 'alaw' : 'mulaw' };
  }
  throw new WavError('unsupported-format', `format tag ${fmt.tag} with ${fmt.bits} bits`);
}

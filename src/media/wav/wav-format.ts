/**
 * RIFF/WAVE header (canonical 44-octet form for PCM, as we write it):
 *
 * offset  size  field
 *      0     4  "RIFF"
 *      4     4  file size - 8           (fixed up on stop)
 *      8     4  "WAVE"
 *     12     4  "fmt "
 *     16     4  16
 *     20     2  format: 1 PCM, 6 A-law, 7 mu-law, 0xFFFE extensible
 *     22     2  channels
 *     24     4  sample rate
 *     28     4  byte rate
 *     32     2  block align
 *     34     2  bits per sample
 *     36     4  "data"
 *     40     4  data size              (fixed up on stop)
 */
export const WAV_PCM = 1;
export const WAV_ALAW = 6;
export const WAV_MULAW = 7;
export const WAV_EXTENSIBLE = 0xfffe;
export const WAV_HEADER_SIZE = 44;

export function wavHeader(channels: number, sampleRate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_SIZE);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(WAV_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

// Micro-benchmark: G.711 encode/decode of 20 ms frames, our lookup tables
// against npm alawmulaw. Run: node bin/run-ts.js test/audio/g711-bench.ts
// Progress on stderr; one JSON object on the last stdout line.
import alawmulaw from 'alawmulaw';
import { g711Decode, g711Encode } from '../../src/media/codec/g711.ts';

const FRAMES = 200_000;
const frame = Int16Array.from({ length: 160 }, (_, i) => Math.round(12000 * Math.sin(i * 0.37) + 3000 * Math.sin(i * 1.9)));
const bytesU = g711Encode('PCMU', frame);
const bytesA = g711Encode('PCMA', frame);
const outB = new Uint8Array(160);
const outS = new Int16Array(160);

function time(name: string, fn: () => void): number {
  for (let i = 0; i < 20_000; i++) fn(); // warm up the JIT
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) fn();
  const ns = Number(process.hrtime.bigint() - t0) / FRAMES;
  process.stderr.write(`${name.padEnd(28)} ${ns.toFixed(0).padStart(6)} ns/frame\n`);
  return Math.round(ns);
}

const r = {
  bench: 'g711',
  frame_samples: 160,
  table_mulaw_encode_ns: time('table mu-law encode', () => g711Encode('PCMU', frame, outB)),
  alawmulaw_mulaw_encode_ns: time('alawmulaw mu-law encode', () => alawmulaw.mulaw.encode(frame)),
  table_alaw_encode_ns: time('table A-law encode', () => g711Encode('PCMA', frame, outB)),
  alawmulaw_alaw_encode_ns: time('alawmulaw A-law encode', () => alawmulaw.alaw.encode(frame)),
  table_mulaw_decode_ns: time('table mu-law decode', () => g711Decode('PCMU', bytesU, outS)),
  alawmulaw_mulaw_decode_ns: time('alawmulaw mu-law decode', () => alawmulaw.mulaw.decode(bytesU)),
  table_alaw_decode_ns: time('table A-law decode', () => g711Decode('PCMA', bytesA, outS)),
  alawmulaw_alaw_decode_ns: time('alawmulaw A-law decode', () => alawmulaw.alaw.decode(bytesA)),
};
process.stdout.write(`${JSON.stringify(r)}\n`);

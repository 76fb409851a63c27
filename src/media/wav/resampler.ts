/**
 * Sample-rate conversion by a windowed-sinc polyphase filter (Kaiser window,
 * beta 8, 16 zero crossings each side). For a ratio up/down = out/in reduced
 * by their gcd, output sample m sits at input time m*down/up; its fractional
 * position is one of `up` phases, each with its own precomputed taps. When
 * downsampling, the cutoff is lowered to 0.9 x the output Nyquist so nothing
 * above 3.6 kHz folds back into the 8 kHz band (a naive decimation would).
 */
const ZERO_CROSSINGS = 16;
const BETA = 8;

export function resample(input: Int16Array, inRate: number, outRate: number): Int16Array {
  if (inRate === outRate) return Int16Array.from(input);
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  const cutoff = Math.min(1, outRate / inRate) * 0.9; // of the input Nyquist
  const half = Math.ceil(ZERO_CROSSINGS / cutoff);
  const taps = 2 * half;
  const bank = new Float32Array(up * taps);
  const i0 = besselI0(BETA);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const t = k - half + 1 - frac; // distance from the output instant, input samples
      const x = t * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / half;
      const win = Math.abs(r) >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - r * r)) / i0;
      const h = cutoff * sinc * win;
      bank[p * taps + k] = h;
      sum += h;
    }
    for (let k = 0; k < taps; k++) bank[p * taps + k]! /= sum; // unity gain at DC per phase
  }
  const outLen = Math.floor((input.length * up) / down);
  const out = new Int16Array(outLen);
  for (let m = 0; m < outLen; m++) {
    const pos = m * down;
    const base = Math.floor(pos / up);
    const phase = pos - base * up;
    let acc = 0;
    const start = base - half + 1;
    const off = phase * taps;
    for (let k = 0; k < taps; k++) {
      const idx = start + k;
      if (idx >= 0 && idx < input.length) acc += input[idx]! * bank[off + k]!;
    }
    out[m] = acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc);
  }
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

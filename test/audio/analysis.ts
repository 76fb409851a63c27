// Test helpers for "How audio is checked in tests" (DESIGN.md): tone levels by
// Goertzel, RMS level, speech-energy presence and duration.

/**
 * Level of one frequency component in dBFS of its amplitude (a full-scale sine
 * at f reads 0 dBFS). A Hann window keeps neighbouring tones from leaking in.
 */
export function toneDbfs(samples: ArrayLike<number>, freq: number, sampleRate = 8000): number {
  const n = samples.length;
  if (n === 0) return -Infinity;
  const w = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const win = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    wsum += win;
    const s0 = samples[i]! * win + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const re = s1 - s2 * Math.cos(w);
  const im = s2 * Math.sin(w);
  const amplitude = (2 * Math.sqrt(re * re + im * im)) / wsum;
  return 20 * Math.log10(Math.max(amplitude, 1e-9) / 32767);
}

/** RMS level in dBFS (a full-scale square wave is 0; a full-scale sine about -3). */
export function rmsDbfs(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return 20 * Math.log10(Math.max(rms, 1e-9) / 32767);
}

export interface SpeechActivity {
  /** Milliseconds of 20 ms frames above the threshold. */
  activeMs: number;
  firstMs: number | undefined;
  lastMs: number | undefined;
}

/** Frames of speech energy above thresholdDbfs. */
export function speechActivity(samples: ArrayLike<number>, sampleRate = 8000, thresholdDbfs = -45): SpeechActivity {
  const frame = Math.round(sampleRate / 50);
  let active = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (let off = 0; off + frame <= samples.length; off += frame) {
    const chunk = Array.prototype.slice.call(samples, off, off + frame) as number[];
    if (rmsDbfs(chunk) > thresholdDbfs) {
      active += 20;
      const t = (off / sampleRate) * 1000;
      first ??= t;
      last = t + 20;
    }
  }
  return { activeMs: active, firstMs: first, lastMs: last };
}

/** Slice of a signal between two times in seconds. */
export function between(samples: Int16Array, fromS: number, toS: number, sampleRate = 8000): Int16Array {
  return samples.subarray(Math.round(fromS * sampleRate), Math.round(toS * sampleRate));
}

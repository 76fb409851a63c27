import { FRAME_SAMPLES, type MediaStage, SAMPLE_RATE } from '../stage.ts';
import { resample } from './resampler.ts';
import { type WavAudio, readWav } from './wav-reader.ts';

/**
 * Plays WAV audio as 8 kHz mono frames: stereo is averaged to mono, other
 * rates are resampled (windowed sinc), G.711 WAVs are decoded. With `loop`
 * (music on hold) it wraps around forever; otherwise it pads the last frame
 * with silence and reports `done`.
 */
export interface WavPlayerOptions {
  loop: boolean;
  frameSamples: number;
}

export class WavPlayer implements MediaStage<void, Int16Array | undefined> {
  private readonly o: WavPlayerOptions;
  readonly pcm: Int16Array;
  private pos = 0;
  private loops = 0;
  private frames = 0;

  constructor(audio: WavAudio | Uint8Array, options: Partial<WavPlayerOptions> = {}) {
    this.o = { loop: false, frameSamples: FRAME_SAMPLES, ...options };
    const wav = audio instanceof Uint8Array ? readWav(audio) : audio;
    this.pcm = resample(toMono(wav.channels), wav.sampleRate, SAMPLE_RATE);
  }

  get done(): boolean {
    return !this.o.loop && this.pos >= this.pcm.length;
  }

  /** The next frame, or undefined once a non-looping file has ended. */
  processInput(): Int16Array | undefined {
    const n = this.o.frameSamples;
    if (this.done || this.pcm.length === 0) return undefined;
    const out = new Int16Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.pos >= this.pcm.length) {
        if (!this.o.loop) break;
        this.pos = 0;
        this.loops++;
      }
      const take = Math.min(n - filled, this.pcm.length - this.pos);
      out.set(this.pcm.subarray(this.pos, this.pos + take), filled);
      filled += take;
      this.pos += take;
    }
    this.frames++;
    return out;
  }

  toJSON() {
    return { seconds: this.pcm.length / SAMPLE_RATE, frames: this.frames, loops: this.loops, done: this.done };
  }
}

function toMono(channels: Int16Array[]): Int16Array {
  if (channels.length === 1) return channels[0]!;
  const n = channels[0]?.length ?? 0;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const c of channels) s += c[i]!;
    out[i] = Math.round(s / channels.length);
  }
  return out;
}

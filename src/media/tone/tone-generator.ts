import { FRAME_SAMPLES, type MediaStage, SAMPLE_RATE } from '../stage.ts';
import { COUNTRY_TONES, type ProgressTone, type TonePlan, dtmfFrequencies } from './tone-plans.ts';

/**
 * Generates tones frame by frame with continuous phase: call-progress tones
 * from a country plan (CN by default) with their cadence, or a DTMF pair.
 * processInput(n) returns the next n samples.
 */
export interface ToneGeneratorOptions {
  sampleRate: number;
  /** Level of each frequency component, dBFS of its peak (0 = full scale). */
  levelDbfs: number;
  /** Low-group/high-group level difference for DTMF (positive: high louder). */
  twistDb: number;
  country: string;
}

const DEFAULTS: ToneGeneratorOptions = { sampleRate: SAMPLE_RATE, levelDbfs: -12, twistDb: 0, country: 'CN' };

export class ToneGenerator implements MediaStage<number | undefined, Int16Array> {
  private readonly o: ToneGeneratorOptions;
  private plan: TonePlan = { frequencies: [], cadence: [] };
  private amplitudes: number[] = [];
  private sample = 0;
  private generated = 0;
  private name = 'silence';

  constructor(options: Partial<ToneGeneratorOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
    if (!COUNTRY_TONES[this.o.country]) throw new RangeError(`no tone plan for country ${this.o.country}`);
  }

  /** Starts a call-progress tone of the configured country. */
  progress(tone: ProgressTone): this {
    return this.play(COUNTRY_TONES[this.o.country]![tone], tone);
  }

  /** Starts a continuous DTMF pair (the caller decides how long to play it). */
  dtmf(digit: string): this {
    const [lo, hi] = dtmfFrequencies(digit);
    const a = this.amplitude();
    const half = this.o.twistDb / 2;
    this.plan = { frequencies: [lo, hi], cadence: [] };
    this.amplitudes = [a * 10 ** (-half / 20), a * 10 ** (half / 20)];
    this.sample = 0;
    this.name = `dtmf-${digit}`;
    return this;
  }

  /** Any frequencies with a cadence (for tests and custom plans). */
  play(plan: TonePlan, name = 'custom'): this {
    this.plan = plan;
    this.amplitudes = plan.frequencies.map(() => this.amplitude());
    this.sample = 0;
    this.name = name;
    return this;
  }

  stop(): this {
    this.plan = { frequencies: [], cadence: [] };
    this.name = 'silence';
    return this;
  }

  processInput(samples = FRAME_SAMPLES): Int16Array {
    const out = new Int16Array(samples);
    const { frequencies, cadence } = this.plan;
    const period = cadence.reduce((a, b) => a + b, 0);
    const sr = this.o.sampleRate;
    for (let i = 0; i < samples; i++, this.sample++) {
      if (period > 0 && !this.onAt(((this.sample * 1000) / sr) % period)) continue;
      let v = 0;
      for (let k = 0; k < frequencies.length; k++) v += this.amplitudes[k]! * Math.sin((2 * Math.PI * frequencies[k]! * this.sample) / sr);
      out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
    }
    this.generated += samples;
    return out;
  }

  toJSON() {
    return { tone: this.name, samples: this.generated };
  }

  private onAt(ms: number): boolean {
    let t = 0;
    const c = this.plan.cadence;
    for (let k = 0; k < c.length; k++) {
      t += c[k]!;
      if (ms < t) return k % 2 === 0;
    }
    return false;
  }

  private amplitude(): number {
    return 32767 * 10 ** (this.o.levelDbfs / 20);
  }
}

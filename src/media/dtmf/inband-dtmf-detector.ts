import { type MediaStage, SAMPLE_RATE } from '../stage.ts';
import { DTMF_COLS, DTMF_KEYPAD, DTMF_ROWS } from '../tone/tone-plans.ts';

/**
 * In-band DTMF detector (ITU-T Q.24 limits) on 8 kHz linear PCM.
 *
 * Every `hop` samples a 20 ms window is analysed:
 * 1. DFT power at the 8 DTMF frequencies; the strongest row and column must be
 *    above `minToneDbfs` and `relativePeakDb` above the others of their group;
 * 2. twist: column over row at most `normalTwistDb`, row over column at most
 *    `reverseTwistDb`;
 * 3. energy ratio: the two tones hold at least `minEnergyRatio` of the window
 *    energy (speech and noise spread theirs);
 * 4. frequency: each tone's actual frequency is measured from the phase
 *    advance of its DFT between two overlapping sub-windows, and must be
 *    within `maxDeviation` of nominal (Q.24: operate within 1.5 %, not beyond
 *    3.5 %; we cut at 2.5 %);
 * 5. second harmonic: a pure tone has none; voiced speech does. The 2nd
 *    harmonic must be `harmonicRejectDb` below its fundamental (checked where
 *    no other DTMF tone sits next to it).
 * 6. steadiness: the two halves of the window are within 6 dB of each other,
 *    so windows straddling a tone edge do not count.
 * A digit begins after `minToneMs` of consecutive valid windows and ends after
 * `minPauseMs` of windows without it (Q.24: 40 ms tone, 40 ms pause; breaks
 * of 10 ms are bridged).
 */
export interface InbandDtmfOptions {
  sampleRate: number;
  windowSamples: number;
  hopSamples: number;
  minToneDbfs: number;
  relativePeakDb: number;
  normalTwistDb: number;
  reverseTwistDb: number;
  minEnergyRatio: number;
  maxDeviation: number;
  harmonicRejectDb: number;
  minToneMs: number;
  minPauseMs: number;
}

export type InbandDtmfEvent = { type: 'begin'; digit: string; sample: number } | { type: 'end'; digit: string; sample: number; durationMs: number };

const DEFAULTS: InbandDtmfOptions = {
  sampleRate: SAMPLE_RATE,
  windowSamples: 160,
  hopSamples: 40,
  minToneDbfs: -36,
  relativePeakDb: 8,
  normalTwistDb: 8,
  reverseTwistDb: 4,
  minEnergyRatio: 0.8,
  maxDeviation: 0.025,
  harmonicRejectDb: 20,
  minToneMs: 40,
  minPauseMs: 40,
};

const FREQS = [...DTMF_ROWS, ...DTMF_COLS];
/** Phase-advance lag for the frequency measurement: unambiguous within +-fs/(2 lag) = 125 Hz. */
const LAG = 32;

export class InbandDtmfDetector implements MediaStage<Int16Array, InbandDtmfEvent[]> {
  private readonly o: InbandDtmfOptions;
  private readonly buf: Float64Array;
  private fill = 0;
  private consumed = 0;
  private readonly cos: Float64Array[];
  private readonly sin: Float64Array[];
  private candidate: string | undefined;
  private candidateCount = 0;
  private active: { digit: string; start: number } | undefined;
  private missCount = 0;
  private counts = { windows: 0, validWindows: 0, digits: 0, rejectedDeviation: 0, rejectedTwist: 0, rejectedRatio: 0, rejectedHarmonic: 0 };

  constructor(options: Partial<InbandDtmfOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
    this.buf = new Float64Array(this.o.windowSamples);
    const n = this.o.windowSamples;
    const all = FREQS;
    this.cos = all.map((f) => Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * f * i) / this.o.sampleRate)));
    this.sin = all.map((f) => Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / this.o.sampleRate)));
  }

  processInput(samples: Int16Array): InbandDtmfEvent[] {
    const out: InbandDtmfEvent[] = [];
    const n = this.o.windowSamples;
    for (let i = 0; i < samples.length; i++) {
      this.buf[this.fill++] = samples[i]!;
      this.consumed++;
      if (this.fill === n) {
        this.step(this.classify(), out);
        const hop = this.o.hopSamples;
        this.buf.copyWithin(0, hop);
        this.fill = n - hop;
      }
    }
    return out;
  }

  toJSON() {
    return { ...this.counts, active: this.active?.digit ?? '' };
  }

  private step(digit: string | undefined, out: InbandDtmfEvent[]): void {
    const hopMs = (this.o.hopSamples / this.o.sampleRate) * 1000;
    const winMs = (this.o.windowSamples / this.o.sampleRate) * 1000;
    // Windows that fit wholly inside a tone (or pause) of the minimum length.
    const needOn = Math.max(1, Math.floor((this.o.minToneMs - winMs) / hopMs) + 1);
    // A pause fails every window that overlaps it much (steadiness check), a
    // short break (Q.24: up to 10 ms, bridged) fails fewer than this.
    const needOff = Math.max(1, Math.round(this.o.minPauseMs / hopMs) - 1);
    const windowStart = this.consumed - this.o.windowSamples;
    if (this.active) {
      if (digit === this.active.digit) {
        this.missCount = 0;
        return;
      }
      if (++this.missCount < needOff) return;
      const end = windowStart + this.o.windowSamples - this.missCount * this.o.hopSamples;
      out.push({ type: 'end', digit: this.active.digit, sample: end, durationMs: ((end - this.active.start) / this.o.sampleRate) * 1000 });
      this.active = undefined;
      this.candidate = undefined;
      this.candidateCount = 0;
      return;
    }
    if (digit === undefined || digit !== this.candidate) {
      this.candidate = digit;
      this.candidateCount = digit === undefined ? 0 : 1;
    } else this.candidateCount++;
    if (this.candidate !== undefined && this.candidateCount >= needOn) {
      const start = windowStart - (this.candidateCount - 1) * this.o.hopSamples;
      this.active = { digit: this.candidate, start };
      this.missCount = 0;
      this.counts.digits++;
      out.push({ type: 'begin', digit: this.candidate, sample: start });
    }
  }

  /** The digit this window holds, if it passes every check. */
  private classify(): string | undefined {
    this.counts.windows++;
    const o = this.o;
    const x = this.buf;
    const n = o.windowSamples;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += x[i]! * x[i]!;
    const minPower = (32767 * 10 ** (o.minToneDbfs / 20)) ** 2 * (n / 2);
    if (energy < 2 * minPower) return undefined;
    // Steadiness: a window straddling a tone edge is not a tone window.
    let firstHalf = 0;
    for (let i = 0; i < n / 2; i++) firstHalf += x[i]! * x[i]!;
    const secondHalf = energy - firstHalf;
    if (firstHalf > 4 * secondHalf || secondHalf > 4 * firstHalf) return undefined;
    const p = new Float64Array(8);
    for (let k = 0; k < 8; k++) p[k] = this.power(k, 0, n);
    const r = argmax(p, 0, 4);
    const c = argmax(p, 4, 8);
    if (p[r]! < minPower / 4 || p[c]! < minPower / 4) return undefined;
    const devR = this.deviation(r);
    const devC = this.deviation(c);
    if (Math.abs(devR) > o.maxDeviation || Math.abs(devC) > o.maxDeviation) {
      this.counts.rejectedDeviation++;
      return undefined;
    }
    // Powers at the measured frequencies: an off-nominal tone loses none of its energy.
    const fr = FREQS[r]! * (1 + devR);
    const fc = FREQS[c]! * (1 + devC);
    const pr = this.goertzel(fr);
    const pc = this.goertzel(fc);
    if (pr < minPower || pc < minPower) return undefined;
    const rel = 10 ** (o.relativePeakDb / 10);
    for (let k = 0; k < 8; k++) {
      if (k !== r && k !== c && p[k]! * rel > (k < 4 ? pr : pc)) return undefined;
    }
    const twist = 10 * Math.log10(pc / pr);
    if (twist > o.normalTwistDb || -twist > o.reverseTwistDb) {
      this.counts.rejectedTwist++;
      return undefined;
    }
    if (pr + pc < o.minEnergyRatio * energy) {
      this.counts.rejectedRatio++;
      return undefined;
    }
    const harm = 10 ** (-o.harmonicRejectDb / 10);
    const rowHarmonicClear = Math.min(...DTMF_COLS.map((f) => Math.abs(2 * fr - f))) > 100;
    if ((rowHarmonicClear && this.goertzel(2 * fr) > harm * pr) || this.goertzel(2 * fc) > harm * pc) {
      this.counts.rejectedHarmonic++;
      return undefined;
    }
    this.counts.validWindows++;
    return DTMF_KEYPAD[r]![c - 4];
  }

  /** Tone energy (2|X|^2 / N) at any frequency over the whole window (Goertzel recurrence). */
  private goertzel(freq: number): number {
    const x = this.buf;
    const n = this.o.windowSamples;
    const coeff = 2 * Math.cos((2 * Math.PI * freq) / this.o.sampleRate);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s0 = x[i]! + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return (2 * (s1 * s1 + s2 * s2 - coeff * s1 * s2)) / n;
  }

  /** Tone energy (2|X|^2 / len) at table k over x[from, from+len). */
  private power(k: number, from: number, len: number): number {
    const [re, im] = this.dft(k, from, len);
    return (2 * (re * re + im * im)) / len;
  }

  private dft(k: number, from: number, len: number): [number, number] {
    const x = this.buf;
    const cs = this.cos[k]!;
    const sn = this.sin[k]!;
    let re = 0;
    let im = 0;
    for (let i = 0; i < len; i++) {
      re += x[from + i]! * cs[i]!;
      im -= x[from + i]! * sn[i]!;
    }
    return [re, im];
  }

  /**
   * Relative frequency error of the tone near FREQS[k]. For x = cos(w n), the
   * DFT over [LAG, N) (table restarted at 0) is the one over [0, N - LAG)
   * rotated by w LAG; subtracting w0 LAG and wrapping leaves (w - w0) LAG.
   */
  private deviation(k: number): number {
    const len = this.o.windowSamples - LAG;
    const [a, b] = this.dft(k, 0, len);
    const [c, d] = this.dft(k, LAG, len);
    // (c + jd) * conj(a + jb)
    const w0lag = (2 * Math.PI * FREQS[k]! * LAG) / this.o.sampleRate;
    let angle = Math.atan2(d * a - c * b, c * a + d * b) - w0lag;
    angle -= 2 * Math.PI * Math.round(angle / (2 * Math.PI));
    const df = (angle * this.o.sampleRate) / (2 * Math.PI * LAG);
    return df / FREQS[k]!;
  }
}

function argmax(p: Float64Array, from: number, to: number): number {
  let best = from;
  for (let k = from + 1; k < to; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

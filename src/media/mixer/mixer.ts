import { FRAME_SAMPLES, type MediaStage } from '../stage.ts';
import { MixerError } from './mixer-errors.ts';

/**
 * N-way mixer with mix-minus and roles (TEL-4, CTI-2, SUP-2).
 *
 * | role    | hears                     | heard by                        |
 * |---------|---------------------------|---------------------------------|
 * | full    | everyone audible but self | everyone except held members    |
 * | listen  | everyone audible          | nobody (silent monitor)         |
 * | whisper | everyone audible          | only `whisperTo` (coaching)     |
 * | hold    | the music source only     | everyone (the agent still hears |
 * |         |                           | the held customer: CTI-2)       |
 * | mute    | everyone audible          | nobody                          |
 *
 * Per frame, O(n): total = sum of the contributions heard by all (full and
 * hold members, times their gain); each member hears total minus its own
 * contribution, plus the whispers addressed to it; held members hear music.
 * Sums are in Float32. Each member's output then goes through its own peak
 * limiter instead of being clipped: three loud talkers in a conference sum
 * past 16 bits, and clipping them turns into harsh intermodulation that
 * every party hears. The limiter sees a whole 20 ms frame before it writes
 * it (a frame of look-ahead), so when the frame's peak would leave the
 * 16-bit range the gain drops at the frame's start to just what brings the
 * peak to LIMIT_THRESHOLD (full scale), then recovers towards 1 with a
 * RELEASE_MS time constant, so nothing is ever clipped. Any single 16-bit
 * source is in range, so a two-party call is never touched (and the bridge's
 * plain-pair hand-over stays sample-exact). `limitedFrames` counts the frames
 * the limiter turned down.
 *
 * No allocation per frame: the mixer owns one output frame per member and
 * one output map, and `processInput` overwrites them. What it returns is
 * valid until the next `processInput`; a caller that keeps a frame longer
 * keeps a copy (the media worker encodes and records within the tick).
 */
export type MixerRole = 'full' | 'listen' | 'whisper' | 'hold' | 'mute';

export interface MixerMember {
  role: MixerRole;
  /** Linear gain on this member's contribution. */
  gain: number;
  /** For role whisper: the one member who hears it. */
  whisperTo?: string;
}

export interface MixerOptions {
  maxMembers: number;
  frameSamples: number;
}

export interface MixerInput {
  /** This frame of each member who sent one; absent members are silent. */
  frames: ReadonlyMap<string, Int16Array>;
  /** Music on hold for held members (silence when absent). */
  music?: Int16Array;
}

const DEFAULTS: MixerOptions = { maxMembers: 8, frameSamples: FRAME_SAMPLES };

/** Peak the limiter brings an out-of-range frame to: full scale. */
export const LIMIT_THRESHOLD = 32767;
/** Peaks up to this are in range (a 16-bit sample can be -32768). */
const IN_RANGE = 32768;
/** Time constant of the limiter's recovery towards unity gain. */
export const RELEASE_MS = 80;
const SAMPLE_RATE = 8000;

export class Mixer implements MediaStage<MixerInput, Map<string, Int16Array>> {
  private readonly o: MixerOptions;
  private readonly members = new Map<string, MixerMember>();
  private readonly total: Float32Array;
  /**
   * Whisper sums by member, kept across frames; `frame` says which frame
   * filled it (an older one is not heard). No map is cleared per frame: V8
   * re-allocates a cleared long-lived Map's table in the old generation.
   */
  private readonly extra = new Map<string, { sum: Float32Array; frame: number }>();
  /** Each member's output frame, overwritten every frame. */
  private readonly outBuf = new Map<string, Int16Array>();
  private readonly out = new Map<string, Int16Array>();
  private counts = { frames: 0, limitedFrames: 0 };
  /** Each member's limiter gain now (absent: 1). */
  private readonly limiterGain = new Map<string, number>();
  private readonly scratch: Float32Array;
  private readonly release = 1 - Math.exp(-1 / ((RELEASE_MS / 1000) * SAMPLE_RATE));
  /** plainPair()'s answer, computed on the first call after a membership change. */
  private pair: [string, string] | undefined | null = null;

  constructor(options: Partial<MixerOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
    this.total = new Float32Array(this.o.frameSamples);
    this.scratch = new Float32Array(this.o.frameSamples);
  }

  add(id: string, member: Partial<MixerMember> = {}): void {
    if (this.members.has(id)) throw new MixerError('duplicate-member', id);
    if (this.members.size >= this.o.maxMembers) throw new MixerError('full', `at most ${this.o.maxMembers} members`);
    const m: MixerMember = { role: 'full', gain: 1, ...member };
    this.check(id, m);
    this.members.set(id, m);
    this.pair = null;
  }

  /** Changes role, gain or whisper target of a member. */
  update(id: string, change: Partial<MixerMember>): void {
    const cur = this.members.get(id);
    if (!cur) throw new MixerError('unknown-member', id);
    const m = { ...cur, ...change };
    this.check(id, m);
    this.members.set(id, m);
    this.pair = null;
  }

  remove(id: string): void {
    if (!this.members.delete(id)) throw new MixerError('unknown-member', id);
    this.limiterGain.delete(id);
    this.outBuf.delete(id);
    this.extra.delete(id);
    this.out.delete(id);
    this.pair = null;
    for (const [other, m] of this.members) if (m.role === 'whisper' && m.whisperTo === id) this.members.set(other, { ...m, role: 'listen' });
  }

  member(id: string): MixerMember | undefined {
    return this.members.get(id);
  }

  get size(): number {
    return this.members.size;
  }

  /**
   * The two members when the bridge is exactly two `full` members at unit
   * gain: then each hears exactly the other's frame (total minus own is the
   * other's samples, exact in Float32 for 16-bit input, never clipped), so a
   * caller may hand the frames across without mixing. Undefined otherwise.
   */
  plainPair(): [string, string] | undefined {
    if (this.pair !== null) return this.pair;
    this.pair = undefined;
    if (this.members.size === 2) {
      const [a, b] = this.members;
      if (a![1].role === 'full' && b![1].role === 'full' && a![1].gain === 1 && b![1].gain === 1) this.pair = [a![0], b![0]];
    }
    return this.pair;
  }

  processInput(input: MixerInput): Map<string, Int16Array> {
    const n = this.o.frameSamples;
    const total = this.total;
    total.fill(0);
    const frame = this.counts.frames;
    for (const [id, m] of this.members) {
      const f = input.frames.get(id);
      if (!f) continue;
      if (m.role === 'full' || m.role === 'hold') addInto(total, f, m.gain, n);
      else if (m.role === 'whisper' && m.whisperTo) {
        let e = this.extra.get(m.whisperTo);
        if (!e) this.extra.set(m.whisperTo, (e = { sum: new Float32Array(n), frame }));
        else if (e.frame !== frame) {
          e.sum.fill(0);
          e.frame = frame;
        }
        addInto(e.sum, f, m.gain, n);
      }
    }
    const out = this.out; // keys are the members (remove() deletes): set below overwrites in place
    for (const [id, m] of this.members) {
      let o = this.outBuf.get(id);
      if (!o) this.outBuf.set(id, (o = new Int16Array(n)));
      if (m.role === 'hold') {
        const mus = input.music;
        const len = mus ? Math.min(n, mus.length) : 0;
        for (let i = 0; i < len; i++) o[i] = mus![i]!;
        if (len < n) o.fill(0, len);
        out.set(id, o);
        continue;
      }
      const own = m.role === 'full' ? input.frames.get(id) : undefined;
      const x = this.extra.get(id);
      const e = x && x.frame === frame ? x.sum : undefined;
      const v = this.scratch;
      let peak = 0;
      for (let i = 0; i < n; i++) {
        let x = total[i]!;
        if (own) x -= own[i]! * m.gain;
        if (e) x += e[i]!;
        v[i] = x;
        const a = x < 0 ? -x : x;
        if (a > peak) peak = a;
      }
      this.limit(id, v, peak, o, n);
      out.set(id, o);
    }
    this.counts.frames++;
    return out;
  }

  toJSON() {
    return { members: this.members.size, ...this.counts };
  }

  /** Writes frame `v` (peak `peak`) to `o` through member `id`'s limiter. */
  private limit(id: string, v: Float32Array, peak: number, o: Int16Array, n: number): void {
    let g = this.limiterGain.get(id) ?? 1;
    if (g === 1 && peak <= IN_RANGE) {
      for (let i = 0; i < n; i++) o[i] = Math.round(v[i]!);
      return;
    }
    const ceiling = peak > IN_RANGE ? LIMIT_THRESHOLD / peak : 1;
    if (ceiling < 1) this.counts.limitedFrames++;
    if (g > ceiling) g = ceiling; // attack: at the frame's start, having seen the whole frame
    for (let i = 0; i < n; i++) {
      g += (1 - g) * this.release;
      if (g > ceiling) g = ceiling; // |v[i]| <= peak, so |v[i] * g| stays in range
      o[i] = Math.round(v[i]! * g);
    }
    if (g > 0.9999) g = 1;
    this.limiterGain.set(id, g);
  }

  private check(id: string, m: MixerMember): void {
    if (m.role === 'whisper') {
      if (!m.whisperTo || m.whisperTo === id || !this.members.has(m.whisperTo)) throw new MixerError('bad-whisper-target', `${id} -> ${m.whisperTo ?? '(none)'}`);
    }
    if (!(m.gain >= 0 && m.gain <= 16)) throw new MixerError('bad-gain', `gain ${m.gain} out of range for ${id}`);
  }
}

function addInto(acc: Float32Array, f: Int16Array, gain: number, n: number): void {
  const len = Math.min(n, f.length);
  if (gain === 1) for (let i = 0; i < len; i++) acc[i]! += f[i]!;
  else for (let i = 0; i < len; i++) acc[i]! += f[i]! * gain;
}

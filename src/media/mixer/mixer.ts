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
 * Sums are in Float32 and clipped to 16 bits at the output (counted).
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

export class Mixer implements MediaStage<MixerInput, Map<string, Int16Array>> {
  private readonly o: MixerOptions;
  private readonly members = new Map<string, MixerMember>();
  private readonly total: Float32Array;
  private readonly extra = new Map<string, Float32Array>();
  private counts = { frames: 0, clippedSamples: 0 };
  /** plainPair()'s answer, computed on the first call after a membership change. */
  private pair: [string, string] | undefined | null = null;

  constructor(options: Partial<MixerOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
    this.total = new Float32Array(this.o.frameSamples);
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
    this.extra.clear();
    for (const [id, m] of this.members) {
      const f = input.frames.get(id);
      if (!f) continue;
      if (m.role === 'full' || m.role === 'hold') addInto(total, f, m.gain, n);
      else if (m.role === 'whisper' && m.whisperTo) {
        let e = this.extra.get(m.whisperTo);
        if (!e) this.extra.set(m.whisperTo, (e = new Float32Array(n)));
        addInto(e, f, m.gain, n);
      }
    }
    const out = new Map<string, Int16Array>();
    for (const [id, m] of this.members) {
      const o = new Int16Array(n);
      if (m.role === 'hold') {
        if (input.music) o.set(input.music.subarray(0, n));
        out.set(id, o);
        continue;
      }
      const own = m.role === 'full' ? input.frames.get(id) : undefined;
      const e = this.extra.get(id);
      let clipped = 0;
      for (let i = 0; i < n; i++) {
        let v = total[i]!;
        if (own) v -= own[i]! * m.gain;
        if (e) v += e[i]!;
        if (v > 32767) {
          v = 32767;
          clipped++;
        } else if (v < -32768) {
          v = -32768;
          clipped++;
        }
        o[i] = Math.round(v);
      }
      this.counts.clippedSamples += clipped;
      out.set(id, o);
    }
    this.counts.frames++;
    return out;
  }

  toJSON() {
    return { members: this.members.size, ...this.counts };
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

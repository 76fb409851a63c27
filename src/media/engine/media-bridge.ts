import { Mixer } from '../mixer/mixer.ts';
import type { FrameSource } from './frame-source.ts';

/** A leg's audio in one tick: what it received, and what it will send (unset: silence). */
export interface LegFrames {
  rx: Int16Array;
  tx: Int16Array | undefined;
}

/**
 * A bridge inside a worker: the pure Mixer (roles, mix-minus) plus its
 * members' leg IDs and an optional music-on-hold source for held members.
 *
 * Fast path: a plain two-party bridge (two `full` members at unit gain, the
 * usual customer-agent call) is not mixed: each member is handed the other's
 * received frame, which is exactly what the mixer would compute for it
 * (tested against the mixer). Anything else goes through the mixer.
 */
export class MediaBridge {
  readonly mixer: Mixer;
  readonly members = new Set<string>();
  music: FrameSource | undefined;
  musicPlayerId: string | undefined;
  private counts = { mixed: 0, passedThrough: 0 };
  /**
   * Inputs of the mix, refilled every frame by overwriting (not clearing:
   * V8 re-allocates a cleared long-lived Map's table in the old generation).
   */
  private readonly frames = new Map<string, Int16Array>();
  private readonly received = new Map<string, Int16Array>();

  constructor(
    readonly id: string,
    maxMembers: number,
  ) {
    this.mixer = new Mixer({ maxMembers });
  }

  /** Mixes one frame: what each member hears, by leg ID (the mixer's frames: valid until the next mix). */
  mix(received: ReadonlyMap<string, Int16Array>): Map<string, Int16Array> {
    const frames = this.frames;
    for (const id of this.members) {
      const f = received.get(id);
      if (f) frames.set(id, f);
      else frames.delete(id);
    }
    dropOthers(frames, this.members);
    this.counts.mixed++;
    return this.mixer.processInput({ frames, music: this.music?.next() });
  }

  /** One tick: sets `tx` of every member present in `legs` to what it hears. */
  mixInto(legs: ReadonlyMap<string, LegFrames>): void {
    const pair = this.mixer.plainPair();
    if (pair) {
      const a = legs.get(pair[0]);
      const b = legs.get(pair[1]);
      if (a) a.tx = b?.rx;
      if (b) b.tx = a?.rx;
      this.music?.next(); // the music source keeps its place, as when mixed
      this.counts.passedThrough++;
      return;
    }
    const received = this.received;
    for (const id of this.members) {
      const l = legs.get(id);
      if (l) received.set(id, l.rx);
      else received.delete(id);
    }
    dropOthers(received, this.members);
    for (const [id, f] of this.mix(received)) {
      const l = legs.get(id);
      if (l) l.tx = f;
    }
  }

  toJSON() {
    return { members: this.members.size, ...this.counts };
  }
}

/** Removes the entries of legs that left the bridge (rare: only when the map has more keys than members). */
function dropOthers(m: Map<string, Int16Array>, members: ReadonlySet<string>): void {
  if (m.size <= members.size) return;
  for (const id of [...m.keys()]) if (!members.has(id)) m.delete(id);
}

import { Mixer } from '../mixer/mixer.ts';
import type { FrameSource } from './frame-source.ts';

/**
 * A bridge inside a worker: the pure Mixer (roles, mix-minus) plus its
 * members' leg IDs and an optional music-on-hold source for held members.
 */
export class MediaBridge {
  readonly mixer: Mixer;
  readonly members = new Set<string>();
  music: FrameSource | undefined;
  musicPlayerId: string | undefined;

  constructor(
    readonly id: string,
    maxMembers: number,
  ) {
    this.mixer = new Mixer({ maxMembers });
  }

  /** Mixes one frame: what each member hears, by leg ID. */
  mix(received: ReadonlyMap<string, Int16Array>): Map<string, Int16Array> {
    const frames = new Map<string, Int16Array>();
    for (const id of this.members) {
      const f = received.get(id);
      if (f) frames.set(id, f);
    }
    return this.mixer.processInput({ frames, music: this.music?.next() });
  }
}

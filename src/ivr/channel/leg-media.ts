import type { AudioSource, EngineEvent } from '../../media/engine/engine-protocol.ts';

/**
 * What an IVR channel needs of the media engine for one leg: play to it,
 * record it, hear its digits and failures. `MediaEngine` satisfies it as is.
 */
export interface LegMedia {
  play(target: { legId: string }, source: AudioSource): Promise<string>;
  stopPlayer(playerId: string): Promise<void>;
  record(target: { legId: string }, path: string, mode: 'mixed' | 'channels'): Promise<string>;
  controlRecording(recorderId: string, action: 'pause' | 'resume' | 'stop'): Promise<void>;
  onEvent(listener: (e: EngineEvent) => void): () => void;
}

/** A request the channel's state forbids (the interpreter never makes one; a bug elsewhere might). */
export class ChannelError extends Error {
  readonly code: 'busy' | 'ended';
  constructor(code: 'busy' | 'ended', message: string) {
    super(`${code}: ${message}`);
    this.name = 'ChannelError';
    this.code = code;
  }
}

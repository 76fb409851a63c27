import { readFileSync } from 'node:fs';
import { ToneGenerator } from '../tone/tone-generator.ts';
import { WavPlayer } from '../wav/wav-player.ts';
import { FRAME_SAMPLES } from '../stage.ts';
import type { AudioSource } from './engine-protocol.ts';

/** A player inside a worker: the next 20 ms frame, or undefined once it has ended. */
export interface FrameSource {
  next(): Int16Array | undefined;
}

/** Builds the player for a command's source: a WAV file (looped for music on hold) or a steady tone. */
export function openSource(source: AudioSource): FrameSource {
  if (source.kind === 'wav') {
    const player = new WavPlayer(readFileSync(source.path), { loop: source.loop });
    return { next: () => player.processInput() };
  }
  const gen = new ToneGenerator({ levelDbfs: source.levelDbfs }).play({ frequencies: source.frequencies, cadence: [] });
  return { next: () => gen.processInput(FRAME_SAMPLES) };
}

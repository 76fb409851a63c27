import type { AudioSource, EngineEvent } from '../../media/engine/engine-protocol.ts';
import type { LegMedia } from './leg-media.ts';

/**
 * One engine subscription for all IVR channels: events go only to the leg
 * they concern (dtmf, leg failures by leg; player-done by the leg the player
 * was started on), so a thousand live sessions do not each look at every
 * event. `forLeg` gives a channel its own view of the engine.
 */
export class LegEventRouter {
  private readonly byLeg = new Map<string, Set<(e: EngineEvent) => void>>();
  private readonly playerLeg = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly engine: LegMedia) {
    this.unsubscribe = engine.onEvent((e) => this.route(e));
  }

  forLeg(legId: string): LegMedia {
    const engine = this.engine;
    return {
      play: async (target: { legId: string }, source: AudioSource) => {
        const id = await engine.play(target, source);
        this.playerLeg.set(id, target.legId);
        return id;
      },
      stopPlayer: async (playerId: string) => {
        this.playerLeg.delete(playerId);
        await engine.stopPlayer(playerId);
      },
      record: (target, path, mode) => engine.record(target, path, mode),
      controlRecording: (id, action) => engine.controlRecording(id, action),
      onEvent: (listener) => {
        let set = this.byLeg.get(legId);
        if (!set) this.byLeg.set(legId, (set = new Set()));
        set.add(listener);
        return () => {
          set.delete(listener);
          if (set.size === 0) this.byLeg.delete(legId);
        };
      },
    };
  }

  /** Legs with a listener (tests, diagnostics). */
  get legs(): number {
    return this.byLeg.size;
  }

  close(): void {
    this.unsubscribe();
  }

  private route(e: EngineEvent): void {
    let legId: string | undefined;
    if (e.type === 'player-done') {
      legId = this.playerLeg.get(e.playerId);
      this.playerLeg.delete(e.playerId);
    } else if ('legId' in e) legId = e.legId;
    if (legId === undefined) return;
    const set = this.byLeg.get(legId);
    if (set) for (const l of [...set]) l(e);
  }
}

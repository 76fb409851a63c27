/**
 * The part of the MediaEngine (src/media/engine/media-engine.ts) the switch
 * runtime uses. MediaEngine satisfies it as is; naming the subset keeps the
 * runtime's needs explicit and lets its unit tests run without RTP workers.
 */
import type { AudioSource, PlayTarget, RecordTarget } from '../../media/engine/engine-protocol.ts';
import type { MixerRole } from '../../media/mixer/mixer.ts';

export interface SwitchMedia {
  createBridge(opts: { bridgeId?: string; near?: string; maxMembers?: number }): Promise<string>;
  destroyBridge(bridgeId: string): Promise<void>;
  join(bridgeId: string, legId: string, role?: MixerRole, extra?: { whisperTo?: string; gain?: number }): Promise<void>;
  setRole(bridgeId: string, legId: string, role: MixerRole, whisperTo?: string): Promise<void>;
  leave(bridgeId: string, legId: string): Promise<void>;
  play(target: PlayTarget, source: AudioSource): Promise<string>;
  stopPlayer(playerId: string): Promise<void>;
  record(target: RecordTarget, path: string, mode?: 'mixed' | 'channels'): Promise<string>;
  controlRecording(recorderId: string, action: 'pause' | 'resume' | 'stop'): Promise<void>;
}

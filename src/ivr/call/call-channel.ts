import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { LegEventRouter } from '../channel/leg-event-router.ts';
import type { LegMedia } from '../channel/leg-media.ts';
import { MediaLegChannel } from '../channel/media-leg-channel.ts';
import type { TransferPort, VoiceChannel } from '../channel/voice-channel.ts';
import type { PromptRenderer } from '../prompt/prompt-renderer.ts';
import type { PromptLocale } from '../prompt/say-as.ts';

/** A VoiceChannel the call service can end from outside (caller gone, call handed on). */
export interface CallChannel extends VoiceChannel {
  hangup(by?: 'caller' | 'transferred'): void;
  /** Release the channel's resources (engine listener) once its session is over. */
  close(): void;
  /** The media failed under the session (leg gone, engine refused to play): the switch must be told. */
  readonly failed?: boolean;
}

export interface ChannelRequest {
  /** The media-engine leg of the caller. */
  readonly legId: string;
  readonly locale: PromptLocale;
  readonly transfers: TransferPort;
  /** The document hung up (`<disconnect>`). */
  readonly onDisconnect: () => void;
}

export type ChannelFactory = (req: ChannelRequest) => CallChannel;

/** The production factory: MediaLegChannel on the media engine, engine events routed to each channel's own leg. */
export function mediaLegChannels(deps: { media: LegMedia; renderer: PromptRenderer; clock: Clock; logger: Logger; workDir: string }): ChannelFactory {
  const router = new LegEventRouter(deps.media);
  return (req) => {
    const ch = new MediaLegChannel({ ...deps, media: router.forLeg(req.legId), legId: req.legId, locale: req.locale, transfers: req.transfers, onDisconnect: req.onDisconnect });
    return {
      play: (p, o) => ch.play(p, o),
      waitKey: (t, phase) => ch.waitKey(t, phase),
      record: (r) => ch.record(r),
      disconnect: () => ch.disconnect(),
      get transfers() {
        return ch.transfers;
      },
      hangup: () => ch.hangup('caller'),
      close: () => ch.close(),
      get failed() {
        return ch.endedBy === 'leg-failed';
      },
    };
  };
}

import { systemClock, type Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { VoiceChannel } from './channel/voice-channel.ts';
import { HttpFileFetcher } from './fetch/http-file-fetcher.ts';
import type { ResourceFetcher } from './fetch/resource-fetcher.ts';
import { DEFAULT_KEYPAD } from './grammar/keypad-conventions.ts';
import { DocumentLoader } from './interpreter/document-loader.ts';
import type { IvrStepSink } from './interpreter/ivr-step-event.ts';
import { DEFAULT_PLATFORM, type SessionOptions } from './interpreter/session-options.ts';
import { VxmlSession, type SessionOutcome } from './interpreter/vxml-session.ts';
import { DtmfOnlyRecognizer } from './speech/dtmf-only-recognizer.ts';

export interface IvrRunnerOptions extends Partial<Omit<SessionOptions, 'channel' | 'sessionId'>> {
  readonly logger: Logger;
}

/**
 * Runs VoiceXML sessions: one shared fetcher and parsed-document cache,
 * one sandbox per session. Sessions are independent: one failing or
 * looping never touches another.
 */
export class IvrRunner {
  private readonly loader: DocumentLoader;
  private readonly base: Omit<SessionOptions, 'channel' | 'sessionId'>;
  private nextId = 0;

  constructor(opts: IvrRunnerOptions) {
    const clock: Clock = opts.clock ?? systemClock;
    const fetcher: ResourceFetcher = opts.fetcher ?? new HttpFileFetcher(clock);
    const steps: IvrStepSink = opts.steps ?? (() => undefined);
    this.base = {
      fetcher,
      clock,
      logger: opts.logger,
      steps,
      keypad: opts.keypad ?? DEFAULT_KEYPAD,
      platform: opts.platform ?? DEFAULT_PLATFORM,
      sandboxLimits: opts.sandboxLimits ?? {},
      maxDocumentBytes: opts.maxDocumentBytes ?? 1024 * 1024,
      monotonicNow: opts.monotonicNow ?? (() => performance.now()),
      sessionVariables: opts.sessionVariables ?? {},
      maxSteps: opts.maxSteps ?? 10_000,
      recognizer: opts.recognizer ?? new DtmfOnlyRecognizer(),
    };
    this.loader = new DocumentLoader(fetcher, this.base.maxDocumentBytes);
  }

  async run(url: string, channel: VoiceChannel, sessionId = `ivr-${++this.nextId}`, vars?: SessionOptions['sessionVariables']): Promise<SessionOutcome> {
    const session = await VxmlSession.create({ ...this.base, channel, sessionId, sessionVariables: vars ?? this.base.sessionVariables }, this.loader);
    return session.run(url);
  }
}

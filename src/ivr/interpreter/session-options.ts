import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { VoiceChannel } from '../channel/voice-channel.ts';
import type { ResourceFetcher } from '../fetch/resource-fetcher.ts';
import type { KeypadConventions } from '../grammar/keypad-conventions.ts';
import type { JsonValue } from '../script/json-value.ts';
import type { SandboxLimits } from '../script/script-sandbox.ts';
import type { Recognizer } from '../speech/recognizer.ts';
import type { IvrStepSink } from './ivr-step-event.ts';

/** What the platform does with events no document handles (beyond VoiceXML's own defaults). */
export interface PlatformDefaults {
  /** Played before handing the caller to an agent after an unhandled error. */
  readonly apologyText: string;
  /** Transfer destination for agents (an ACD queue or service number). */
  readonly agentDestination: string;
  readonly agentTransferType: 'bridge' | 'blind';
}

export const DEFAULT_PLATFORM: PlatformDefaults = {
  apologyText: 'Sorry, this service is not available right now. Please hold for an agent.',
  agentDestination: 'queue:default',
  agentTransferType: 'blind',
};

/** Platform property values used when no document sets them (VoiceXML 2.0 §6.3). */
export const DEFAULT_PROPERTIES: Readonly<Record<string, string>> = {
  timeout: '5s',
  interdigittimeout: '3s',
  termtimeout: '0s',
  termchar: '#',
  bargein: 'true',
  fetchtimeout: '10s',
  inputmodes: 'dtmf',
  maxnbest: '1',
};

export interface SessionOptions {
  readonly sessionId: string;
  readonly channel: VoiceChannel;
  readonly fetcher: ResourceFetcher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly steps: IvrStepSink;
  readonly keypad: KeypadConventions;
  readonly platform: PlatformDefaults;
  readonly sandboxLimits: Partial<SandboxLimits>;
  /** Largest document, grammar, script or data body accepted. */
  readonly maxDocumentBytes: number;
  /** Monotonic clock for step durations and script deadlines. */
  readonly monotonicNow: () => number;
  /** session.connection.* and other session variables (JSON data). */
  readonly sessionVariables: Readonly<Record<string, JsonValue>>;
  /** Speech recognition for voice grammars (DtmfOnlyRecognizer by default: DTMF only). */
  readonly recognizer: Recognizer;
  /** Upper bound on FIA iterations and document transitions, against documents that loop forever without input. */
  readonly maxSteps: number;
}

export function parseTime(s: string | undefined, fallbackMs: number): number {
  if (s === undefined) return fallbackMs;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(s);
  if (!m) return fallbackMs;
  return m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]);
}

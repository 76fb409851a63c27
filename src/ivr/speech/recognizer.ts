import type { VxmlElement } from '../document/vxml-model.ts';
import type { JsonValue } from '../script/json-value.ts';

/**
 * The speech side of input (IVR-1: optional speech recognition behind an
 * interface). DTMF never goes through here: the interpreter matches keys
 * itself. A Recognizer is consulted for an input only when the effective
 * `inputmodes` property contains `voice` and the input has voice grammars.
 *
 * How a real ASR plugs in: implement this port in an adapter (for example
 * over MRCPv2 or a streaming speech API) and give it to IvrRunner as
 * `recognizer`. `activate` compiles or references the grammars (inline SRGS
 * is handed over as an XML tree, external ones by URL, builtins by name)
 * and returns a RecognitionSession bound to the call's audio: the adapter
 * gets the caller's audio from the call-leg channel (the media engine
 * forks RTP to it) and must resolve `listen` when the caller speaks a
 * result, stays silent for the timeout, or presses a key (`dtmf`: the
 * interpreter then collects the keys from the channel as usual). A
 * recognizer that cannot serve the request answers `unsupported` with a
 * reason, and the interpreter carries on with DTMF only; it never throws
 * for that.
 */
export type VoiceGrammar =
  | { readonly kind: 'inline'; readonly tree: VxmlElement; readonly language?: string }
  | { readonly kind: 'external'; readonly url: string; readonly type?: string }
  | { readonly kind: 'builtin'; readonly ref: string };

export interface RecognitionContext {
  readonly sessionId: string;
  /** xml:lang of the document, e.g. zh-CN, en-US. */
  readonly language: string;
  readonly confidenceLevel: number;
  readonly maxNbest: number;
}

export type UnsupportedReason = 'no-speech' | 'language' | 'grammar-format' | 'unavailable';

export type ActivationResult =
  | { readonly kind: 'active'; readonly session: RecognitionSession }
  | { readonly kind: 'unsupported'; readonly reason: UnsupportedReason; readonly detail: string };

export type SpeechResult =
  | { readonly kind: 'match'; readonly utterance: string; readonly interpretation: JsonValue; readonly confidence: number }
  | { readonly kind: 'nomatch'; readonly utterance: string }
  | { readonly kind: 'noinput' }
  /** The caller pressed a key: collect DTMF from the channel instead. */
  | { readonly kind: 'dtmf' }
  | { readonly kind: 'hangup' };

export interface RecognitionSession {
  /** Wait for speech (or silence up to `timeoutMs`, or a key press). */
  listen(timeoutMs: number): Promise<SpeechResult>;
  /** Release the grammars and the audio fork. Called exactly once, after listen or instead of it. */
  close(): void;
}

export interface Recognizer {
  activate(grammars: readonly VoiceGrammar[], ctx: RecognitionContext): Promise<ActivationResult>;
}

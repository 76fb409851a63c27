/**
 * The caller's side of an IVR session, as the interpreter sees it. Three
 * implementations: ScriptedChannel (tests), TerminalChannel (people at a
 * keyboard: `hotline ivr run`), and MediaLegChannel (a media-engine call
 * leg: prompts rendered through the TTS port, RFC 4733 / in-band digits).
 * `lang` on a text segment is the SSML `xml:lang` in force (prompt, voice,
 * document); absent, the channel's own locale applies.
 */
export type PromptSegment =
  | { readonly kind: 'text'; readonly text: string; readonly lang?: string }
  | { readonly kind: 'say-as'; readonly interpretAs: string; readonly text: string; readonly lang?: string }
  | { readonly kind: 'break'; readonly ms: number }
  | { readonly kind: 'audio'; readonly url: string; readonly fallback: readonly PromptSegment[] }
  | { readonly kind: 'mark'; readonly name: string };

export type KeyEvent = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'timeout' } | { readonly kind: 'hangup' };

export interface RecordRequest {
  readonly maxTimeMs: number;
  readonly finalSilenceMs: number;
  readonly dtmfTerm: boolean;
  readonly beep: boolean;
  readonly type: string;
}
export interface Recording {
  readonly uri: string;
  readonly durationMs: number;
  readonly sizeBytes: number;
  readonly type: string;
}
export type RecordResult =
  | { readonly kind: 'recorded'; readonly recording: Recording; readonly termKey?: string; readonly maxTime: boolean }
  | { readonly kind: 'noinput' }
  | { readonly kind: 'hangup' };

export type TransferType = 'bridge' | 'blind' | 'consultation';
export interface TransferRequest {
  readonly type: TransferType;
  readonly dest: string;
  readonly connectTimeoutMs: number;
  readonly maxTimeMs: number;
  readonly aai?: string;
  /** 'document': a `<transfer>` element; 'platform': the platform default sending the caller to an agent. */
  readonly origin: 'document' | 'platform';
}
/** VoiceXML 2.0 §2.3.7 outcomes, plus 'transferred' (blind / consultation handed off) and 'hangup' (caller gone). */
export type TransferOutcome =
  | 'near_party_disconnect'
  | 'far_end_disconnect'
  | 'maxtime_disconnect'
  | 'network_disconnect'
  | 'busy'
  | 'noanswer'
  | 'network_busy'
  | 'unknown'
  | 'transferred'
  | 'hangup';
export interface TransferResult {
  readonly outcome: TransferOutcome;
  readonly durationMs: number;
}

/** Implemented by the switch (and ACD) later; tests use the scripted caller's. */
export interface TransferPort {
  transfer(req: TransferRequest): Promise<TransferResult>;
}

export interface VoiceChannel {
  /** Play prompts in order. Resolves when played (or barged into: the key stays buffered as typeahead). */
  play(prompts: readonly PromptSegment[], options: { readonly bargein: boolean }): Promise<'played' | 'hangup'>;
  /**
   * The next DTMF key. `first`: start of an input (typeahead keys first, then
   * up to `timeoutMs` of silence); `next`: within an input (inter-digit).
   */
  waitKey(timeoutMs: number, phase: 'first' | 'next'): Promise<KeyEvent>;
  record(req: RecordRequest): Promise<RecordResult>;
  disconnect(): Promise<void>;
  readonly transfers: TransferPort;
}

/** Plain-text rendering of prompts (terminal channel, transcripts, logs). */
export function promptText(prompts: readonly PromptSegment[]): string {
  const parts: string[] = [];
  for (const p of prompts) {
    if (p.kind === 'text' || p.kind === 'say-as') parts.push(p.text);
    else if (p.kind === 'audio') parts.push(p.fallback.length ? promptText(p.fallback) : `[audio ${p.url}]`);
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

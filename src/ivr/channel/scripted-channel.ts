import type {
  KeyEvent,
  PromptSegment,
  RecordRequest,
  RecordResult,
  TransferOutcome,
  TransferPort,
  TransferRequest,
  TransferResult,
  VoiceChannel,
} from './voice-channel.ts';
import { promptText } from './voice-channel.ts';

/** What the scripted caller does, in order, each time the IVR waits for it. */
export type CallerAction =
  | { readonly keys: string }
  | { readonly silence: true }
  | { readonly hangup: true }
  | { readonly record: { readonly durationMs: number; readonly termKey?: string } }
  | { readonly transfer: TransferOutcome; readonly durationMs?: number };

export type TranscriptEntry =
  | { readonly kind: 'prompt'; readonly text: string; readonly segments: readonly PromptSegment[] }
  | { readonly kind: 'keys'; readonly keys: string }
  | { readonly kind: 'timeout'; readonly phase: 'first' | 'next' }
  | { readonly kind: 'hangup' }
  | { readonly kind: 'record'; readonly durationMs: number }
  | { readonly kind: 'transfer'; readonly request: TransferRequest; readonly outcome: TransferOutcome }
  | { readonly kind: 'disconnect' }
  | { readonly kind: 'script-mismatch'; readonly wanted: string; readonly got: string };

/**
 * A test double of the CALLER: it presses keys, stays silent, hangs up,
 * speaks a recording and answers transfers as its script says, and writes
 * down everything the IVR did. When the script runs out the caller hangs up.
 */
export class ScriptedChannel implements VoiceChannel, TransferPort {
  readonly transcript: TranscriptEntry[] = [];
  private pending: string[] = [];
  private hungUp = false;
  private next = 0;

  constructor(private readonly script: readonly CallerAction[]) {}

  get transfers(): TransferPort {
    return this;
  }

  /** The prompts played so far, as text. */
  prompts(): string[] {
    return this.transcript.flatMap((e) => (e.kind === 'prompt' ? [e.text] : []));
  }

  async play(prompts: readonly PromptSegment[]): Promise<'played' | 'hangup'> {
    if (this.hungUp) return 'hangup';
    const text = promptText(prompts);
    if (text !== '' || prompts.length) this.transcript.push({ kind: 'prompt', text, segments: prompts });
    return 'played';
  }

  async waitKey(_timeoutMs: number, phase: 'first' | 'next'): Promise<KeyEvent> {
    if (this.hungUp) return { kind: 'hangup' };
    const buffered = this.pending.shift();
    if (buffered !== undefined) return { kind: 'key', key: buffered };
    if (phase === 'next') {
      this.transcript.push({ kind: 'timeout', phase });
      return { kind: 'timeout' };
    }
    const a = this.take('keys, silence or hangup');
    if (!a || 'hangup' in a) return this.hangup();
    if ('silence' in a) {
      this.transcript.push({ kind: 'timeout', phase });
      return { kind: 'timeout' };
    }
    if ('keys' in a && a.keys.length > 0) {
      this.transcript.push({ kind: 'keys', keys: a.keys });
      this.pending = [...a.keys];
      return { kind: 'key', key: this.pending.shift()! };
    }
    return this.mismatch('keys', a);
  }

  async record(req: RecordRequest): Promise<RecordResult> {
    if (this.hungUp) return { kind: 'hangup' };
    const a = this.take('record');
    if (!a || 'hangup' in a) {
      this.hangup();
      return { kind: 'hangup' };
    }
    if ('silence' in a) return { kind: 'noinput' };
    if (!('record' in a)) {
      this.mismatch('record', a);
      return { kind: 'hangup' };
    }
    const durationMs = Math.min(a.record.durationMs, req.maxTimeMs);
    this.transcript.push({ kind: 'record', durationMs });
    const termKey = req.dtmfTerm ? a.record.termKey : undefined;
    return {
      kind: 'recorded',
      // 8 kHz 16-bit mono WAV: the size a real recording of this length has.
      recording: { uri: `memory:recording/${this.transcript.length}`, durationMs, sizeBytes: 44 + durationMs * 16, type: req.type },
      termKey,
      maxTime: a.record.durationMs >= req.maxTimeMs,
    };
  }

  async transfer(request: TransferRequest): Promise<TransferResult> {
    const head = this.script[this.next];
    let outcome: TransferOutcome;
    let durationMs = 0;
    if (head && 'transfer' in head) {
      this.next++;
      outcome = head.transfer;
      durationMs = head.durationMs ?? 0;
    } else {
      // No scripted answer: blind / consultation hand-offs succeed, a bridged call ends when the far end hangs up.
      outcome = request.type === 'bridge' ? 'far_end_disconnect' : 'transferred';
    }
    this.transcript.push({ kind: 'transfer', request, outcome });
    return { outcome, durationMs };
  }

  async disconnect(): Promise<void> {
    if (!this.hungUp) this.transcript.push({ kind: 'disconnect' });
    this.hungUp = true;
  }

  private take(_wanted: string): CallerAction | undefined {
    return this.script[this.next++];
  }

  private hangup(): KeyEvent {
    this.hungUp = true;
    this.transcript.push({ kind: 'hangup' });
    return { kind: 'hangup' };
  }

  private mismatch(wanted: string, got: CallerAction): KeyEvent {
    this.transcript.push({ kind: 'script-mismatch', wanted, got: JSON.stringify(got) });
    return this.hangup();
  }
}

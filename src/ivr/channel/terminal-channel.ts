import type { KeyEvent, PromptSegment, RecordResult, TransferPort, TransferRequest, TransferResult, VoiceChannel } from './voice-channel.ts';
import { promptText } from './voice-channel.ts';

/** Line-based terminal I/O, injected by the CLI (src/app). */
export interface TerminalIo {
  /** Next line typed, or null at end of input. */
  readLine(promptLabel: string): Promise<string | null>;
  write(text: string): void;
}

/**
 * A person at a keyboard: prompts are printed, each typed line is a burst
 * of keys, an empty line is silence (timeout), end of input hangs up.
 * Transfers are printed; without a switch they cannot connect (noanswer).
 */
export class TerminalChannel implements VoiceChannel, TransferPort {
  private pending: string[] = [];
  private hungUp = false;

  constructor(private readonly io: TerminalIo) {}

  get transfers(): TransferPort {
    return this;
  }

  async play(prompts: readonly PromptSegment[]): Promise<'played' | 'hangup'> {
    if (this.hungUp) return 'hangup';
    const text = promptText(prompts);
    if (text) this.io.write(`IVR: ${text}\n`);
    return 'played';
  }

  async waitKey(timeoutMs: number, phase: 'first' | 'next'): Promise<KeyEvent> {
    if (this.hungUp) return { kind: 'hangup' };
    const k = this.pending.shift();
    if (k !== undefined) return { kind: 'key', key: k };
    if (phase === 'next') return { kind: 'timeout' };
    const line = await this.io.readLine(`keys (empty = ${timeoutMs / 1000}s silence)> `);
    if (line === null) {
      this.hungUp = true;
      return { kind: 'hangup' };
    }
    const keys = [...line.trim()].filter((c) => /[0-9*#A-D]/.test(c));
    if (keys.length === 0) return { kind: 'timeout' };
    this.pending = keys;
    return { kind: 'key', key: this.pending.shift()! };
  }

  async record(): Promise<RecordResult> {
    const line = await this.io.readLine('recording: type seconds spoken (empty = silence)> ');
    if (line === null) return { kind: 'hangup' };
    const secs = Number(line.trim());
    if (!line.trim() || !Number.isFinite(secs)) return { kind: 'noinput' };
    const durationMs = Math.round(secs * 1000);
    return { kind: 'recorded', recording: { uri: 'memory:terminal-recording', durationMs, sizeBytes: 44 + durationMs * 16, type: 'audio/x-wav' }, termKey: '#', maxTime: false };
  }

  async transfer(req: TransferRequest): Promise<TransferResult> {
    this.io.write(`IVR: [${req.type} transfer to ${req.dest}: no switch in the terminal, treated as noanswer]\n`);
    return { outcome: 'noanswer', durationMs: 0 };
  }

  async disconnect(): Promise<void> {
    this.hungUp = true;
    this.io.write('IVR: [disconnected]\n');
  }
}

/**
 * `hotline ivr run URL|FILE [--speak] [--trace]`: one VoiceXML session at the
 * terminal (issue 6, IVR-1). Prompts are printed as `IVR: text`; each line
 * typed is a burst of DTMF keys, an empty line is silence, end of input
 * hangs up. `--speak` also speaks the prompts with espeak-ng when it is
 * installed; `--trace` prints every interpreter step (IVR-6) on stderr.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import pino from 'pino';
import type { TerminalIo } from '../ivr/channel/terminal-channel.ts';
import type { IvrStepEvent } from '../ivr/interpreter/ivr-step-event.ts';
import type { SessionOutcome } from '../ivr/interpreter/vxml-session.ts';
import { runTerminalIvr } from '../ivr/run-terminal-ivr.ts';
import type { Logger } from '../shared/logger.ts';

export interface IvrCliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
  /** Whether stdin is a person at a terminal (then the key prompt label is shown). */
  readonly interactive: boolean;
}

export interface IvrRunFlags {
  readonly speak?: boolean;
  readonly trace?: boolean;
  /** Program used for --speak (tests point it elsewhere). */
  readonly speakProgram?: string;
}

/** Speaks lines one after another; a missing or failing program is reported once and then left alone. */
class Speaker {
  private chain: Promise<void> = Promise.resolve();
  private broken = false;

  constructor(
    private readonly program: string,
    private readonly stderr: Writable,
  ) {}

  say(text: string): void {
    if (this.broken || text.trim() === '') return;
    this.chain = this.chain.then(() => this.run(text));
  }

  /** Resolves when everything queued so far has been spoken. */
  drain(): Promise<void> {
    return this.chain;
  }

  private run(text: string): Promise<void> {
    if (this.broken) return Promise.resolve();
    return new Promise((resolve) => {
      const child = spawn(this.program, [text], { stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('error', (e) => {
        this.broken = true;
        this.stderr.write(`hotline: --speak: ${this.program} unavailable (${e.message}); prompts are printed only\n`);
        resolve();
      });
      child.on('close', () => resolve());
    });
  }
}

/** Run one terminal session over the given streams; resolves with the outcome. */
export async function runIvrCli(target: string, flags: IvrRunFlags, io: IvrCliIo): Promise<SessionOutcome> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const speaker = flags.speak ? new Speaker(flags.speakProgram ?? 'espeak-ng', io.stderr) : undefined;
  const term: TerminalIo = {
    async readLine(label) {
      await speaker?.drain();
      if (io.interactive) io.stdout.write(label);
      const next = await lines.next();
      return next.done ? null : next.value;
    },
    write(text) {
      io.stdout.write(text);
      const m = /^IVR: (?!\[)(.*)$/s.exec(text);
      if (m && speaker) speaker.say(m[1]!.trim());
    },
  };
  const base = pino({ level: flags.trace ? 'debug' : 'warn', base: undefined, timestamp: false }, pino.destination({ fd: 2, sync: true }));
  const logger: Logger = flags.trace ? traceLogger(base, io.stderr) : base;
  try {
    const outcome = await runTerminalIvr(target, term, { logger, cwd: io.cwd });
    await speaker?.drain();
    return outcome;
  } finally {
    rl.close();
  }
}

/** Prints `ivr step` debug records as one readable line each; everything else goes to pino. */
function traceLogger(base: Logger, stderr: Writable): Logger {
  return {
    debug(obj, msg) {
      if (msg === 'ivr step' && typeof obj === 'object') {
        const e = obj as IvrStepEvent;
        const input = e.input !== undefined ? ` input=${JSON.stringify(e.input)}` : '';
        stderr.write(`step ${e.seq} ${e.kind} ${e.node}${input} -> ${e.result} (${e.durationMs.toFixed(1)} ms)\n`);
        return;
      }
      base.debug(obj, msg);
    },
    info: (o, m) => base.info(o, m),
    warn: (o, m) => base.warn(o, m),
    error: (o, m) => base.error(o, m),
    child: () => traceLogger(base, stderr),
  };
}

export function registerIvrCommands(program: Command): void {
  const ivr = program.command('ivr').description('VoiceXML IVR (IVR-1)');
  ivr
    .command('run <target>')
    .description('run a VoiceXML application at the terminal: URL or file; type keys, empty line = silence, end of input = hang up')
    .option('--speak', 'also speak prompts with espeak-ng when installed')
    .option('--trace', 'print every interpreter step on stderr')
    .action(async (target: string, o: { speak?: boolean; trace?: boolean }) => {
      const outcome = await runIvrCli(target, o, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        cwd: process.cwd(),
        interactive: process.stdin.isTTY === true,
      });
      process.exitCode = outcome.kind === 'error' ? 1 : 0;
    });
}

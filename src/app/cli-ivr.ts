/**
 * `hotline ivr run URL|FILE|NUMBER [--speak] [--trace]`: one VoiceXML session
 * at the terminal (issue 6, IVR-1). Prompts are printed as `IVR: text`; each
 * line typed is a burst of DTMF keys, an empty line is silence, end of input
 * hangs up. `--speak` also speaks the prompts with espeak-ng when it is
 * installed; `--trace` prints every interpreter step (IVR-6) on stderr.
 *
 * A NUMBER is a service number (issue 8): 95000 securities, 95002 bank,
 * 95003 fund (the numbers `hotline start` answers; 95001 is its general
 * queue, no IVR), answered by the packs over the built-in back-office
 * simulator (`--locale`, `--at` for the simulated time, `--mailbox` for the
 * SEC-3 texts). A transfer to an agent prints the call-attached data.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import pino from 'pino';
import { createPackServer, DEMO_MAILBOX_DIR, isLocale, PACK_SERVICE_NUMBERS, type Locale, type PackName } from '../../packs/index.ts';
import { SimulatedBackOffice } from '../backoffice/index.ts';
import { TerminalChannel, type TerminalIo } from '../ivr/channel/terminal-channel.ts';
import type { VoiceChannel } from '../ivr/channel/voice-channel.ts';
import { HttpFileFetcher, MountingFetcher } from '../ivr/fetch/index.ts';
import { EntryPointTable } from '../ivr/service/entry-point-table.ts';
import { IvrService } from '../ivr/service/ivr-service.ts';
import { NoticeBoard } from '../ivr/service/notice-board.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
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
  /** Service numbers: the packs' language. */
  readonly locale?: string;
  /** Service numbers: the simulator's clock starts at this instant (ISO 8601) instead of now. */
  readonly at?: string;
  /** Service numbers: folder of the SEC-3 mailbox texts. */
  readonly mailbox?: string;
}

/** The service numbers `hotline ivr run` answers with the packs: the same as `hotline start` (packs/index.ts). */
export const SERVICE_NUMBERS: Readonly<Record<string, PackName>> = PACK_SERVICE_NUMBERS;

const isServiceNumber = (target: string): boolean => /^\+?\d{1,20}$/.test(target);

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
    const outcome = isServiceNumber(target) ? await runServiceNumber(target, flags, term, logger, io.stderr) : await runTerminalIvr(target, term, { logger, cwd: io.cwd });
    await speaker?.drain();
    return outcome;
  } finally {
    rl.close();
  }
}

/** A clock `at` the given instant that runs on from there (to try the trading hours at any time of day). */
function clockAt(at: string | undefined): Clock {
  if (at === undefined) return systemClock;
  const t = Date.parse(at);
  if (!Number.isFinite(t)) throw new Error(`--at: '${at}' is not an ISO 8601 instant`);
  const offset = t - Date.now();
  return { now: () => Date.now() + offset, setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms) };
}

/** A service number: the IVR service with the packs mounted in its fetch layer, over a fresh simulator. */
async function runServiceNumber(dnis: string, flags: IvrRunFlags, term: TerminalIo, logger: Logger, stderr: Writable): Promise<SessionOutcome> {
  const locale: Locale = flags.locale === undefined ? 'zh-CN' : isLocale(flags.locale) ? flags.locale : 'zh-CN';
  if (flags.locale !== undefined && !isLocale(flags.locale)) stderr.write(`hotline: --locale ${flags.locale} is not zh-CN or en-US; using zh-CN\n`);
  let clock: Clock;
  try {
    clock = clockAt(flags.at);
  } catch (e) {
    stderr.write(`hotline: ${(e as Error).message}\n`);
    return { kind: 'error', event: 'error.hotline.config', message: (e as Error).message };
  }
  const backOffice = new SimulatedBackOffice(clock);
  const server = createPackServer({ backOffice, clock, logger, mailboxDir: flags.mailbox ?? DEMO_MAILBOX_DIR });
  const fetcher = new MountingFetcher(new HttpFileFetcher(clock), [{ prefix: server.prefix, fetcher: server }]);
  const entryPoints = new EntryPointTable(Object.entries(SERVICE_NUMBERS).map(([n, pack]) => ({ dnis: n, application: server.entryUrl(pack, locale), name: pack })));
  const ivr = new IvrService({ logger, clock, fetcher, entryPoints, notices: new NoticeBoard([]), steps: (e) => logger.debug({ ...e }, 'ivr step') });
  const terminal = new TerminalChannel(term);
  // The terminal has no switch: show what an agent's screen would receive (IVR-4), then let the terminal answer.
  const channel: VoiceChannel = {
    play: (p) => terminal.play(p),
    waitKey: (t, phase) => terminal.waitKey(t, phase),
    record: () => terminal.record(),
    disconnect: () => terminal.disconnect(),
    transfers: {
      transfer(req) {
        if (req.aai) term.write(`IVR: [call-attached data: ${req.aai}]\n`);
        return terminal.transfer(req);
      },
    },
  };
  const result = await ivr.handleCall({ dnis, channel, sessionId: 'terminal', vars: { hotline: { sessionId: 'terminal' } } });
  if (result.kind === 'no-entry-point') {
    const known = Object.entries(SERVICE_NUMBERS).map(([n, p]) => `${n} (${p})`).join(', ');
    stderr.write(`hotline: no IVR application answers ${dnis}; service numbers: ${known}\n`);
    return { kind: 'error', event: 'error.hotline.noentrypoint', message: `no entry point ${dnis}` };
  }
  term.write(`IVR: [session ended: ${JSON.stringify(result.outcome)}]\n`);
  return result.outcome;
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
    .description('run a VoiceXML application at the terminal: URL, file, or a service number (95000 securities, 95002 bank, 95003 fund); type keys, empty line = silence, end of input = hang up')
    .option('--speak', 'also speak prompts with espeak-ng when installed')
    .option('--trace', 'print every interpreter step on stderr')
    .option('--locale <locale>', 'service numbers: zh-CN (default) or en-US')
    .option('--at <instant>', 'service numbers: simulated time, ISO 8601 (e.g. 2026-11-23T10:00:00+08:00 for trading hours)')
    .option('--mailbox <dir>', 'service numbers: folder of the SEC-3 mailbox texts (default: the demo texts)')
    .action(async (target: string, o: { speak?: boolean; trace?: boolean; locale?: string; at?: string; mailbox?: string }) => {
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

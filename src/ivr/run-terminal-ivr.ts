import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Logger } from '../shared/logger.ts';
import { TerminalChannel, type TerminalIo } from './channel/terminal-channel.ts';
import { IvrRunner } from './ivr-runner.ts';
import type { SessionOutcome } from './interpreter/vxml-session.ts';

/**
 * `hotline ivr run URL|FILE`: run one session at the terminal. A plain path
 * is resolved against `cwd` (given by the CLI) and turned into a file: URL.
 */
export async function runTerminalIvr(target: string, io: TerminalIo, opts: { logger: Logger; cwd: string }): Promise<SessionOutcome> {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) || target.startsWith('file:') ? target : pathToFileURL(resolve(opts.cwd, target)).href;
  const runner = new IvrRunner({
    logger: opts.logger,
    steps: (e) => opts.logger.debug({ ...e }, 'ivr step'),
  });
  const outcome = await runner.run(url, new TerminalChannel(io), 'terminal');
  io.write(`IVR: [session ended: ${JSON.stringify(outcome)}]\n`);
  return outcome;
}

/**
 * baresip as an agent or customer phone in call tests (issue 4): one account,
 * a sine as its microphone (ausine, the tone matrix of DESIGN.md), what it
 * hears written to a WAV (sndfile's decoder dump), optional auto-answer, and its menu driven
 * through stdin (module stdio), so a test outside the namespace can dial
 * and hang up. Each phone gets its own config folder and SIP port.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './netns.ts';

export interface PhoneOptions {
  netns: Netns;
  user: string;
  password: string;
  /** host:port of the registrar. */
  server: string;
  listenPort: number;
  toneHz: number;
  /** A WAV (8 kHz mono, 16-bit) as the microphone instead of the sine (aufile); it plays once. */
  sourceWav?: string;
  autoAnswer?: boolean;
}

export interface Phone {
  user: string;
  dir: string;
  /** The WAV of what the phone heard in its latest call (sndfile's `-dec.wav` dump). */
  heardWav(): string;
  output(): string;
  /** Resolves when the output matches (searching from `from`, an output length), with the match. */
  waitFor(re: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  waitRegistered(timeoutMs?: number): Promise<void>;
  /** A menu command line, e.g. `/dial sip:8002@10.99.0.1:5060` or `/hangup`. */
  command(line: string): void;
  stop(): Promise<void>;
}

export function startPhone(o: PhoneOptions): Phone {
  const dir = mkdtempSync(join(tmpdir(), `phone-${o.user}-`));
  const config = [
    'poll_method\t\tepoll',
    `sip_listen\t\t${o.netns.phoneAddress}:${o.listenPort}`,
    // sndfile dumps what the phone hears (the decoder side) into snd_path.
    `snd_path\t\t${dir}`,
    ...(o.sourceWav !== undefined
      ? [`audio_source\t\taufile,${o.sourceWav}`, 'ausrc_srate\t\t8000', 'ausrc_channels\t\t1']
      : [
          `audio_source\t\tausine,${o.toneHz}`,
          // ausine only runs at 48 kHz; baresip resamples to the codec's 8 kHz.
          'ausrc_srate\t\t48000',
          'ausrc_channels\t\t2',
        ]),
    'auplay_srate\t\t8000',
    'auplay_channels\t\t1',
    'audio_alert\t\taufile,/dev/null',
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tstdio.so',
    'module\t\t\tg711.so',
    'module\t\t\tausine.so',
    'module\t\t\taufile.so',
    'module\t\t\tsndfile.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    `net_interface\t\t${o.netns.phoneInterface}`,
  ];
  writeFileSync(join(dir, 'config'), config.join('\n') + '\n');
  const answer = o.autoAnswer ? ';answermode=auto' : '';
  writeFileSync(join(dir, 'accounts'), `<sip:${o.user}@${o.server};transport=udp>;auth_pass=${o.password};regint=600${answer}\n`);
  const child: ChildProcess = o.netns.spawn('baresip', ['-f', dir]);
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const waitFor = (re: RegExp, timeoutMs = 15_000, from = 0) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`phone ${o.user}: no ${re} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`)), timeoutMs);
      const check = () => {
        const m = re.exec(out.slice(from));
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else waiters.push(check);
      };
      check();
    });
  return {
    user: o.user,
    dir,
    heardWav() {
      const dumps = readdirSync(dir).filter((f) => f.endsWith('-dec.wav')).sort();
      const last = dumps.at(-1);
      if (last === undefined) throw new Error(`phone ${o.user}: no call audio was dumped in ${dir}`);
      return join(dir, last);
    },
    output: () => out,
    waitFor,
    async waitRegistered(timeoutMs = 15_000) {
      const m = await waitFor(new RegExp(`${o.user}@\\S+: \\{[^}]*\\} (\\d{3} [^(\\n]*)`), timeoutMs);
      if (!m[1]!.startsWith('200')) throw new Error(`phone ${o.user}: registration answered ${m[1]}`);
    },
    command(line) {
      child.stdin?.write(`${line}\n`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        });
      }
    },
  };
}

/** Removes the phone's folder (after its WAV has been read). */
export function removePhoneDir(p: Phone): void {
  rmSync(p.dir, { recursive: true, force: true });
}

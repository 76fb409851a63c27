/**
 * baresip (Debian, 1.0) as an agent desk phone that answers by itself
 * (account answermode=auto) with several accounts, for the SIP call
 * gateway's tests: aufile as the microphone (a WAV of a sine at toneHz
 * that sox makes at 8 kHz: baresip 1.0's ausine only runs at 48 kHz and
 * aufile needs the codec's rate), sndfile dumping each call's decoded
 * (heard) and encoded (sent) audio as WAV files in `dumpDir` (baresip
 * 1.0's aufile has no player), run inside the test network namespace.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './netns.ts';

export interface GatewayPhoneAccount {
  user: string;
  password: string;
  /** host:port of the registrar. */
  domain: string;
  transport: 'udp' | 'tcp';
}

export interface GatewayPhone {
  dir: string;
  /** Where sndfile writes dump-TIME-dec.wav (heard) and dump-TIME-enc.wav (sent) for each call. */
  dumpDir: string;
  /** The newest `-dec.wav` dump: what the phone heard in its last call. */
  lastHeardWav(): string | undefined;
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

export function startGatewayPhone(o: { netns: Netns; accounts: GatewayPhoneAccount[]; toneHz: number; listenPort?: number; ctrlPort?: number }): GatewayPhone {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-phone-'));
  const dumpDir = join(dir, 'dumps');
  mkdirSync(dumpDir);
  const toneWav = join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', toneWav, 'synth', '60', 'sine', String(o.toneHz), 'vol', '0.25']);
  const config = [
    'poll_method\t\tepoll',
    `sip_listen\t\t${o.netns.phoneAddress}:${o.listenPort ?? 5070}`,
    'audio_player\t\taufile,/dev/null',
    `snd_path\t\t${dumpDir}`,
    `audio_source\t\taufile,${toneWav}`,
    'audio_alert\t\taufile,/dev/null',
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module\t\t\tsndfile.so',
    'module\t\t\tctrl_tcp.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    `ctrl_tcp_listen\t\t127.0.0.1:${o.ctrlPort ?? 4455}`,
    `net_interface\t\t${o.netns.phoneInterface}`,
  ];
  writeFileSync(join(dir, 'config'), config.join('\n') + '\n');
  const accounts = o.accounts.map((a) => `<sip:${a.user}@${a.domain};transport=${a.transport}>;auth_pass=${a.password};answermode=auto;regint=600;audio_codecs=PCMU`);
  writeFileSync(join(dir, 'accounts'), accounts.join('\n') + '\n');
  const child: ChildProcess = o.netns.spawn('baresip', ['-f', dir]);
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    dir,
    dumpDir,
    lastHeardWav() {
      const dec = readdirSync(dumpDir).filter((f) => f.endsWith('-dec.wav')).map((f) => join(dumpDir, f));
      return dec.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).at(-1);
    },
    output: () => out,
    waitFor(re, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (!m) return;
          waiters.delete(check);
          clearTimeout(t);
          resolve(m);
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`baresip: no ${re} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}

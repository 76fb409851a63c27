/**
 * baresip (Debian) as a real SIP phone in tests: writes a config folder,
 * runs it inside a test network namespace and reads its registration
 * results from its output. Audio: ausine sends a sine as the microphone,
 * aufile writes what it hears to a WAV file; ctrl_tcp drives it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './netns.ts';

export interface BaresipAccount {
  user: string;
  password: string;
  domain: string;
  transport: 'udp' | 'tcp' | 'tls';
  /** Registration interval in seconds. */
  regint?: number;
}

export interface BaresipOptions {
  netns: Netns;
  accounts: BaresipAccount[];
  listenPort?: number;
  /** PEM file of the CA (or self-signed server certificate) to trust for TLS. */
  caFile?: string;
  toneHz?: number;
  ctrlPort?: number;
}

export interface Baresip {
  dir: string;
  heardWav: string;
  output(): string;
  /** Resolves with the status line of the account's first registration answer (e.g. "200 OK"). */
  waitRegistered(user: string, timeoutMs?: number): Promise<string>;
  /** SIGTERM (baresip then unregisters its accounts) or, e.g., SIGKILL (it vanishes, registered). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startBaresip(opts: BaresipOptions): Baresip {
  const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
  const heardWav = join(dir, 'heard.wav');
  const lines = [
    'poll_method\t\tepoll',
    `sip_listen\t\t${opts.netns.phoneAddress}:${opts.listenPort ?? 5070}`,
    `audio_player\t\taufile,${heardWav}`,
    `audio_source\t\tausine,${opts.toneHz ?? 440}`,
    'audio_alert\t\taufile,/dev/null',
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\tausine.so',
    'module\t\t\taufile.so',
    'module\t\t\tctrl_tcp.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    `ctrl_tcp_listen\t\t127.0.0.1:${opts.ctrlPort ?? 4444}`,
    `net_interface\t\t${opts.netns.phoneInterface}`,
  ];
  if (opts.caFile) lines.push(`sip_cafile\t\t${opts.caFile}`);
  writeFileSync(join(dir, 'config'), lines.join('\n') + '\n');
  writeFileSync(
    join(dir, 'accounts'),
    opts.accounts
      .map((a) => `<sip:${a.user}@${a.domain};transport=${a.transport}>;auth_pass=${a.password};regint=${a.regint ?? 600}`)
      .join('\n') + '\n',
  );
  const child: ChildProcess = opts.netns.spawn('baresip', ['-f', dir]);
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    dir,
    heardWav,
    output: () => out,
    waitRegistered(user, timeoutMs = 15_000) {
      // The account may name a port (`8005@10.99.0.1:5061: {0/TLS/v4} 200 OK`).
      const re = new RegExp(`^${user}@\\S+: \\{[^}]*\\} (\\d{3} [^(\\n]*)`, 'm');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`baresip: no registration answer for ${user} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        const check = () => {
          const m = re.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!.trim());
          } else waiters.push(check);
        };
        check();
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}

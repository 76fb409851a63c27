/**
 * Kamailio from Debian as the side-by-side registrar peer of bench:sip:
 * in-memory usrloc (db_mode 0), digest auth by pv_auth_check with the same
 * account rule as Hotline's demo (password demo-<user>).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Kamailio {
  port: number;
  stop(): Promise<void>;
}

export async function startKamailio(opts: { port: number; children: number; realm: string }): Promise<Kamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kam-'));
  const cfg = readFileSync(join(import.meta.dirname, 'peers', 'kamailio-registrar.cfg'), 'utf8')
    .replaceAll('__LISTEN__', `udp:127.0.0.1:${opts.port}`)
    .replaceAll('__CHILDREN__', String(opts.children))
    .replaceAll('__REALM__', opts.realm);
  const file = join(dir, 'kamailio.cfg');
  writeFileSync(file, cfg);
  const child: ChildProcess = spawn('kamailio', ['-f', file, '-DD', '-E', '-m', '256', '-M', '16', '-P', join(dir, 'k.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, 1500);
    child.once('exit', (c) => {
      clearTimeout(t);
      reject(new Error(`kamailio exited ${c}: ${err.slice(-800)}`));
    });
  });
  return {
    port: opts.port,
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

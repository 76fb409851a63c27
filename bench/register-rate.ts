/**
 * REGISTER-with-digest throughput, driven by sipp over UDP on loopback (closed
 * loop: at most `open` registrations in flight, so the rate is what the
 * registrar sustains, not what sipp offers). Used by bench/sip.ts for both
 * Hotline and Kamailio.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIO = join(import.meta.dirname, '..', 'test', 'sipp', 'register-auth.xml');

export interface RegisterRun {
  target: string;
  registrations: number;
  successful: number;
  failed: number;
  retransmissions: number;
  seconds: number;
  perSecond: number;
}

/** Injection file: users `first`..`first+count-1`, password demo-<user>, domain given. */
export function usersFile(first: number, count: number, domain: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sip-'));
  const path = join(dir, 'users.csv');
  const rows = ['SEQUENTIAL'];
  for (let i = 0; i < count; i++) rows.push(`${first + i};demo-${first + i};${domain}`);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

function statField(csv: string, name: string): string {
  const lines = csv.trim().split('\n');
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  const i = head.indexOf(name);
  return i >= 0 ? (last[i] ?? '') : '';
}

export async function runRegisterLoad(opts: {
  target: string;
  users: string;
  registrations: number;
  open?: number;
  localPort: number;
}): Promise<RegisterRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sipp-'));
  const stf = join(dir, 'stat.csv');
  const args = [
    opts.target,
    '-sf', SCENARIO,
    '-inf', opts.users,
    '-au', '[field0]',
    '-ap', '[field1]',
    '-i', '127.0.0.1',
    '-p', String(opts.localPort),
    '-m', String(opts.registrations),
    '-l', String(opts.open ?? 100),
    '-r', '100000',
    '-nostdin',
    '-timeout', '120s',
    '-timeout_error',
    '-max_recv_loops', '10000',
    '-trace_stat', '-stf', stf, '-fd', '1',
  ];
  const started = process.hrtime.bigint();
  const code = await new Promise<number>((resolve, reject) => {
    const p = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (c) => (c !== null && c > 1 ? reject(new Error(`sipp exited ${c}: ${err.slice(-500)}`)) : resolve(c ?? 1)));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const csv = readFileSync(stf, 'utf8');
  const successful = Number(statField(csv, 'SuccessfulCall(C)'));
  const failed = Number(statField(csv, 'FailedCall(C)'));
  const retransmissions = Number(statField(csv, 'Retransmissions(C)'));
  if (code !== 0 && failed === 0) throw new Error(`sipp exit ${code} without failed calls counted`);
  return { target: opts.target, registrations: opts.registrations, successful, failed, retransmissions, seconds, perSecond: successful / seconds };
}

/**
 * Runs sipp's REGISTER-with-digest scenario (test/sipp/register-auth.xml) to
 * completion, optionally inside a network namespace, and reads its counts
 * from the statistics file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTER_SCENARIO = join(import.meta.dirname, '..', 'sipp', 'register-auth.xml');

export interface SippRegisterOptions {
  /** HOST:PORT of the registrar. */
  target: string;
  localIp: string;
  /** Local port (default: sipp picks a free one). */
  localPort?: number;
  transport: 'udp' | 'tcp';
  /** [user, password] pairs, used in turn. */
  users: Array<[string, string]>;
  domain: string;
  registrations: number;
  /** New registrations per second (default 10). */
  rate?: number;
  netns?: { name: string };
  timeoutSec?: number;
}

export interface SippRegisterResult {
  code: number | null;
  successful: number;
  failed: number;
  output: string;
}

function lastStat(csv: string, name: string): number {
  const lines = csv.trim().split('\n');
  const i = lines[0]!.split(';').indexOf(name);
  return i < 0 ? NaN : Number(lines[lines.length - 1]!.split(';')[i]);
}

export async function sippRegister(o: SippRegisterOptions): Promise<SippRegisterResult> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-sipp-'));
  try {
    const inf = join(dir, 'users.csv');
    writeFileSync(inf, ['SEQUENTIAL', ...o.users.map(([u, p]) => `${u};${p};${o.domain}`)].join('\n') + '\n');
    const stf = join(dir, 'stat.csv');
    const args = [
      o.target, '-sf', REGISTER_SCENARIO, '-inf', inf, '-au', '[field0]', '-ap', '[field1]',
      '-i', o.localIp, ...(o.localPort ? ['-p', String(o.localPort)] : []), '-t', o.transport === 'tcp' ? 't1' : 'u1',
      '-m', String(o.registrations), '-r', String(o.rate ?? 10), '-l', '50',
      '-nostdin', '-timeout', `${o.timeoutSec ?? 30}s`, '-timeout_error', '-max_recv_loops', '10000',
      '-trace_stat', '-stf', stf, '-fd', '1',
    ];
    const [cmd, argv] = o.netns ? ['ip', ['netns', 'exec', o.netns.name, 'sipp', ...args]] : ['sipp', args];
    let output = '';
    const code = await new Promise<number | null>((resolve, reject) => {
      const p = spawn(cmd, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout.on('data', (d: Buffer) => (output += d.toString()));
      p.stderr.on('data', (d: Buffer) => (output += d.toString()));
      p.on('error', reject);
      p.on('exit', (c) => resolve(c));
    });
    let csv = '';
    try {
      csv = readFileSync(stf, 'utf8');
    } catch {
      throw new Error(`sipp wrote no statistics (exit ${code}): ${output.slice(-1500)}`);
    }
    return { code, successful: lastStat(csv, 'SuccessfulCall(C)'), failed: lastStat(csv, 'FailedCall(C)'), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

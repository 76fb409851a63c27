/**
 * sipp processes for bench:switch (issue 4): the answering agents (one sipp
 * UAS that every agent extension is registered at), their registration, and
 * the callers (one sipp UAC a stage). Each writes its statistics file
 * (-trace_stat every second), read while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastSippStat, sippCounts, sippRate, type SippCounts } from './switch-stats.ts';

export const SCENARIOS = join(import.meta.dirname, '..', 'test', 'sipp');

export interface SippRun {
  child: ChildProcess;
  dir: string;
  /** The counters of the latest stat row. */
  counts(): SippCounts;
  /** sipp's overload warnings so far (its loop late by over 500 ms). */
  overloadWarnings(): number;
  /** Resolves with the exit code when sipp has ended. */
  done: Promise<number | null>;
  output(): string;
  stop(): Promise<number | null>;
}

// sipp's watchdog warns when its own loop falls behind (a busy machine) and by default quits after 120 such warnings: count them instead.
const COMMON = [
  '-nostdin', '-trace_err', '-trace_stat', '-fd', '1', '-max_recv_loops', '10000', '-max_sched_loops', '10000',
  '-watchdog_minor_maxtriggers', '1000000', '-watchdog_major_maxtriggers', '1000',
];

function run(dir: string, args: string[]): SippRun {
  mkdirSync(dir, { recursive: true });
  const stf = join(dir, 'stat.csv');
  const child = spawn('sipp', [...args, ...COMMON, '-stf', stf], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.length > 20_000) out = out.slice(-10_000);
  });
  const done = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      out += String(err);
      resolve(-1);
    });
    child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    dir,
    counts: () => sippCounts(existsSync(stf) ? lastSippStat(readFileSync(stf, 'utf8')) : {}),
    done,
    overloadWarnings: () => {
      let n = 0;
      for (const f of readdirSync(dir)) if (f.endsWith('_errors.log')) n += readFileSync(join(dir, f), 'utf8').split('Overload warning').length - 1;
      return n;
    },
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGUSR1');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      try {
        return await done;
      } finally {
        clearTimeout(t);
      }
    },
  };
}

/** Injection file rows (SEQUENTIAL: row N goes to call N, wrapping around). */
export function writeInjection(path: string, rows: string[][]): string {
  writeFileSync(path, ['SEQUENTIAL', ...rows.map((r) => r.join(';'))].join('\n') + '\n');
  return path;
}

/** The answering agents: answers every INVITE with PCMU, plays tone.pcap, waits for the BYE (at most `byeTimeoutMs` after the ACK). */
export function startAgents(o: { dir: string; port: number; mediaPort: number; byeTimeoutMs: number }): SippRun {
  return run(o.dir, [
    '-sf', join(SCENARIOS, 'bench-uas.xml'),
    '-i', '127.0.0.1', '-p', String(o.port), '-mi', '127.0.0.1', '-mp', String(o.mediaPort),
    '-l', '5000', '-recv_timeout', String(o.byeTimeoutMs),
  ]);
}

/**
 * Registers `count` agent extensions (digest) from `port`, where the agents'
 * sipp listens afterwards (Hotline sends calls to the address a REGISTER
 * came from); resolves with successes and failures.
 */
export async function registerAgents(o: { dir: string; target: string; port: number; users: string; count: number }): Promise<SippCounts & { code: number | null; output: string }> {
  const r = run(o.dir, [
    o.target, '-sf', join(SCENARIOS, 'bench-register.xml'), '-inf', o.users, '-au', '[field0]', '-ap', '[field1]',
    '-i', '127.0.0.1', '-p', String(o.port), '-m', String(o.count), '-l', '200', '-r', '2000',
    '-timeout', '120s', '-timeout_error',
  ]);
  const code = await r.done;
  return { ...r.counts(), code, output: r.output() };
}

/** One stage of callers: `calls` calls at `cps`, at most `limit` at once, each held `holdMs` after the answer. */
export function startCallers(o: {
  dir: string; target: string; port: number; mediaPort: number; users: string; calls: number; cps: number; limit: number; holdMs: number; timeoutSec: number;
  ramp?: { start: number; step: number; intervalSec: number };
}): SippRun {
  const { rate, periodMs } = o.ramp ? { rate: o.ramp.start, periodMs: 1000 } : sippRate(o.cps);
  const ramp = o.ramp ? ['-rate_increase', String(o.ramp.step), '-rate_interval', `${o.ramp.intervalSec}s`, '-rate_max', String(Math.round(o.cps)), '-no_rate_quit'] : [];
  return run(o.dir, [
    o.target, '-sf', join(SCENARIOS, 'bench-uac.xml'), '-inf', o.users, '-au', '[field0]', '-ap', '[field1]',
    '-i', '127.0.0.1', '-p', String(o.port), '-mi', '127.0.0.1', '-mp', String(o.mediaPort),
    '-m', String(o.calls), '-r', String(rate), '-rp', String(periodMs), ...ramp, '-l', String(o.limit), '-d', String(o.holdMs),
    '-recv_timeout', '30000', '-timeout', `${o.timeoutSec}s`, '-timeout_error',
  ]);
}

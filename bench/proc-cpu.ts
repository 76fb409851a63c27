/**
 * CPU time of a process from /proc/PID/stat (utime and stime, fields 14 and
 * 15, in clock ticks), the whole machine's busy share from /proc/stat, and
 * a process's resident memory: what bench:media measures engines by.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let tick: number | undefined;

/** Clock ticks per second (USER_HZ), usually 100. */
export function clockTicks(): number {
  if (tick === undefined) {
    try {
      tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      tick = 100;
    }
  }
  return tick;
}

export interface CpuTimes {
  user: number;
  sys: number;
}

/** User and system CPU seconds the process (all its threads) has used. */
export function processCpu(pid: number | 'self'): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces: fields after its closing parenthesis start at field 3
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hz = clockTicks();
  return { user: Number(f[11]) / hz, sys: Number(f[12]) / hz };
}

export function cpuDelta(a: CpuTimes, b: CpuTimes): CpuTimes & { total: number } {
  const user = b.user - a.user;
  const sys = b.sys - a.sys;
  return { user, sys, total: user + sys };
}

/** Machine-wide jiffies from /proc/stat: busy (user+nice+system+irq+softirq), steal, total. */
export function machineCpu(): { busy: number; steal: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Resident set size in KiB (VmRSS), 0 when the process is gone. */
export function rssKiB(pid: number | 'self'): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

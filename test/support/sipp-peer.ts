/**
 * sipp as a call peer inside a test network namespace: runs one scenario
 * in a given working folder (where its tone.pcap lies) and resolves with
 * its exit code and output once it ends.
 */
import type { Netns } from './netns.ts';

export interface SippPeer {
  done: Promise<{ code: number | null; output: string }>;
  kill(): void;
}

export function runSippPeer(ns: Netns, args: string[], cwd: string): SippPeer {
  const child = ns.spawn('sipp', [...args, '-nostdin', '-trace_err', '-max_recv_loops', '10000'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('close', (code) => resolve({ code, output })));
  return { done, kill: () => void child.kill('SIGKILL') };
}

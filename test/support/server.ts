/**
 * Starts a real `hotline start` child process for integration tests, on free
 * ports in a temp data dir, and waits until GET /health answers 200.
 *
 *   const h = await startHotline();
 *   ... h.httpUrl, h.sipPort, h.adminToken ...
 *   await h.restart();   // same data dir, same ports
 *   await h.stop();      // kills the process and removes the data dir
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortRange, freePorts } from './ports.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const HOTLINE_BIN = join(ROOT, 'bin', 'hotline.js');

export interface HotlineOptions {
  /** Extra arguments for `hotline start` (e.g. ['--log-level', 'debug']). */
  args?: string[];
  env?: Record<string, string>;
  /** Use this data dir instead of a fresh temp one (it is then not removed). */
  dataDir?: string;
  /** Milliseconds to wait for /health (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * Run the server inside this network namespace (`ip netns exec NAME`).
   * The test process cannot reach addresses inside the namespace, so the
   * /health check then runs curl inside it too; use `runHotlineCli(args,
   * env, netns)` for control commands. Needs `host` (an address in the namespace).
   */
  netns?: { name: string };
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
}

export interface HotlineProcess {
  dataDir: string;
  host: string;
  sipPort: number;
  sipTlsPort: number;
  sipWsPort: number;
  httpPort: number;
  rtpPorts: [number, number];
  httpUrl: string;
  /** Bearer token from DIR/admin-token. */
  adminToken: string;
  /** Everything the current process printed so far. */
  stdout(): string;
  stderr(): string;
  /** Sends a signal and resolves with the exit code once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the process (SIGTERM) and starts it again on the same data dir and ports. */
  restart(): Promise<void>;
  /** Stops the process and removes the temp data dir. */
  stop(): Promise<void>;
}

export async function startHotline(opts: HotlineOptions = {}): Promise<HotlineProcess> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hotline-it-'));
  const [sipPort, sipTlsPort, sipWsPort, httpPort] = (await freePorts(4)) as [number, number, number, number];
  const rtpPorts = await freePortRange(20);
  const host = opts.host ?? '127.0.0.1';
  const httpUrl = `http://${host}:${httpPort}`;
  const args = [
    HOTLINE_BIN, 'start', '--data', dataDir, '--host', host,
    '--sip-port', String(sipPort), '--sip-tls-port', String(sipTlsPort), '--sip-ws-port', String(sipWsPort),
    '--http-port', String(httpPort), '--rtp-ports', `${rtpPorts[0]}-${rtpPorts[1]}`,
    ...(opts.args ?? []),
  ];
  let child: ChildProcess | undefined;
  let out = '';
  let err = '';
  let exited: Promise<number | null> = Promise.resolve(null);

  const launch = async () => {
    out = '';
    err = '';
    // BENCH_NODE_FLAGS: extra Node.js flags for the server (e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile a bench; NODE_OPTIONS refuses --cpu-prof).
    const nodeFlags = (process.env['BENCH_NODE_FLAGS'] ?? '').split(/\s+/).filter((f) => f !== '');
    const full = [...nodeFlags, ...args];
    const [cmd, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns.name, process.execPath, ...full]] : [process.execPath, full];
    // `ip netns exec` execs the command in place, so the child pid is the server's own.
    const c = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    exited = new Promise((res) => c.once('exit', (code, sig) => res(code ?? (sig ? null : 0))));
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    let done = false;
    void exited.then(() => (done = true));
    for (;;) {
      if (done) throw new Error(`hotline start exited before it was ready (code ${c.exitCode}):\n${err || out}`);
      if ((await healthStatus(httpUrl, opts.netns)) === 200) return;
      if (Date.now() > deadline) {
        c.kill('SIGKILL');
        throw new Error(`hotline did not answer /health within ${opts.readyTimeoutMs ?? 30_000} ms:\n${err || out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return c?.exitCode ?? null;
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await launch();
  } catch (e) {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const h: HotlineProcess = {
    dataDir,
    host,
    sipPort,
    sipTlsPort,
    sipWsPort,
    httpPort,
    rtpPorts,
    httpUrl,
    adminToken: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim(),
    stdout: () => out,
    stderr: () => err,
    kill,
    async restart() {
      await kill('SIGTERM');
      await launch();
      h.adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    },
    async stop() {
      await kill('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** HTTP status of GET URL/health (0 when unreachable), asked from inside `netns` when given. */
export async function healthStatus(httpUrl: string, netns?: { name: string }): Promise<number> {
  if (!netns) {
    try {
      return (await fetch(`${httpUrl}/health`, { signal: AbortSignal.timeout(2000) })).status;
    } catch {
      return 0;
    }
  }
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', netns.name, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', `${httpUrl}/health`], (_err, stdout) =>
      resolve(Number(String(stdout).trim()) || 0),
    );
  });
}

/** Runs `hotline ARGS...` to completion; for CLI tests. With `netns`, inside that network namespace. */
export function runHotlineCli(args: string[], env: Record<string, string> = {}, netns?: { name: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [cmd, argv] = netns ? ['ip', ['netns', 'exec', netns.name, process.execPath, HOTLINE_BIN, ...args]] : [process.execPath, [HOTLINE_BIN, ...args]];
    const c = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Parent side of test/support/gateway-harness.ts: starts the harness inside
 * a test network namespace, sends it commands and waits for its gateway
 * events. `kill()` ends it abruptly (SIGKILL) for crash-recovery tests.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { GatewayEvent } from '../../src/switch/runtime/call-gateway.ts';
import type { Netns } from './netns.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface HarnessOptions {
  netns: Netns;
  sipPort: number;
  rtpPortMin: number;
  rtpPortMax: number;
  dataDir: string;
  accounts?: Array<[string, string]>;
  publicNumbers?: string[];
  trace?: boolean;
}

export interface GatewayDriver {
  events: GatewayEvent[];
  output(): string;
  /** What `recover()` reported at start. */
  recovered: Array<{ legId: string; callId: string; status: number }>;
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  waitEvent<T extends GatewayEvent['type']>(type: T, pred?: (e: Extract<GatewayEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<GatewayEvent, { type: T }>>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGatewayHarness(o: HarnessOptions): Promise<GatewayDriver> {
  const cfg = { host: o.netns.serverAddress, sipPort: o.sipPort, rtpPortMin: o.rtpPortMin, rtpPortMax: o.rtpPortMax, dataDir: o.dataDir, accounts: o.accounts ?? [], publicNumbers: o.publicNumbers ?? [], trace: o.trace ?? false };
  const child: ChildProcess = o.netns.spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(import.meta.dirname, 'gateway-harness.ts'), JSON.stringify(cfg)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const events: GatewayEvent[] = [];
  const replies = new Map<number, (r: { ok: boolean; result?: unknown; error?: string }) => void>();
  const waiters = new Set<() => void>();
  let out = '';
  let buf = '';
  let ready: ((r: Array<{ legId: string; callId: string; status: number }>) => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  const readyP = new Promise<Array<{ legId: string; callId: string; status: number }>>((res, rej) => {
    ready = res;
    failed = rej;
  });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let msg: { event?: GatewayEvent; reply?: number; ok?: boolean; ready?: { recovered: [] }; fatal?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      if (msg.event) {
        events.push(msg.event);
        for (const w of [...waiters]) w();
      } else if (msg.reply !== undefined) {
        replies.get(msg.reply)?.(msg as never);
        replies.delete(msg.reply);
      } else if (msg.ready) ready?.(msg.ready.recovered);
      else if (msg.fatal) failed?.(new Error(msg.fatal));
    }
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  child.once('exit', (code) => failed?.(new Error(`harness exited ${code}:\n${out.slice(-3000)}`)));
  const timer = setTimeout(() => failed?.(new Error(`harness not ready in 20 s:\n${out.slice(-3000)}`)), 20_000);
  const recovered = await readyP.finally(() => clearTimeout(timer));
  let nextId = 1;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return {
    events,
    recovered,
    output: () => out,
    call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        replies.set(id, (r) => (r.ok ? resolve(r.result as T) : reject(new Error(`${cmd}: ${r.error}`))));
        child.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
      });
    },
    waitEvent(type, pred = () => true, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const e = events.find((x) => x.type === type && pred(x as never));
          if (!e) return;
          waiters.delete(check);
          clearTimeout(t);
          resolve(e as never);
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} event within ${timeoutMs} ms; events: ${JSON.stringify(events)}\n${out.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

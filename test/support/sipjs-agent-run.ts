/**
 * Runs test/e2e/sipjs-agent.ts (SIP.js in Node, a browser's SIP stack) and
 * resolves with its first verdict line, REGISTERED or FAILED …, plus all it
 * printed; the child stays running (registered) until the caller kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export async function runSipJsAgent(o: {
  url: string;
  user: string;
  password: string;
  host: string;
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  env?: NodeJS.ProcessEnv;
  onChild?(child: ChildProcess): void;
}): Promise<{ line: string; out: string }> {
  const args = [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'test', 'e2e', 'sipjs-agent.ts'), o.url, o.user, o.password, o.host];
  const [cmd, argv] = o.netns ? ['ip', ['netns', 'exec', o.netns, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  o.onChild?.(child);
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SIP.js did not register within 20 s:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /^(REGISTERED|FAILED.*)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (c) => {
      clearTimeout(timer);
      reject(new Error(`SIP.js agent exited ${c}:\n${out}`));
    });
  });
  return { line, out };
}

/**
 * Network namespaces for tests with real phones (DESIGN.md "How audio is
 * checked in tests"): baresip refuses to run on loopback alone and this
 * kernel has no dummy interfaces, so such a test makes a namespace with `lo`
 * up and a veth pair carrying private test addresses, and runs every process
 * of the test inside it. Traffic never leaves the namespace.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Netns {
  name: string;
  /** Address of the server side of the veth pair. */
  serverAddress: string;
  /** Address of the phone side of the veth pair. */
  phoneAddress: string;
  /** Interface name of the phone side (for baresip's net_interface). */
  phoneInterface: string;
  spawn(cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
  exec(cmd: string, args: string[]): string;
  destroy(): void;
}

/** Why namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' });
  } catch {
    return 'iproute2 `ip netns` is not available';
  }
  return undefined;
}

export function createNetns(octet = 99): Netns {
  const name = `hl-${randomBytes(3).toString('hex')}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const serverAddress = `10.${octet}.0.1`;
  const phoneAddress = `10.${octet}.0.2`;
  ip('netns', 'add', name);
  try {
    ip('-n', name, 'link', 'set', 'lo', 'up');
    ip('-n', name, 'link', 'add', 'hl0', 'type', 'veth', 'peer', 'name', 'hl1');
    ip('-n', name, 'addr', 'add', `${serverAddress}/24`, 'dev', 'hl0');
    ip('-n', name, 'addr', 'add', `${phoneAddress}/24`, 'dev', 'hl1');
    ip('-n', name, 'link', 'set', 'hl0', 'up');
    ip('-n', name, 'link', 'set', 'hl1', 'up');
  } catch (e) {
    ip('netns', 'delete', name);
    throw e;
  }
  const children: ChildProcess[] = [];
  return {
    name,
    serverAddress,
    phoneAddress,
    phoneInterface: 'hl1',
    spawn(cmd, args, opts = {}) {
      const child = spawn('ip', ['netns', 'exec', name, cmd, ...args], { stdio: 'pipe', ...opts });
      children.push(child);
      return child;
    },
    exec(cmd, args) {
      return execFileSync('ip', ['netns', 'exec', name, cmd, ...args], { encoding: 'utf8', stdio: 'pipe' });
    },
    destroy() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      try {
        ip('netns', 'pids', name)
          .toString()
          .split('\n')
          .filter(Boolean)
          .forEach((pid) => {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              /* already gone */
            }
          });
      } catch {
        /* namespace already gone */
      }
      try {
        ip('netns', 'delete', name);
      } catch {
        /* already deleted */
      }
    },
  };
}

/**
 * How CLI control commands reach a running server: `--server URL --token T`,
 * or `--data DIR` (default HOTLINE_DATA, then ./data), where the server wrote
 * server.json and admin-token when it started.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { adminTokenFile, serverInfoFile, type ServerInfo } from './data-files.ts';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface ServerTarget {
  url: string;
  token: string;
}

export interface TargetOptions {
  server?: string;
  token?: string;
  data?: string;
}

export function resolveTarget(opts: TargetOptions, env: Record<string, string | undefined>, cwd: string): ServerTarget {
  const server = opts.server ?? env.HOTLINE_SERVER;
  const token = opts.token ?? env.HOTLINE_TOKEN;
  if (server) {
    if (!token) throw new CliError('--server needs --token T (or HOTLINE_TOKEN)', 2);
    return { url: server.replace(/\/+$/, ''), token };
  }
  const dir = resolve(cwd, opts.data ?? env.HOTLINE_DATA ?? './data');
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(serverInfoFile(dir), 'utf8')) as ServerInfo;
  } catch {
    throw new CliError(`no running server found: ${serverInfoFile(dir)} is missing (start one with "hotline start --data ${dir}", or pass --server URL --token T)`);
  }
  let fileToken: string;
  try {
    fileToken = readFileSync(adminTokenFile(dir), 'utf8').trim();
  } catch {
    throw new CliError(`cannot read ${adminTokenFile(dir)} (run as the user that started the server, or pass --token T)`);
  }
  return { url: info.url, token: token ?? fileToken };
}

export async function callApi<T>(target: ServerTarget, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new CliError(`cannot reach the server at ${target.url} (${cause})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(`unexpected answer from ${target.url}${path} (HTTP ${res.status}, not JSON)`);
  }
  if (!res.ok) {
    const msg = (json as { error?: { message?: string } } | undefined)?.error?.message ?? res.statusText;
    throw new CliError(`${msg} (HTTP ${res.status})`);
  }
  return json as T;
}

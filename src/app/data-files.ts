/**
 * Files the server keeps in its data directory for operators and the CLI:
 *   server.json     where the running server listens (removed at shutdown)
 *   admin-token     bearer token of the admin user, for `hotline <command> --data DIR`
 *   admin-password  the admin's first password, written once by the seed
 * Credentials are written with mode 0600.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashBearerToken, newBearerToken } from '../store/password-hash.ts';
import type { Stores } from '../store/stores.ts';

export interface ServerInfo {
  url: string;
  pid: number;
  version: string;
  host: string;
  httpPort: number;
  sipPort: number;
  sipTlsPort: number;
  sipWsPort: number;
  httpsPort?: number;
  sipWssPort?: number;
  startedAt: string;
}

export const serverInfoFile = (dataDir: string) => join(dataDir, 'server.json');
export const adminTokenFile = (dataDir: string) => join(dataDir, 'admin-token');
export const adminPasswordFile = (dataDir: string) => join(dataDir, 'admin-password');

export function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  writeSecret(serverInfoFile(dataDir), `${JSON.stringify(info, null, 2)}\n`);
}

export function removeServerInfo(dataDir: string, pid: number): void {
  const f = serverInfoFile(dataDir);
  try {
    if ((JSON.parse(readFileSync(f, 'utf8')) as ServerInfo).pid === pid) rmSync(f);
  } catch {
    // Already gone or not ours.
  }
}

/** URL a local client should use for a listening address (wildcards become loopback). */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/**
 * Keeps DIR/admin-token valid: reuses the token in the file when the database
 * still knows it, otherwise issues a new one for the `admin` user.
 */
export async function ensureAdminToken(stores: Stores, dataDir: string, now: Date): Promise<string> {
  const file = adminTokenFile(dataDir);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    const known = token ? await stores.apiTokens.findByHash(hashBearerToken(token)) : undefined;
    if (known && known.username === 'admin' && (!known.expiresAt || known.expiresAt > now)) return token;
  }
  if (!(await stores.users.get('admin'))) throw new Error('the database has no "admin" user to issue the CLI token for');
  const { token, hash } = newBearerToken();
  await stores.apiTokens.put({ id: randomUUID(), tokenHash: hash, username: 'admin', label: `cli token in ${file}`, createdAt: now });
  writeSecret(file, `${token}\n`);
  return token;
}

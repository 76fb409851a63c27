/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb in a temp dir, started
 * with pg_ctl on a free port (TCP on 127.0.0.1, socket in the temp dir), one
 * database created. stop() shuts it down and removes everything.
 *
 * As root, the server binaries refuse to run, so they run as the `postgres`
 * system user through runuser and the temp dir is owned by that user.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.ts';

const run = promisify(execFile);
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export interface TempPostgres {
  url: string;
  port: number;
  database: string;
  stop(): Promise<void>;
}

/** Why a PostgreSQL test cannot run here, or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  for (const b of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(POSTGRES_BIN, b))) return `${join(POSTGRES_BIN, b)} not found (install Debian package postgresql-15)`;
  }
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'running as root but runuser is missing';
  return undefined;
}

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

export async function startTempPostgres(database = 'hotline_test'): Promise<TempPostgres> {
  const reason = postgresUnavailableReason();
  if (reason) throw new Error(`PostgreSQL unavailable: ${reason}`);
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'hotline-pg-'));
  const exec = (bin: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, bin), ...args]) : run(join(POSTGRES_BIN, bin), args);
  const dataDir = join(dir, 'data');
  let started = false;
  try {
    if (asRoot) {
      const { uid, gid } = await idOf('postgres');
      await chown(dir, uid, gid);
    }
    await exec('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await exec('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', opts, 'start']);
    started = true;
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`create database ${database}`);
    } finally {
      await admin.end();
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${database}`,
      port,
      database,
      async stop() {
        await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (started) await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Opens the database named by the configuration: an embedded SQLite file
 * (WAL journal) or a PostgreSQL server, both behind one Kysely instance.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type Dialect } from './migrations.ts';
import type { HotlineDatabase } from './schema.ts';

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface OpenDatabase {
  db: Kysely<HotlineDatabase>;
  dialect: Dialect;
  /** Migrations applied while opening (empty when the schema was current). */
  applied: string[];
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const PG_INT8_OID = 20;

/** int8 columns hold epoch milliseconds, which fit a double exactly; read them as numbers. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/**
 * Kysely prepares every query anew; on better-sqlite3 preparing costs as much
 * as running (measured in bench:sip: half the registrar's database time), so
 * prepared statements are kept by SQL text. Kysely's queries are built from a
 * fixed set of shapes, so the cache stays small; it is bounded all the same.
 */
function cachingStatements(sqlite: SqliteDatabase.Database, max = 512) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  let db: Kysely<HotlineDatabase>;
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
    const sqlite = new SqliteDatabase(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // WAL with synchronous=NORMAL: a commit survives a crash of the process (kill -9), only an
    // OS crash or power loss may lose the last commits; FULL would fsync on every REGISTER.
    sqlite.pragma('synchronous = NORMAL');
    db = new Kysely<HotlineDatabase>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, types: pgTypes });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    db = new Kysely<HotlineDatabase>({ dialect: new PostgresDialect({ pool }) });
  }
  let applied: string[];
  try {
    applied = await migrateToLatest(db as Kysely<unknown>, target.kind);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    db,
    dialect: target.kind,
    applied,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

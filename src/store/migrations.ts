/**
 * Schema migrations, defined in code and numbered. Each one must run on both
 * SQLite and PostgreSQL, so only portable column types are used: text,
 * integer, bigint (epoch ms), double precision. Never edit a migration that
 * has shipped; add the next number instead.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Migrations by name; names sort in the order they apply. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const autoId = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    '0001_sip_and_security': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sip_accounts')
          .addColumn('username', 'text', (c) => c.primaryKey())
          .addColumn('realm', 'text', (c) => c.notNull())
          .addColumn('ha1_md5', 'text', (c) => c.notNull())
          .addColumn('ha1_sha256', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text')
          .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('registrations')
          .addColumn('aor', 'text', (c) => c.notNull())
          .addColumn('contact', 'text', (c) => c.notNull())
          .addColumn('contact_header', 'text', (c) => c.notNull())
          .addColumn('q', 'double precision', (c) => c.notNull())
          .addColumn('call_id', 'text', (c) => c.notNull())
          .addColumn('cseq', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('registered_at', 'bigint', (c) => c.notNull())
          .addColumn('transport', 'text', (c) => c.notNull())
          .addColumn('source_address', 'text', (c) => c.notNull())
          .addColumn('source_port', 'integer', (c) => c.notNull())
          .addColumn('connection_id', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('instance_id', 'text')
          .addPrimaryKeyConstraint('registrations_pk', ['aor', 'contact'])
          .execute();
        await db.schema.createIndex('registrations_expires_idx').on('registrations').column('expires_at').execute();
        await db.schema
          .createTable('security_events')
          .addColumn('id', autoId, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('source_address', 'text', (c) => c.notNull())
          .addColumn('source_port', 'integer')
          .addColumn('transport', 'text')
          .addColumn('username', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('security_events_at_idx').on('security_events').column('at').execute();
        await db.schema
          .createTable('bans')
          .addColumn('address', 'text', (c) => c.primaryKey())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('banned_at', 'bigint', (c) => c.notNull())
          .addColumn('until', 'bigint', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['bans', 'security_events', 'registrations', 'sip_accounts']) await db.schema.dropTable(t).execute();
      },
    },
    '0002_users_and_tokens': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('username', 'text', (c) => c.primaryKey())
          .addColumn('display_name', 'text')
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'supervisor', 'agent')`))
          .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('username', 'text', (c) => c.notNull().references('users.username').onDelete('cascade'))
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint')
          .execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['meta', 'api_tokens', 'users']) await db.schema.dropTable(t).execute();
      },
    },
  };
}

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

export class MigrationError extends Error {
  readonly code = 'migration-failed';
  constructor(migration: string | undefined, cause: unknown) {
    super(`database migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/** Brings the schema to the newest migration; returns the names applied now. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new CodeMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results?.find((r) => r.status === 'Error')?.migrationName, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

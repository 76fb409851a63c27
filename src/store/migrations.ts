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
    '0003_events_and_call_records': {
      async up(db: Kysely<unknown>) {
        await eventLogAndRecords(db);
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['leg_records', 'call_records', 'events']) await db.schema.dropTable(t).execute();
      },
    },
    '0004_audit_tasks_notices': {
      async up(db: Kysely<unknown>) {
        await auditTasksNotices(db, autoId, dialect);
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['notice_recipients', 'notices', 'tasks', 'audit_log']) await db.schema.dropTable(t).execute();
      },
    },
  };
}

/** The operation log (ADM-3) and the supervisors' tasks and notices to agents (SUP-4). */
async function auditTasksNotices(db: Kysely<unknown>, autoId: 'bigserial' | 'integer', dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', autoId, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('detail', 'text')
    .addColumn('source_address', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor', 'at']).execute();
  await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target', 'at']).execute();
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('assignee', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_assignee_idx').on('tasks').columns(['assignee', 'created_at']).execute();
  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .execute();
  await db.schema.createIndex('notices_at_idx').on('notices').column('at').execute();
  await db.schema
    .createTable('notice_recipients')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addPrimaryKeyConstraint('notice_recipients_pk', ['notice_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('notice_recipients_agent_idx').on('notice_recipients').column('agent_id').execute();
}

/** The event log (`events`, seq assigned by the one writer) and the call records (issue 4, OPS-3, OPS-4). */
async function eventLogAndRecords(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('interaction', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_interaction_idx').on('events').column('interaction').execute();
  await db.schema
    .createTable('call_records')
    .addColumn('interaction_id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text')
    .addColumn('disposition', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_records_started_idx').on('call_records').columns(['started_at', 'interaction_id']).execute();
  await db.schema.createIndex('call_records_customer_idx').on('call_records').column('customer').execute();
  await db.schema
    .createTable('leg_records')
    .addColumn('leg_id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('party_kind', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint')
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('leg_records_interaction_idx').on('leg_records').column('interaction_id').execute();
  await db.schema.createIndex('leg_records_party_idx').on('leg_records').columns(['party_id', 'party_kind']).execute();
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

/**
 * The operation log (ADM-3): every agent, supervisor and admin action made
 * through the API, append-only in table `audit_log`, on SQLite and
 * PostgreSQL alike. The API writes one entry per mutating request and per
 * sign-in or sign-out (src/api/routes/audit-hook.ts); supervisors and
 * admins read it back filtered (GET /api/v1/audit).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditLogTable, HotlineDatabase } from './schema.ts';

export interface AuditRecord {
  at: Date;
  /** The username acting (for a failed sign-in: the name tried). */
  actor: string;
  role?: string;
  /** e.g. `agent.ready`, `interaction.hold`, `agent.create`, `blacklist.add`, `session.sign-in`. */
  action: string;
  /** Agent id, interaction id, number... the action was on. */
  target?: string;
  /** `ok`, or the typed error code of a refused request. */
  outcome: string;
  /** The HTTP status answered. */
  status?: number;
  detail?: Record<string, unknown>;
  sourceAddress?: string;
}

export interface AuditQuery {
  actor?: string;
  /** Exact action, or a prefix when it ends with `*` (`agent.*`). */
  action?: string;
  target?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
  limit?: number;
}

export interface AuditStore {
  append(e: AuditRecord): Promise<void>;
  /** Newest first. */
  list(q?: AuditQuery): Promise<AuditRecord[]>;
}

export const AUDIT_DEFAULT_LIMIT = 200;
export const AUDIT_MAX_LIMIT = 5000;

function toRecord(r: Selectable<AuditLogTable>): AuditRecord {
  const e: AuditRecord = { at: new Date(Number(r.at)), actor: r.actor, action: r.action, outcome: r.outcome };
  if (r.role !== null) e.role = r.role;
  if (r.target !== null) e.target = r.target;
  if (r.status !== null) e.status = Number(r.status);
  if (r.detail !== null) e.detail = JSON.parse(r.detail) as Record<string, unknown>;
  if (r.source_address !== null) e.sourceAddress = r.source_address;
  return e;
}

/** LIKE pattern of a prefix, its wildcards escaped. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class KyselyAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async append(e: AuditRecord): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: e.at.getTime(),
        actor: e.actor,
        role: e.role ?? null,
        action: e.action,
        target: e.target ?? null,
        outcome: e.outcome,
        status: e.status ?? null,
        detail: e.detail === undefined ? null : JSON.stringify(e.detail),
        source_address: e.sourceAddress ?? null,
      })
      .execute();
  }

  async list(q: AuditQuery = {}): Promise<AuditRecord[]> {
    let s = this.db.selectFrom('audit_log').selectAll();
    if (q.actor !== undefined) s = s.where('actor', '=', q.actor);
    if (q.action !== undefined) {
      if (q.action.endsWith('*')) {
        const pattern = likePrefix(q.action.slice(0, -1));
        s = s.where(sql<boolean>`action like ${pattern} escape '\\'`);
      } else s = s.where('action', '=', q.action);
    }
    if (q.target !== undefined) s = s.where('target', '=', q.target);
    if (q.since) s = s.where('at', '>=', q.since.getTime());
    if (q.until) s = s.where('at', '<', q.until.getTime());
    const limit = Math.min(AUDIT_MAX_LIMIT, Math.max(0, Math.floor(q.limit ?? AUDIT_DEFAULT_LIMIT)));
    const rows = await s.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRecord);
  }
}

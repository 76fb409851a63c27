import type { Kysely, Selectable } from 'kysely';
import type { SecurityEvent, SecurityEventKind, SecurityEventStore } from '../sip/ports.ts';
import type { HotlineDatabase, SecurityEventTable } from './schema.ts';

function toEvent(r: Selectable<SecurityEventTable>): SecurityEvent {
  const e: SecurityEvent = { at: new Date(r.at), kind: r.kind as SecurityEventKind, sourceAddress: r.source_address };
  if (r.source_port !== null) e.sourcePort = r.source_port;
  if (r.transport !== null) e.transport = r.transport;
  if (r.username !== null) e.username = r.username;
  if (r.user_agent !== null) e.userAgent = r.user_agent;
  if (r.detail !== null) e.detail = r.detail;
  return e;
}

/** Append-only security log in table `security_events` (OPS-2, OPS-4). */
export class KyselySecurityEventStore implements SecurityEventStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async append(e: SecurityEvent): Promise<void> {
    await this.db
      .insertInto('security_events')
      .values({
        at: e.at.getTime(),
        kind: e.kind,
        source_address: e.sourceAddress,
        source_port: e.sourcePort ?? null,
        transport: e.transport ?? null,
        username: e.username ?? null,
        user_agent: e.userAgent ?? null,
        detail: e.detail ?? null,
      })
      .execute();
  }

  async list(opts: { since?: Date; kind?: SecurityEventKind; limit?: number } = {}): Promise<SecurityEvent[]> {
    let q = this.db.selectFrom('security_events').selectAll();
    if (opts.since) q = q.where('at', '>=', opts.since.getTime());
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    q = q.orderBy('at', 'desc').orderBy('id', 'desc');
    if (opts.limit !== undefined) q = q.limit(Math.max(0, Math.floor(opts.limit)));
    const rows = await q.execute();
    return rows.map(toEvent);
  }
}

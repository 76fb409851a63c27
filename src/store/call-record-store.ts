/**
 * Call records and leg records in tables `call_records` and `leg_records`
 * (issue 4 item 4, CTI-1). Indexed columns serve the filters; the whole
 * record is kept as JSON in `data` so nothing is lost between versions.
 * Upserts are keyed by interaction id and leg id and guarded by `last_seq`:
 * a write older than the stored one changes nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { RecordBundle } from '../switch/records/call-record.ts';
import type { CallRecord, CallRecordPage, CallRecordQuery, CallRecordStore, LegRecord } from '../switch/records/ports.ts';
import type { HotlineDatabase } from './schema.ts';

const CHUNK = 200;

/** Keeps, per key, the item with the highest lastSeq (one statement may not touch a row twice). */
function newest<T extends { lastSeq: number }>(items: T[], key: (t: T) => string): T[] {
  const by = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    const had = by.get(k);
    if (had === undefined || had.lastSeq <= it.lastSeq) by.set(k, it);
  }
  return [...by.values()];
}

export class KyselyCallRecordStore implements CallRecordStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async upsert(bundles: readonly RecordBundle[]): Promise<void> {
    if (bundles.length === 0) return;
    const records = newest(bundles.map((b) => b.record), (r) => r.interactionId);
    const legs = newest(bundles.flatMap((b) => b.legs), (l) => l.legId);
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < records.length; i += CHUNK) await this.putRecords(trx, records.slice(i, i + CHUNK));
      for (let i = 0; i < legs.length; i += CHUNK) await this.putLegs(trx, legs.slice(i, i + CHUNK));
    });
  }

  async get(interactionId: string): Promise<RecordBundle | undefined> {
    const row = await this.db.selectFrom('call_records').select('data').where('interaction_id', '=', interactionId).executeTakeFirst();
    if (row === undefined) return undefined;
    const legs = await this.db.selectFrom('leg_records').select('data').where('interaction_id', '=', interactionId).execute();
    const legRecords = legs.map((l) => JSON.parse(l.data) as LegRecord);
    legRecords.sort((a, b) => a.createdAt - b.createdAt || a.legId.localeCompare(b.legId, 'en', { numeric: true }));
    return { record: JSON.parse(row.data) as CallRecord, legs: legRecords };
  }

  async list(query: CallRecordQuery = {}): Promise<CallRecordPage> {
    let q = this.db.selectFrom('call_records');
    if (query.from !== undefined) q = q.where('started_at', '>=', query.from);
    if (query.to !== undefined) q = q.where('started_at', '<', query.to);
    if (query.disposition !== undefined) q = q.where('disposition', '=', query.disposition);
    if (query.agent !== undefined) {
      const agent = query.agent;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('leg_records')
            .select('leg_id')
            .whereRef('leg_records.interaction_id', '=', 'call_records.interaction_id')
            .where('party_id', '=', agent)
            .where('party_kind', '=', 'agent'),
        ),
      );
    }
    if (query.number !== undefined) {
      const number = query.number;
      q = q.where(({ or, eb, exists, selectFrom }) =>
        or([
          eb('customer', '=', number),
          exists(
            selectFrom('leg_records')
              .select('leg_id')
              .whereRef('leg_records.interaction_id', '=', 'call_records.interaction_id')
              .where('party_id', '=', number)
              .where('party_kind', 'in', ['customer', 'external']),
          ),
        ]),
      );
    }
    const total = await q.select((e) => e.fn.countAll().as('n')).executeTakeFirst();
    const rows = await q
      .select('data')
      .orderBy('started_at', 'desc')
      .orderBy('interaction_id', 'desc')
      .limit(Math.max(1, Math.floor(query.limit ?? 50)))
      .offset(Math.max(0, Math.floor(query.offset ?? 0)))
      .execute();
    return { items: rows.map((r) => JSON.parse(r.data) as CallRecord), total: Number(total?.n ?? 0) };
  }

  private async putRecords(trx: Transaction<HotlineDatabase>, records: CallRecord[]): Promise<void> {
    await trx
      .insertInto('call_records')
      .values(
        records.map((r) => ({
          interaction_id: r.interactionId,
          started_at: r.startedAt,
          ended_at: r.endedAt ?? null,
          direction: r.direction,
          customer: r.customer,
          queue_id: r.queueId ?? null,
          disposition: r.disposition ?? null,
          status: r.status,
          last_seq: r.lastSeq,
          data: JSON.stringify(r),
        })),
      )
      .onConflict((oc) =>
        oc
          .column('interaction_id')
          .doUpdateSet((eb) => ({
            started_at: eb.ref('excluded.started_at'),
            ended_at: eb.ref('excluded.ended_at'),
            direction: eb.ref('excluded.direction'),
            customer: eb.ref('excluded.customer'),
            queue_id: eb.ref('excluded.queue_id'),
            disposition: eb.ref('excluded.disposition'),
            status: eb.ref('excluded.status'),
            last_seq: eb.ref('excluded.last_seq'),
            data: eb.ref('excluded.data'),
          }))
          .where((eb) => eb('call_records.last_seq', '<=', eb.ref('excluded.last_seq'))),
      )
      .execute();
  }

  private async putLegs(trx: Transaction<HotlineDatabase>, legs: LegRecord[]): Promise<void> {
    await trx
      .insertInto('leg_records')
      .values(
        legs.map((l) => ({
          leg_id: l.legId,
          interaction_id: l.interactionId,
          party_kind: l.party.kind,
          party_id: l.party.id,
          created_at: l.createdAt,
          end_at: l.endAt ?? null,
          last_seq: l.lastSeq,
          data: JSON.stringify(l),
        })),
      )
      .onConflict((oc) =>
        oc
          .column('leg_id')
          .doUpdateSet((eb) => ({
            interaction_id: eb.ref('excluded.interaction_id'),
            party_kind: eb.ref('excluded.party_kind'),
            party_id: eb.ref('excluded.party_id'),
            created_at: eb.ref('excluded.created_at'),
            end_at: eb.ref('excluded.end_at'),
            last_seq: eb.ref('excluded.last_seq'),
            data: eb.ref('excluded.data'),
          }))
          .where((eb) => eb('leg_records.last_seq', '<=', eb.ref('excluded.last_seq'))),
      )
      .execute();
  }
}

import type { Kysely } from 'kysely';
import type { HotlineDatabase } from './schema.ts';

/** Small key/value facts about the database (e.g. `demo-seeded-at`). */
export class KyselyMetaStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /** Sets the key only when absent; true when this call set it (first writer wins). */
  async setIfAbsent(key: string, value: string): Promise<boolean> {
    const r = await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
}

import type { Kysely } from 'kysely';
import type { Ban, BanStore } from '../sip/ports.ts';
import type { HotlineDatabase } from './schema.ts';

/** Temporary bans of source addresses in table `bans` (OPS-2). */
export class KyselyBanStore implements BanStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async list(): Promise<Ban[]> {
    const rows = await this.db.selectFrom('bans').selectAll().orderBy('banned_at').orderBy('address').execute();
    return rows.map((r) => ({ address: r.address, reason: r.reason, bannedAt: new Date(r.banned_at), until: new Date(r.until) }));
  }

  async put(ban: Ban): Promise<void> {
    const row = { address: ban.address, reason: ban.reason, banned_at: ban.bannedAt.getTime(), until: ban.until.getTime() };
    await this.db
      .insertInto('bans')
      .values(row)
      .onConflict((oc) => oc.column('address').doUpdateSet({ ...row }))
      .execute();
  }

  async remove(address: string): Promise<boolean> {
    const r = await this.db.deleteFrom('bans').where('address', '=', address).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

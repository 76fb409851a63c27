import type { Kysely, Selectable } from 'kysely';
import type { SipAccount, SipAccountStore } from '../sip/ports.ts';
import type { HotlineDatabase, SipAccountTable } from './schema.ts';

function toAccount(r: Selectable<SipAccountTable>): SipAccount {
  const a: SipAccount = {
    username: r.username,
    realm: r.realm,
    ha1Md5: r.ha1_md5,
    ha1Sha256: r.ha1_sha256,
    enabled: r.enabled === 1,
    createdAt: new Date(r.created_at),
  };
  if (r.display_name !== null) a.displayName = r.display_name;
  return a;
}

/** SIP accounts in table `sip_accounts`. */
export class KyselySipAccountStore implements SipAccountStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async get(username: string): Promise<SipAccount | undefined> {
    const row = await this.db.selectFrom('sip_accounts').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async list(): Promise<SipAccount[]> {
    const rows = await this.db.selectFrom('sip_accounts').selectAll().orderBy('username').execute();
    return rows.map(toAccount);
  }

  async put(a: SipAccount): Promise<void> {
    const row = {
      username: a.username,
      realm: a.realm,
      ha1_md5: a.ha1Md5,
      ha1_sha256: a.ha1Sha256,
      display_name: a.displayName ?? null,
      enabled: a.enabled ? 1 : 0,
      created_at: a.createdAt.getTime(),
    };
    await this.db
      .insertInto('sip_accounts')
      .values(row)
      .onConflict((oc) => oc.column('username').doUpdateSet({ ...row }))
      .execute();
  }

  async remove(username: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sip_accounts').where('username', '=', username).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { ApiTokenTable, HotlineDatabase } from './schema.ts';

/** A bearer token for the CLI and API; only its SHA-256 is kept. */
export interface ApiToken {
  id: string;
  tokenHash: string;
  username: string;
  label: string;
  createdAt: Date;
  expiresAt?: Date;
}

export interface ApiTokenStore {
  put(token: ApiToken): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiToken | undefined>;
  list(username?: string): Promise<ApiToken[]>;
  remove(id: string): Promise<boolean>;
}

function toToken(r: Selectable<ApiTokenTable>): ApiToken {
  const t: ApiToken = { id: r.id, tokenHash: r.token_hash, username: r.username, label: r.label, createdAt: new Date(r.created_at) };
  if (r.expires_at !== null) t.expiresAt = new Date(r.expires_at);
  return t;
}

export class KyselyApiTokenStore implements ApiTokenStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async put(t: ApiToken): Promise<void> {
    const row = {
      id: t.id,
      token_hash: t.tokenHash,
      username: t.username,
      label: t.label,
      created_at: t.createdAt.getTime(),
      expires_at: t.expiresAt ? t.expiresAt.getTime() : null,
    };
    await this.db
      .insertInto('api_tokens')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
  }

  async findByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row ? toToken(row) : undefined;
  }

  async list(username?: string): Promise<ApiToken[]> {
    let q = this.db.selectFrom('api_tokens').selectAll();
    if (username !== undefined) q = q.where('username', '=', username);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(toToken);
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { HotlineDatabase, UserTable } from './schema.ts';

export const USER_ROLES = ['admin', 'supervisor', 'agent'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A person who logs in to the web desktop or the API. */
export interface User {
  username: string;
  displayName?: string;
  /** scrypt hash from password-hash.ts, never the password. */
  passwordHash: string;
  role: UserRole;
  enabled: boolean;
  createdAt: Date;
}

export interface UserStore {
  get(username: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  /** Insert or replace. */
  put(user: User): Promise<void>;
  remove(username: string): Promise<boolean>;
  count(): Promise<number>;
}

function toUser(r: Selectable<UserTable>): User {
  const u: User = {
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role as UserRole,
    enabled: r.enabled === 1,
    createdAt: new Date(r.created_at),
  };
  if (r.display_name !== null) u.displayName = r.display_name;
  return u;
}

export class KyselyUserStore implements UserStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async get(username: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async put(u: User): Promise<void> {
    const row = {
      username: u.username,
      display_name: u.displayName ?? null,
      password_hash: u.passwordHash,
      role: u.role,
      enabled: u.enabled ? 1 : 0,
      created_at: u.createdAt.getTime(),
    };
    await this.db
      .insertInto('users')
      .values(row)
      .onConflict((oc) => oc.column('username').doUpdateSet({ ...row }))
      .execute();
  }

  async remove(username: string): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('username', '=', username).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

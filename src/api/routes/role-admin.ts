/**
 * Custom roles (ADM-1 "roles with permissions"): a role has an id, a name, a
 * base built-in role (agent, supervisor or admin) and the permissions
 * (permissions.ts: API areas) its users keep, a subset of what the base
 * reaches. A web user given a custom role keeps their built-in role and
 * loses the areas the custom role leaves out; users without one are as
 * before. The role's base must be the user's built-in role, so a custom
 * role never lifts anyone.
 *
 * Persistence: the roles are one JSON document under the `meta` key
 * `admin.roles`, the assignments (username -> role id) another under
 * `admin.roleAssignments`. They are kept beside the roles rather than in a
 * users column: the user store's put() replaces the whole row and several
 * writers (agents administration, CLI, demo seed) build fresh User values,
 * so a column would be wiped by the next password reset; the meta map needs
 * no migration on SQLite and Postgres. restore() loads both at start; a
 * change is in force for the next request.
 */
import type { UserRole, UserStore } from '../../store/user-store.ts';
import { ApiError } from '../api-error.ts';
import { beyondBase, isPermission, PERMISSIONS, type Permission } from '../permissions.ts';

export const ADMIN_ROLES_KEY = 'admin.roles';
export const ADMIN_ROLE_ASSIGNMENTS_KEY = 'admin.roleAssignments';

export interface CustomRole {
  id: string;
  name: string;
  base: UserRole;
  permissions: Permission[];
}

export interface RoleView extends CustomRole {
  /** Web users who have it. */
  users: string[];
}

export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export type RoleErrorCode = 'permission-beyond-base' | 'admin-role-without-admin' | 'role-base-mismatch' | 'role-in-use' | 'unknown-role';

/** A refused role change with a typed code: 400, or 409 for role-in-use. */
export class RoleError extends ApiError {
  constructor(code: RoleErrorCode, message: string) {
    super(code === 'role-in-use' ? 'already-exists' : 'invalid-request', message);
    Object.defineProperty(this, 'code', { value: code, enumerable: true });
  }
}

const BUILT_IN = new Set<string>(['agent', 'supervisor', 'admin']);

/** In PERMISSIONS order, without repeats; refused when the base does not reach one. */
function checkedPermissions(base: UserRole, wanted: readonly string[]): Permission[] {
  const beyond = beyondBase(base, wanted);
  if (beyond.length) throw new RoleError('permission-beyond-base', `a ${base}-based role cannot have ${beyond.join(', ')}: a custom role only restricts its base role`);
  // Its users could otherwise no longer reach the roles administration, and the CLI's admin token could lock itself out.
  if (base === 'admin' && !wanted.includes('admin')) throw new RoleError('admin-role-without-admin', 'an admin-based role keeps the admin permission');
  return PERMISSIONS.filter((p) => wanted.includes(p));
}

export class RoleAdmin {
  private roles = new Map<string, CustomRole>();
  private assignments = new Map<string, string>();
  /** Writes one after the other, so a document never loses a change. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly users: UserStore,
    private readonly store: KeyValueStore,
  ) {}

  /** At start: the roles and assignments administrators set; an assignment to a missing role is dropped. */
  async restore(): Promise<{ roles: string[]; assignments: number; skipped: { id: string; error: string }[] }> {
    const skipped: { id: string; error: string }[] = [];
    const kept = JSON.parse((await this.store.get(ADMIN_ROLES_KEY)) ?? '[]') as CustomRole[];
    this.roles.clear();
    for (const r of kept) {
      const unknown = r.permissions.filter((p) => !isPermission(p));
      if (unknown.length) skipped.push({ id: `role ${r.id}`, error: `permissions no longer known, left out: ${unknown.join(', ')}` });
      try {
        this.roles.set(r.id, { id: r.id, name: r.name, base: r.base, permissions: checkedPermissions(r.base, r.permissions.filter(isPermission)) });
      } catch (err) {
        skipped.push({ id: `role ${r.id}`, error: (err as Error).message });
      }
    }
    const map = JSON.parse((await this.store.get(ADMIN_ROLE_ASSIGNMENTS_KEY)) ?? '{}') as Record<string, string>;
    this.assignments.clear();
    for (const [user, role] of Object.entries(map)) {
      if (this.roles.has(role)) this.assignments.set(user, role);
      else skipped.push({ id: `user ${user}`, error: `role ${role} no longer exists` });
    }
    return { roles: [...this.roles.keys()], assignments: this.assignments.size, skipped };
  }

  /** Resolves when every write so far is done (tests, shutdown). */
  async flushed(): Promise<void> {
    await this.chain;
  }

  /** The custom role of a web user, if they have one (ApiDeps.roles: the one place requests are checked). */
  roleOf(username: string): CustomRole | undefined {
    const id = this.assignments.get(username);
    return id === undefined ? undefined : this.roles.get(id);
  }

  list(): RoleView[] {
    return [...this.roles.values()].sort((a, b) => a.id.localeCompare(b.id)).map((r) => this.view(r));
  }

  get(id: string): RoleView {
    return this.view(this.role(id));
  }

  async create(r: { id: string; name: string; base: UserRole; permissions: readonly string[] }): Promise<RoleView> {
    if (this.roles.has(r.id) || BUILT_IN.has(r.id)) throw new ApiError('already-exists', `role ${r.id} already exists`);
    const role: CustomRole = { id: r.id, name: r.name, base: r.base, permissions: checkedPermissions(r.base, r.permissions) };
    this.roles.set(role.id, role);
    await this.saveRoles();
    return this.view(role);
  }

  async update(id: string, c: { name?: string | undefined; permissions?: readonly string[] | undefined }): Promise<RoleView> {
    const current = this.role(id);
    const next: CustomRole = {
      ...current,
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.permissions !== undefined ? { permissions: checkedPermissions(current.base, c.permissions) } : {}),
    };
    this.roles.set(id, next);
    await this.saveRoles();
    return this.view(next);
  }

  /** 409 role-in-use while a web user still has it. */
  async remove(id: string): Promise<void> {
    this.role(id);
    const holders = await this.holders(id);
    if (holders.length) throw new RoleError('role-in-use', `role ${id} is still assigned to ${holders.join(', ')}`);
    this.roles.delete(id);
    await this.saveRoles();
  }

  /** Gives a web user a custom role (null: back to their built-in role alone); returns the previous role id. */
  async assign(username: string, roleId: string | null): Promise<{ from: string | null; to: string | null }> {
    const user = await this.users.get(username);
    if (!user) throw new ApiError('not-found', `no web user ${username}`);
    const from = this.assignments.get(username) ?? null;
    if (roleId === null) {
      if (from === null) return { from, to: null };
      this.assignments.delete(username);
    } else {
      const role = this.roles.get(roleId);
      if (!role) throw new RoleError('unknown-role', `no role ${roleId}`);
      if (role.base !== user.role) throw new RoleError('role-base-mismatch', `role ${roleId} is ${role.base}-based; ${username} is ${user.role}`);
      if (from === roleId) return { from, to: roleId };
      this.assignments.set(username, roleId);
    }
    await this.save(ADMIN_ROLE_ASSIGNMENTS_KEY, Object.fromEntries([...this.assignments].sort(([a], [b]) => a.localeCompare(b))));
    return { from, to: roleId };
  }

  private role(id: string): CustomRole {
    const r = this.roles.get(id);
    if (!r) throw new ApiError('not-found', `no role ${id}`);
    return r;
  }

  /** Users holding the role; assignments of users removed since are dropped on the way. */
  private async holders(id: string): Promise<string[]> {
    const out: string[] = [];
    let stale = false;
    for (const [user, role] of [...this.assignments]) {
      if (role !== id) continue;
      if (await this.users.get(user)) out.push(user);
      else {
        this.assignments.delete(user);
        stale = true;
      }
    }
    if (stale) await this.save(ADMIN_ROLE_ASSIGNMENTS_KEY, Object.fromEntries(this.assignments));
    return out.sort();
  }

  private view(r: CustomRole): RoleView {
    const users = [...this.assignments].filter(([, role]) => role === r.id).map(([u]) => u).sort();
    return { ...r, permissions: [...r.permissions], users };
  }

  private async saveRoles(): Promise<void> {
    await this.save(ADMIN_ROLES_KEY, [...this.roles.values()]);
  }

  private async save(key: string, doc: unknown): Promise<void> {
    const text = JSON.stringify(doc);
    const write = this.chain.then(() => this.store.set(key, text));
    this.chain = write.catch(() => undefined);
    await write;
  }
}

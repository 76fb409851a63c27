/**
 * The custom roles page's pure parts (ADM-1): the permissions a base role
 * offers, and the request bodies of /api/v1/admin/roles from the form.
 */
import type { Role } from '../../api/types.ts';

/** GET /api/v1/admin/permissions */
export interface PermissionInfo {
  permission: string;
  minRole: Role;
}

/** GET /api/v1/admin/roles */
export interface CustomRole {
  id: string;
  name: string;
  base: Role;
  permissions: string[];
  users: string[];
}

export interface RoleFormValues {
  id: string;
  name: string;
  base: Role;
  permissions: string[];
}

export const ROLE_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const RANK: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2 };

/** The permissions a role based on `base` may keep, in the server's order. */
export function permissionsForBase(all: readonly PermissionInfo[], base: Role): string[] {
  return all.filter((p) => RANK[p.minRole] <= RANK[base]).map((p) => p.permission);
}

/** A changed base drops the checked permissions it does not reach. */
export function keepReachable(all: readonly PermissionInfo[], base: Role, checked: readonly string[]): string[] {
  const reach = new Set(permissionsForBase(all, base));
  return checked.filter((p) => reach.has(p));
}

/** POST /api/v1/admin/roles */
export function newRoleBody(v: RoleFormValues): { id: string; name: string; base: Role; permissions: string[] } {
  return { id: v.id.trim(), name: v.name.trim(), base: v.base, permissions: [...v.permissions] };
}

/** PATCH /api/v1/admin/roles/:id: only what changed (empty when nothing did). */
export function roleChangeBody(before: CustomRole, v: RoleFormValues): { name?: string; permissions?: string[] } {
  const out: { name?: string; permissions?: string[] } = {};
  const name = v.name.trim();
  if (name && name !== before.name) out.name = name;
  if ([...v.permissions].sort().join(',') !== [...before.permissions].sort().join(',')) out.permissions = [...v.permissions];
  return out;
}

/** The choices of a role select for a user with this built-in role ('' for none). */
export function roleOptions(roles: readonly CustomRole[], userRole: Role): { value: string; label: string }[] {
  return roles.filter((r) => r.base === userRole).map((r) => ({ value: r.id, label: `${r.name} (${r.id})` }));
}

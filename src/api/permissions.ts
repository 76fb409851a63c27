/**
 * Permissions (ADM-1 "roles with permissions"): one key per API area, the
 * OpenAPI tag of the routes that need a signed-in user. A built-in role
 * (agent < supervisor < admin) reaches every area one of its routes is open
 * to; a custom role names a base role and a subset of what that base reaches,
 * so it can only take away, never add.
 *
 * | permission   | lowest role | routes                                          |
 * |--------------|-------------|-------------------------------------------------|
 * | acd          | agent       | agents, queues, states; rules and blacklist (sup) |
 * | calls        | agent       | call control, dialling, recording               |
 * | crm          | agent       | screen pop, wrap-up                             |
 * | notices      | agent       | notices (posting: supervisor)                   |
 * | tasks        | agent       | tasks (assigning: supervisor)                   |
 * | webphone     | agent       | web phone credentials                           |
 * | audit        | supervisor  | the operation log                               |
 * | call-records | supervisor  | call records (CDRs)                             |
 * | ivr          | supervisor  | IVR surveys, usage, notices                     |
 * | supervision  | supervisor  | monitor, whisper, barge, intercept, release     |
 * | admin        | admin       | /api/v1/admin/* (agents, queues, roles, …)      |
 * | security     | admin       | bans, security events                           |
 * | sip          | admin       | SIP users, registrations                        |
 * | system       | admin       | system statistics                               |
 *
 * Tags of routes open without a token (health, meta, session, events) are
 * not permissions: signing in, /me and the documents stay for everyone.
 */
import type { UserRole } from '../store/user-store.ts';

export const PERMISSIONS = [
  'acd',
  'calls',
  'crm',
  'notices',
  'tasks',
  'webphone',
  'audit',
  'call-records',
  'ivr',
  'supervision',
  'admin',
  'security',
  'sip',
  'system',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The lowest built-in role that reaches each area (the lowest `role` of the routes with that tag). */
export const PERMISSION_MIN_ROLE: Readonly<Record<Permission, UserRole>> = {
  acd: 'agent',
  calls: 'agent',
  crm: 'agent',
  notices: 'agent',
  tasks: 'agent',
  webphone: 'agent',
  audit: 'supervisor',
  'call-records': 'supervisor',
  ivr: 'supervisor',
  supervision: 'supervisor',
  admin: 'admin',
  security: 'admin',
  sip: 'admin',
  system: 'admin',
};

const RANK: Record<UserRole, number> = { agent: 0, supervisor: 1, admin: 2 };

export function isPermission(s: string): s is Permission {
  return (PERMISSIONS as readonly string[]).includes(s);
}

/** Every permission a built-in role reaches, in PERMISSIONS order. */
export function permissionsOfRole(role: UserRole): Permission[] {
  return PERMISSIONS.filter((p) => RANK[PERMISSION_MIN_ROLE[p]] <= RANK[role]);
}

/** The permissions of `wanted` the base role does not reach (a custom role may not name them). */
export function beyondBase(base: UserRole, wanted: readonly string[]): string[] {
  const reach = new Set<string>(permissionsOfRole(base));
  return wanted.filter((p) => !reach.has(p));
}

/**
 * What a user may use: everything their built-in role reaches, narrowed to
 * the custom role's permissions when they have one.
 */
export function effectivePermissions(role: UserRole, custom?: { permissions: readonly string[] }): Permission[] {
  const reach = permissionsOfRole(role);
  if (!custom) return reach;
  const allowed = new Set(custom.permissions);
  return reach.filter((p) => allowed.has(p));
}

/**
 * May a user with a custom role's permissions use a route with `tag`? A tag
 * that is no permission (an area added later and not yet listed) is refused:
 * a custom role only ever takes away.
 */
export function permits(granted: readonly string[], tag: string): boolean {
  return isPermission(tag) && granted.includes(tag);
}

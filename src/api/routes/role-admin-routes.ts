/**
 * Custom roles over HTTP (ADM-1 "roles with permissions", ADM-2, ADM-3): the
 * permission list, roles (list, create, change, delete) and which web user
 * has which role. In force for the next request; logged by the audit hook
 * (AUDIT_RULES role.* and user.role).
 */
import { z } from 'zod';
import { USER_ROLES } from '../../store/user-store.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { PERMISSION_MIN_ROLE, PERMISSIONS } from '../permissions.ts';
import { ErrorBody } from '../schemas.ts';
import type { RoleAdmin } from './role-admin.ts';

const Permissions = z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).describe('API areas (route tags) the role keeps; each must be reached by the base role');

export const PermissionDto = z
  .object({ permission: z.enum(PERMISSIONS), minRole: z.enum(USER_ROLES).describe('the lowest built-in role that reaches this area') })
  .meta({ id: 'Permission' });

export const RoleDto = z
  .object({
    id: z.string(),
    name: z.string(),
    base: z.enum(USER_ROLES).describe('the built-in role it narrows; only users with this built-in role may have it'),
    permissions: z.array(z.enum(PERMISSIONS)),
    users: z.array(z.string()).describe('web users who have it'),
  })
  .meta({ id: 'Role' });

export const NewRoleBody = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, { error: 'lower-case letters, digits, _ . - (1-64)' }),
    name: z.string().min(1).max(100),
    base: z.enum(USER_ROLES),
    permissions: Permissions,
  })
  .strict()
  .meta({ id: 'NewRole' });

export const RoleChangeBody = z
  .object({ name: z.string().min(1).max(100).optional(), permissions: Permissions.optional() })
  .strict()
  .describe('the base role is fixed once created')
  .meta({ id: 'RoleChange' });

export const RoleAssignmentBody = z
  .object({ role: z.string().min(1).max(64).nullable().describe("a custom role id whose base is the user's built-in role; null: the built-in role alone") })
  .strict()
  .meta({ id: 'RoleAssignment' });

export const RoleErrorBody = z
  .object({ error: z.object({ code: z.enum(['invalid-request', 'permission-beyond-base', 'admin-role-without-admin', 'role-base-mismatch', 'unknown-role']), message: z.string() }) })
  .meta({ id: 'RoleRefused', description: 'permission-beyond-base: the base role does not reach a permission; admin-role-without-admin: an admin-based role must keep the admin permission (its users administer roles); role-base-mismatch: the user has another built-in role; unknown-role: no such custom role' });

const IdParams = z.object({ id: z.string().min(1).max(64).describe('role id') });
const UserParams = z.object({ username: z.string().min(1).max(64).describe('web username (an agent: its extension)') });

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'not an admin', schema: ErrorBody },
};

export function roleAdminRoutes(roles: RoleAdmin): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/permissions',
      summary: 'The permissions a custom role chooses from: one per API area (route tag), with the lowest built-in role reaching it (ADM-1)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'permissions', schema: z.array(PermissionDto) }, ...common },
      async handler() {
        return { status: 200, body: PERMISSIONS.map((permission) => ({ permission, minRole: PERMISSION_MIN_ROLE[permission] })) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/roles',
      summary: 'Custom roles: each narrows a built-in role to some permissions (ADM-1)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'roles', schema: z.array(RoleDto) }, ...common },
      async handler() {
        return { status: 200, body: roles.list() };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/admin/roles',
      summary: 'Create a custom role: a base built-in role and the permissions it keeps (never more than the base reaches)',
      tag: 'admin',
      role: 'admin',
      body: NewRoleBody,
      responses: {
        201: { description: 'created', schema: RoleDto },
        400: { description: 'invalid input, or permission-beyond-base', schema: RoleErrorBody },
        409: { description: 'the id is taken (or a built-in role name)', schema: ErrorBody },
        ...common,
      },
      async handler({ body }) {
        return { status: 201, body: await roles.create(body) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/admin/roles/:id',
      summary: 'Rename a custom role or change its permissions; its users get the change with their next request (ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      body: RoleChangeBody,
      responses: {
        200: { description: 'the role after the change', schema: RoleDto },
        400: { description: 'invalid input, or permission-beyond-base', schema: RoleErrorBody },
        404: { description: 'no such role', schema: ErrorBody },
        ...common,
      },
      async handler({ params, body }) {
        return { status: 200, body: await roles.update(params.id, body) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/admin/roles/:id',
      summary: 'Delete a custom role nobody has',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      responses: {
        204: { description: 'deleted' },
        404: { description: 'no such role', schema: ErrorBody },
        409: { description: 'role-in-use: a web user still has it', schema: ErrorBody },
        ...common,
      },
      async handler({ params }) {
        await roles.remove(params.id);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/admin/users/:username/role',
      summary: "Give a web user a custom role (its base must be the user's built-in role), or none (ADM-1)",
      tag: 'admin',
      role: 'admin',
      params: UserParams,
      body: RoleAssignmentBody,
      responses: {
        200: { description: 'the assignment now', schema: z.object({ username: z.string(), role: z.string().nullable() }) },
        400: { description: 'invalid input, unknown-role or role-base-mismatch', schema: RoleErrorBody },
        404: { description: 'no such web user', schema: ErrorBody },
        ...common,
      },
      async handler({ params, body }) {
        const { to } = await roles.assign(params.username, body.role);
        return { status: 200, body: { username: params.username, role: to } };
      },
    }),
  ];
}

/**
 * Bearer-token authentication for /api/v1: the token's SHA-256 is looked up
 * in the token store; the token must not be expired and its user must exist,
 * be enabled and have the role the route needs or a higher one
 * (agent < supervisor < admin). A user with a custom role (ADM-1) must also
 * have the route's permission: checkPermission, called once by route-def.ts.
 */
import type { FastifyRequest } from 'fastify';
import { hashBearerToken } from '../store/password-hash.ts';
import type { User, UserRole } from '../store/user-store.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { permits } from './permissions.ts';

/** Roles nest: a supervisor may do what an agent may, an admin anything. */
const RANK: Record<UserRole, number> = { agent: 0, supervisor: 1, admin: 2 };

export async function authenticate(req: FastifyRequest, deps: ApiDeps, role: UserRole): Promise<User> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) throw new ApiError('unauthorized', 'missing bearer token (Authorization: Bearer TOKEN)');
  return userOfToken(m[1]!, deps, role);
}

/** The user a bearer token stands for, if it may act as `role` (ApiError unauthorized or forbidden otherwise). */
export async function userOfToken(bearer: string, deps: ApiDeps, role: UserRole): Promise<User> {
  const token = await deps.stores.apiTokens.findByHash(hashBearerToken(bearer));
  if (!token || (token.expiresAt && token.expiresAt.getTime() <= deps.clock.now())) throw new ApiError('unauthorized', 'invalid or expired token');
  const user = await deps.stores.users.get(token.username);
  if (!user || !user.enabled) throw new ApiError('unauthorized', 'token user is missing or disabled');
  if (RANK[user.role] < RANK[role]) throw new ApiError('forbidden', `requires role ${role}`);
  return user;
}

/** ADM-1: after the role check, a user with a custom role needs the route's area (its tag) in that role: 403 permission-denied otherwise. */
export function checkPermission(user: User, deps: ApiDeps, tag: string): void {
  const custom = deps.roles?.roleOf(user.username);
  if (custom && !permits(custom.permissions, tag)) throw new ApiError('permission-denied', `role ${custom.name} does not include the ${tag} permission`);
}

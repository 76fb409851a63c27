/**
 * Web sign-in (ADM-1 roles, OPS-1): a username and password become a bearer
 * token with an expiry, kept in the API token store like the CLI's token
 * (only its SHA-256). The token works for every /api/v1 route its user's
 * role allows; DELETE signs out by removing it. Failed sign-ins are logged
 * as `auth-failure` security events (OPS-2, OPS-4), and scrypt makes each
 * guess cost tens of milliseconds.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiToken } from '../../store/api-token-store.ts';
import { hashBearerToken, newBearerToken, verifyPassword } from '../../store/password-hash.ts';
import { USER_ROLES, type User } from '../../store/user-store.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiError } from '../api-error.ts';
import { effectivePermissions, PERMISSIONS } from '../permissions.ts';
import { defineRoute } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';

/** How long a web session token lives. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_TOKEN_LABEL = 'web session';

export const NewSession = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict()
  .meta({ id: 'NewSession' });

export const MeDto = z
  .object({
    username: z.string(),
    displayName: z.string().optional(),
    role: z.enum(USER_ROLES),
    expiresAt: z.string().optional(),
    permissions: z.array(z.enum(PERMISSIONS)).describe('ADM-1: the API areas (route tags) this user may use: all their role reaches, narrowed by their custom role'),
    customRole: z.object({ id: z.string(), name: z.string() }).optional().describe('ADM-1: the custom role narrowing the built-in one'),
  })
  .meta({ id: 'Me' });

export const SessionDto = z
  .object({ token: z.string().describe('send as Authorization: Bearer TOKEN'), expiresAt: z.string(), user: MeDto })
  .meta({ id: 'Session' });

function meDto(user: User, token: ApiToken | undefined, deps: ApiDeps): z.infer<typeof MeDto> {
  const custom = deps.roles?.roleOf(user.username);
  const dto: z.infer<typeof MeDto> = { username: user.username, role: user.role, permissions: effectivePermissions(user.role, custom) };
  if (custom) dto.customRole = { id: custom.id, name: custom.name };
  if (user.displayName !== undefined) dto.displayName = user.displayName;
  if (token?.expiresAt) dto.expiresAt = token.expiresAt.toISOString();
  return dto;
}

/**
 * The token and user behind the request's bearer token, for any role (the
 * route table's `role` check admits one role and admin; these routes serve
 * every signed-in user).
 */
async function currentSession(req: FastifyRequest, deps: ApiDeps): Promise<{ user: User; token: ApiToken }> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) throw new ApiError('unauthorized', 'missing bearer token (Authorization: Bearer TOKEN)');
  const token = await deps.stores.apiTokens.findByHash(hashBearerToken(m[1]!));
  if (!token || (token.expiresAt && token.expiresAt.getTime() <= deps.clock.now())) throw new ApiError('unauthorized', 'invalid or expired token');
  const user = await deps.stores.users.get(token.username);
  if (!user || !user.enabled) throw new ApiError('unauthorized', 'token user is missing or disabled');
  return { user, token };
}

/** Drops the user's expired web session tokens, so sign-ins do not pile rows up. */
async function pruneExpired(deps: ApiDeps, username: string): Promise<void> {
  const now = deps.clock.now();
  for (const t of await deps.stores.apiTokens.list(username)) {
    if (t.label === SESSION_TOKEN_LABEL && t.expiresAt && t.expiresAt.getTime() <= now) await deps.stores.apiTokens.remove(t.id);
  }
}

const unauthorized = { 401: { description: 'no valid token', schema: ErrorBody } };

export const sessionRoutes = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/session',
    summary: 'Sign in with username and password; returns a bearer token that expires',
    tag: 'session',
    body: NewSession,
    responses: {
      201: { description: 'signed in', schema: SessionDto },
      400: { description: 'invalid input', schema: ErrorBody },
      401: { description: 'wrong username or password, or user disabled', schema: ErrorBody },
    },
    async handler({ deps, body, req }) {
      const user = await deps.stores.users.get(body.username);
      const ok = user !== undefined && user.enabled && (await verifyPassword(body.password, user.passwordHash));
      if (!user || !ok) {
        const ua = req.headers['user-agent'];
        await deps.stores.securityEvents.append({
          at: new Date(deps.clock.now()),
          kind: 'auth-failure',
          sourceAddress: req.ip,
          transport: 'http',
          username: body.username,
          detail: user && !user.enabled ? 'web sign-in: user disabled' : 'web sign-in: wrong username or password',
          ...(typeof ua === 'string' ? { userAgent: ua.slice(0, 200) } : {}),
        });
        throw new ApiError('unauthorized', 'wrong username or password');
      }
      await pruneExpired(deps, user.username);
      const { token, hash } = newBearerToken();
      const now = deps.clock.now();
      const stored: ApiToken = {
        id: randomUUID(),
        tokenHash: hash,
        username: user.username,
        label: SESSION_TOKEN_LABEL,
        createdAt: new Date(now),
        expiresAt: new Date(now + SESSION_TTL_MS),
      };
      await deps.stores.apiTokens.put(stored);
      req.log.info({ username: user.username, role: user.role }, 'web sign-in');
      return { status: 201, body: { token, expiresAt: stored.expiresAt!.toISOString(), user: meDto(user, stored, deps) } };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/session',
    summary: 'Sign out: the bearer token of this request stops working (any role)',
    tag: 'session',
    responses: { 204: { description: 'signed out' }, ...unauthorized },
    async handler({ deps, req }) {
      const { token } = await currentSession(req, deps);
      await deps.stores.apiTokens.remove(token.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/me',
    summary: 'The signed-in user and role behind the bearer token (any role)',
    tag: 'session',
    responses: { 200: { description: 'current user', schema: MeDto }, ...unauthorized },
    async handler({ deps, req }) {
      const { user, token } = await currentSession(req, deps);
      return { status: 200, body: meDto(user, token, deps) };
    },
  }),
];

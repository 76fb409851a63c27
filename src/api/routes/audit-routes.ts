/**
 * The operation log over HTTP (ADM-3): GET /api/v1/audit for supervisors
 * and admins, filtered by actor, action (exact, or a prefix ending in `*`),
 * target and time, newest first.
 */
import { z } from 'zod';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, type AuditRecord } from '../../store/audit-store.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import type { AuditRecorder } from './audit-recorder.ts';

export const AuditEntryDto = z
  .object({
    at: z.string(),
    actor: z.string().describe('username; for a failed sign-in the name tried'),
    role: z.string().optional(),
    action: z.string().describe('e.g. agent.ready, interaction.hold, agent.create, blacklist.add, task.assign, notice.post, session.sign-in'),
    target: z.string().optional().describe('agent id, interaction id, number, task or notice id…'),
    outcome: z.string().describe('ok, or the typed error code of a refused request'),
    status: z.number().optional().describe('HTTP status answered'),
    detail: z.record(z.string(), z.unknown()).optional(),
    sourceAddress: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });

const instant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be an ISO 8601 instant' })
  .transform((s) => new Date(s));

export const AuditQueryParams = z
  .object({
    actor: z.string().min(1).max(64).optional(),
    action: z.string().min(1).max(64).optional().describe('exact, or a prefix ending in * (agent.*)'),
    target: z.string().min(1).max(128).optional(),
    since: instant.optional().describe('ISO 8601, inclusive'),
    until: instant.optional().describe('ISO 8601, exclusive'),
    limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).default(AUDIT_DEFAULT_LIMIT),
  })
  .strict();

export function auditDto(e: AuditRecord): z.infer<typeof AuditEntryDto> {
  return {
    at: e.at.toISOString(),
    actor: e.actor,
    ...(e.role !== undefined ? { role: e.role } : {}),
    action: e.action,
    ...(e.target !== undefined ? { target: e.target } : {}),
    outcome: e.outcome,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.sourceAddress !== undefined ? { sourceAddress: e.sourceAddress } : {}),
  };
}

export function requireAudit(deps: ApiDeps): AuditRecorder {
  if (!deps.audit) throw new ApiError('unavailable', 'the operation log is not kept on this server');
  return deps.audit;
}

export const auditRoutes: readonly RouteDef[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/audit',
    summary: 'The operation log (ADM-3): every agent, supervisor and admin action through the API, sign-in and sign-out included, newest first',
    tag: 'audit',
    role: 'supervisor',
    query: AuditQueryParams,
    responses: {
      200: { description: 'entries, newest first', schema: z.array(AuditEntryDto) },
      400: { description: 'invalid filter', schema: ErrorBody },
      401: { description: 'no valid token', schema: ErrorBody },
      403: { description: 'agents may not read the log', schema: ErrorBody },
      503: { description: 'no operation log on this server', schema: ErrorBody },
    },
    async handler({ deps, query }) {
      const list = await requireAudit(deps).list({
        ...(query.actor !== undefined ? { actor: query.actor } : {}),
        ...(query.action !== undefined ? { action: query.action } : {}),
        ...(query.target !== undefined ? { target: query.target } : {}),
        ...(query.since ? { since: query.since } : {}),
        ...(query.until ? { until: query.until } : {}),
        limit: query.limit,
      });
      return { status: 200, body: list.map(auditDto) };
    },
  }),
];

/**
 * Wire shapes of the ACD routes (zod), the typed-error mapping of the ACD
 * (AcdError, AgentStateError -> 409 / 404 with the typed code) and the
 * shared guards: the ACD must be running, agents act for themselves only.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACD_ERROR_CODES, AcdError, AGENT_STATE_ERROR_CODES, AGENT_STATES, AgentStateError, BLACKLIST_MODES } from '../../acd/index.ts';
import type { AcdControl, AgentStatus, QueueStatus } from '../../acd/service/index.ts';
import type { RuleSetVersion } from '../../acd/index.ts';
import type { User } from '../../store/user-store.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiError } from '../api-error.ts';
import { authenticate } from '../auth.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** An ApiError that carries the ACD's own typed code in the response body. */
export class AcdApiError extends ApiError {
  constructor(typedCode: string, message: string, status: 404 | 409) {
    super(status === 404 ? 'not-found' : 'already-exists', message);
    Object.defineProperty(this, 'code', { value: typedCode, enumerable: true });
  }
}

const UNKNOWN = new Set(['UNKNOWN_AGENT', 'UNKNOWN_QUEUE', 'UNKNOWN_ENTRY']);

/** Runs an ACD request, turning its typed refusals into API errors. */
export function acdCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AcdError) throw new AcdApiError(err.code, err.message, UNKNOWN.has(err.code) ? 404 : 409);
    if (err instanceof AgentStateError) throw new AcdApiError(err.code, err.message, 409);
    throw err;
  }
}

/** The running ACD, or 503 with a clear reason. */
export function requireAcd(deps: ApiDeps): AcdControl {
  if (!deps.acd) throw new ApiError('unavailable', 'the ACD is not running on this server (no ACD configuration is wired in)');
  return deps.acd;
}

/** The caller; an agent may act only on its own agent (its login is the agent id or its extension). */
export async function actorFor(req: FastifyRequest, deps: ApiDeps, acd: AcdControl, agentId: string): Promise<User> {
  const user = await authenticate(req, deps, 'agent');
  if (user.role === 'agent' && user.username !== agentId && acd.agent(agentId).extension !== user.username) {
    throw new ApiError('forbidden', `agent ${user.username} may act only on itself (supervisors act on others)`);
  }
  return user;
}

export const AcdConflictBody = z
  .object({ error: z.object({ code: z.enum([...ACD_ERROR_CODES, ...AGENT_STATE_ERROR_CODES]), message: z.string() }) })
  .meta({ id: 'AcdError', description: 'A request the ACD or the agent state machine refuses, with its typed code' });

export const AgentIdParams = z.object({ id: z.string().min(1).max(64).describe('agent id or SIP extension') });

export const NotReadyBody = z.object({ reason: z.string().min(1).max(64).optional().describe('default "break"') }).strict();

const CountersDto = z.object({
  offered: z.number(),
  answered: z.number(),
  ronaCount: z.number(),
  notReadyCount: z.number(),
  notReadyMs: z.number(),
  onlineMs: z.number(),
  talkMs: z.number(),
  wrapUpMs: z.number(),
  transfers: z.number(),
  consults: z.number(),
});

const CallbackTaskDto = z.object({ id: z.string(), queueId: z.string(), callerNumber: z.string().optional(), customerId: z.string().optional(), requestedAt: z.string(), placeFrom: z.string() });

export const AgentDto = z
  .object({
    id: z.string(),
    extension: z.string(),
    name: z.string().optional(),
    state: z.enum(AGENT_STATES),
    since: z.string(),
    reason: z.string().optional().describe('not-ready reason (RONA after a ring-no-answer)'),
    pendingNotReady: z.string().optional().describe('pause asked during a call, taken when its work ends'),
    interactionId: z.string().optional(),
    callbackTask: CallbackTaskDto.optional(),
    counters: CountersDto.describe('today, in the center time zone (RPT-1 data)'),
  })
  .meta({ id: 'AgentStatus' });

export function agentDto(a: AgentStatus): z.infer<typeof AgentDto> {
  const t = a.callbackTask;
  return {
    id: a.id,
    extension: a.extension,
    ...(a.name !== undefined ? { name: a.name } : {}),
    state: a.state,
    since: iso(a.since),
    ...(a.reason !== undefined ? { reason: a.reason } : {}),
    ...(a.pendingNotReady !== undefined ? { pendingNotReady: a.pendingNotReady } : {}),
    ...(a.interactionId !== undefined ? { interactionId: a.interactionId } : {}),
    ...(t ? { callbackTask: { id: t.id, queueId: t.queueId, ...(t.callerNumber !== undefined ? { callerNumber: t.callerNumber } : {}), ...(t.customerId !== undefined ? { customerId: t.customerId } : {}), requestedAt: iso(t.requestedAt), placeFrom: iso(t.placeFrom) } } : {}),
    counters: { ...a.counters },
  };
}

export const QueueDto = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    waiting: z.number(),
    longestWaitSec: z.number(),
    serviceLevel: z.number().nullable().describe('answered within T / (answered + abandoned after T); null before any such call'),
    serviceLevelThresholdSec: z.number(),
    serviceTimeLimitSec: z.number().optional().describe('CTI-7: the service-time limit of a call in this queue, when it has one'),
    serviceTimeReminderSec: z.number().optional().describe('CTI-7: the reminder comes this long before the limit'),
    asaSec: z.number().nullable(),
    ahtSec: z.number(),
    counters: z.object({
      entered: z.number(),
      answered: z.number(),
      answeredWithinT: z.number(),
      abandoned: z.number(),
      abandonedWithinT: z.number(),
      overflowedOut: z.number(),
      timedOut: z.number(),
      callbacks: z.number(),
    }),
  })
  .meta({ id: 'QueueStatus' });

const sec = (ms: number) => Math.round(ms / 100) / 10;

export function queueDto(q: QueueStatus): z.infer<typeof QueueDto> {
  const { answerWaitMsTotal: _w, ...counters } = q.counters;
  return {
    id: q.id,
    ...(q.name !== undefined ? { name: q.name } : {}),
    waiting: q.waiting,
    longestWaitSec: sec(q.longestWaitMs),
    serviceLevel: q.serviceLevel ?? null,
    serviceLevelThresholdSec: sec(q.serviceLevelThresholdMs),
    ...(q.serviceTimeLimitMs !== undefined ? { serviceTimeLimitSec: sec(q.serviceTimeLimitMs) } : {}),
    ...(q.serviceTimeReminderMs !== undefined ? { serviceTimeReminderSec: sec(q.serviceTimeReminderMs) } : {}),
    asaSec: q.asaMs === undefined ? null : sec(q.asaMs),
    ahtSec: sec(q.ahtMs),
    counters,
  };
}

export const RuleSetVersionDto = z
  .object({ version: z.number(), rules: z.unknown().describe('translation, pre and post rules (see PUT)'), author: z.string(), appliedAt: z.string(), note: z.string().optional() })
  .meta({ id: 'RoutingRuleSetVersion' });

export const ruleSetVersionDto = (v: RuleSetVersion): z.infer<typeof RuleSetVersionDto> => ({
  version: v.version,
  rules: v.rules,
  author: v.author,
  appliedAt: iso(v.appliedAt),
  ...(v.note !== undefined ? { note: v.note } : {}),
});

export const RollbackBody = z.object({ version: z.number().int().min(1) }).strict();

export const BlacklistEntryDto = z
  .object({
    number: z.string(),
    match: z.enum(['exact', 'prefix']),
    mode: z.enum(BLACKLIST_MODES).optional().describe("the entry point's mode when absent"),
    reason: z.string().optional(),
    expiresAt: z.string().optional(),
  })
  .meta({ id: 'BlacklistEntry' });

export const NewBlacklistEntry = z
  .object({
    number: z.string().regex(/^\+?[0-9]{3,20}$/, { error: 'must be 3-20 digits, optionally with a leading +' }),
    match: z.enum(['exact', 'prefix']).optional(),
    mode: z.enum(BLACKLIST_MODES).optional(),
    reason: z.string().max(200).optional(),
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  })
  .strict()
  .meta({ id: 'NewBlacklistEntry' });

export const NumberParams = z.object({ number: z.string().regex(/^\+?[0-9]{3,20}$/, { error: 'must be 3-20 digits' }) });

export function blacklistDto(e: { number: string; match: 'exact' | 'prefix'; mode?: string | undefined; reason?: string | undefined; expiresAt?: number | undefined }): z.infer<typeof BlacklistEntryDto> {
  return {
    number: e.number,
    match: e.match,
    ...(e.mode !== undefined ? { mode: e.mode as (typeof BLACKLIST_MODES)[number] } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
    ...(e.expiresAt !== undefined ? { expiresAt: iso(e.expiresAt) } : {}),
  };
}

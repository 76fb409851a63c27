/**
 * Call records (CDRs) over HTTP (issue 4 items 4-5, CTI-1, RPT-2, OPS-4):
 *   GET /api/v1/call-records       filters: from, to (ISO 8601, on the start
 *                                   time), agent, number, disposition; paging
 *                                   with limit and offset; newest first
 *   GET /api/v1/call-records/:id   one record with its leg records
 * Supervisors and admins only (records name customers' numbers). Instants
 * are ISO 8601 UTC strings, durations milliseconds. 503 without a record store.
 */
import { z } from 'zod';
import { DISPOSITIONS, type CallRecord, type LegRecord } from '../../switch/records/call-record.ts';
import type { CallRecordQuery, CallRecordStore } from '../../switch/records/ports.ts';
import { ApiError } from '../api-error.ts';
import type { ApiDeps } from '../api-deps.ts';
import { defineRoute } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import { ContactLogDto, contactLogDto } from './crm-routes.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const PartyDto = z.object({ kind: z.enum(['customer', 'agent', 'supervisor', 'ivr', 'external']), id: z.string() });
const Side = z.enum(['party', 'peer', 'system']);

export const CallRecordDto = z
  .object({
    id: z.string().describe('interaction id'),
    direction: z.enum(['inbound', 'outbound']),
    customer: z.string(),
    entryPoint: z.string().optional(),
    ivrScript: z.string().optional(),
    queueId: z.string().optional(),
    parties: z.array(PartyDto),
    agents: z.array(z.string()),
    status: z.enum(['live', 'ended']),
    disposition: z.enum(DISPOSITIONS).optional(),
    startedAt: z.string(),
    queuedAt: z.string().optional(),
    offeredAt: z.string().optional(),
    answeredAt: z.string().optional(),
    endedAt: z.string().optional(),
    ivrMs: z.number(),
    queueMs: z.number(),
    ringMs: z.number(),
    talkMs: z.number(),
    holdMs: z.number(),
    holdCount: z.number(),
    wrapupMs: z.number(),
    wrapups: z.array(z.object({ agentId: z.string(), startedAt: z.string(), endedAt: z.string().optional() })),
    transfers: z.number(),
    conferences: z.number(),
    endedBy: Side.optional(),
    hungUpBy: z.enum(['customer', 'agent', 'supervisor', 'ivr', 'external', 'system']).optional(),
    hungUpParty: z.string().optional(),
    cause: z.string().optional(),
    recording: z.string().optional().describe('file of the call recording (TEL-5), when the call was recorded'),
    contacts: z.array(ContactLogDto).optional().describe('CRM-3: the agents’ wrap-up notes (category, self-evaluation, summary, customer)'),
  })
  .meta({ id: 'CallRecord' });

export const LegRecordDto = z
  .object({
    id: z.string(),
    party: PartyDto,
    direction: z.enum(['inbound', 'outbound']),
    state: z.string(),
    createdAt: z.string(),
    dialAt: z.string().optional(),
    ringAt: z.string().optional(),
    earlyAt: z.string().optional(),
    answerAt: z.string().optional(),
    endAt: z.string().optional(),
    holdMs: z.number(),
    holdCount: z.number(),
    durationMs: z.number(),
    endedBy: Side.optional(),
    cause: z.string().optional(),
  })
  .meta({ id: 'LegRecord' });

const CallRecordPageDto = z.object({ total: z.number(), limit: z.number(), offset: z.number(), items: z.array(CallRecordDto) }).meta({ id: 'CallRecordPage' });
const CallRecordDetailDto = CallRecordDto.extend({ legs: z.array(LegRecordDto) }).meta({ id: 'CallRecordDetail' });

const Instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const CallRecordListQuery = z
  .object({
    from: Instant.optional().describe('records that started at or after'),
    to: Instant.optional().describe('records that started before'),
    agent: z.string().min(1).max(64).optional(),
    number: z.string().min(1).max(64).optional().describe("the customer's number, or a number consulted or transferred to"),
    disposition: z.enum(DISPOSITIONS).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional().describe('default 50'),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();
const IdParams = z.object({ id: z.string().min(1).max(128) });

/** Drops undefined fields, so DTOs carry only what is known. */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function callRecordDto(r: CallRecord): z.infer<typeof CallRecordDto> {
  const { interactionId, lastSeq: _seq, startedAt, queuedAt, offeredAt, answeredAt, endedAt, wrapups, contacts, ...rest } = r;
  return compact({
    id: interactionId,
    ...rest,
    startedAt: new Date(startedAt).toISOString(),
    queuedAt: iso(queuedAt),
    offeredAt: iso(offeredAt),
    answeredAt: iso(answeredAt),
    endedAt: iso(endedAt),
    wrapups: wrapups.map((w) => compact({ agentId: w.agentId, startedAt: new Date(w.startedAt).toISOString(), endedAt: iso(w.endedAt) })),
    contacts: contacts?.map(contactLogDto),
  });
}

export function legRecordDto(l: LegRecord): z.infer<typeof LegRecordDto> {
  const { legId, interactionId: _ix, lastSeq: _seq, createdAt, dialAt, ringAt, earlyAt, answerAt, endAt, ...rest } = l;
  return compact({
    id: legId,
    ...rest,
    createdAt: new Date(createdAt).toISOString(),
    dialAt: iso(dialAt),
    ringAt: iso(ringAt),
    earlyAt: iso(earlyAt),
    answerAt: iso(answerAt),
    endAt: iso(endAt),
  });
}

function recordsOf(deps: ApiDeps): CallRecordStore {
  if (deps.callRecords === undefined) throw new ApiError('unavailable', 'call records are not kept by this server');
  return deps.callRecords;
}

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'needs the supervisor role', schema: ErrorBody },
  503: { description: 'no call record store', schema: ErrorBody },
};

export const callRecordRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/call-records',
    summary: 'Call records (CDRs), newest first, filtered and paged',
    tag: 'call-records',
    role: 'supervisor',
    query: CallRecordListQuery,
    responses: { 200: { description: 'one page of records', schema: CallRecordPageDto }, 400: { description: 'invalid query', schema: ErrorBody }, ...common },
    async handler({ deps, query }) {
      const q: CallRecordQuery = { limit: query.limit ?? 50, offset: query.offset ?? 0 };
      if (query.from !== undefined) q.from = Date.parse(query.from);
      if (query.to !== undefined) q.to = Date.parse(query.to);
      if (query.agent !== undefined) q.agent = query.agent;
      if (query.number !== undefined) q.number = query.number;
      if (query.disposition !== undefined) q.disposition = query.disposition;
      const page = await recordsOf(deps).list(q);
      return { status: 200, body: { total: page.total, limit: q.limit, offset: q.offset, items: page.items.map(callRecordDto) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/call-records/:id',
    summary: 'One call record with its leg records',
    tag: 'call-records',
    role: 'supervisor',
    params: IdParams,
    responses: { 200: { description: 'the record and its legs', schema: CallRecordDetailDto }, 404: { description: 'no such record', schema: ErrorBody }, ...common },
    async handler({ deps, params }) {
      const b = await recordsOf(deps).get(params.id);
      if (b === undefined) throw new ApiError('not-found', `no call record ${params.id}`);
      return { status: 200, body: { ...callRecordDto(b.record), legs: b.legs.map(legRecordDto) } };
    },
  }),
];

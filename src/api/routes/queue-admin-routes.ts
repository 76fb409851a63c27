/**
 * Queues administration over HTTP (ADM-1, ADM-2, ACD-2, ACD-4, ACD-5, CTI-7):
 * list, create, change. Each change is in force at once (waiting calls keep
 * their place, offers in flight and calls in progress go on), kept across a
 * restart, and logged as a structured `admin change` line (ADM-3: the audit
 * store is not wired in yet).
 */
import { z } from 'zod';
import { queueConfigSchema, STRATEGY_RULES, strategySchema, treatmentSchema } from '../../acd/service/index.ts';
import { authenticate } from '../auth.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import type { QueueAdmin, QueueAuditEntry, QueueChange } from './queue-admin.ts';

const strategyHelp = `routing strategy (ACD-2): rules chained in order, each breaking the ties the previous left; one of ${STRATEGY_RULES.join(', ')}; the server default when absent`;

export const NewQueueBody = queueConfigSchema
  .extend({
    strategy: strategySchema.optional().describe(strategyHelp),
    treatment: treatmentSchema.optional().describe('music, announcements, overflow (toQueue after afterMs or when longer than whenLengthAbove), maxWait (voicemail or callback offer), DTMF exits (ACD-5)'),
    serviceTimeLimitMs: z.number().int().min(1000).optional().describe('CTI-7: talk-time limit; the agent gets a service-time event when it is reached'),
    serviceTimeReminderMs: z.number().int().min(0).optional().describe('CTI-7: how long before the limit the reminder comes (shorter than the limit)'),
    ringTimeoutMs: z.number().int().min(1000).optional().describe('ACD-4: ring-no-answer time; the agent goes not-ready and the call goes to another agent'),
    serviceLevelMs: z.number().int().min(1000).optional().describe('service-level threshold T (answered within T)'),
  })
  .meta({ id: 'NewQueue' });

const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();
const shape = queueConfigSchema.shape;

export const QueueChangeBody = z
  .object({
    name: nullable(shape.name.unwrap()),
    requiredSkills: shape.requiredSkills.unwrap().optional(),
    groups: nullable(shape.groups.unwrap()),
    serviceLevelMs: nullable(shape.serviceLevelMs.unwrap()),
    wrapUpMs: nullable(shape.wrapUpMs.unwrap()),
    ringTimeoutMs: nullable(shape.ringTimeoutMs.unwrap()),
    levelMapping: nullable(shape.levelMapping.unwrap()),
    serviceTimeLimitMs: nullable(shape.serviceTimeLimitMs.unwrap()).describe('CTI-7 limit; null: no limit'),
    serviceTimeReminderMs: nullable(shape.serviceTimeReminderMs.unwrap()),
    strategy: nullable(strategySchema).describe(`${strategyHelp}; null: the server default`),
    treatment: nullable(treatmentSchema).describe('replaces the whole treatment; null: music only'),
  })
  .strict()
  .describe('fields to change; null removes a setting')
  .meta({ id: 'QueueChange' });

export const AdminQueueDto = queueConfigSchema.extend({ waiting: z.number().int().describe('contacts waiting now') }).meta({ id: 'AdminQueue' });

const IdParams = z.object({ id: z.string().min(1).max(64).describe('queue id') });

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'not an admin', schema: ErrorBody },
};
const invalid = { description: 'invalid input (code invalid-request, or INVALID_CONFIG naming the bad value: unknown overflow queue, reminder not before the limit)', schema: ErrorBody };

export function queueAdminRoutes(admin: QueueAdmin): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/queues',
      summary: 'Queues as in force now: skills, strategy, treatment, service level, service-time limit, calls waiting (ADM-1)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'queues', schema: z.array(AdminQueueDto) }, ...common },
      async handler() {
        return { status: 200, body: admin.queues() };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/admin/queues',
      summary: 'Create a queue, in force at once; entry points and routing rules may send calls to it (ADM-2)',
      tag: 'admin',
      role: 'admin',
      body: NewQueueBody,
      responses: {
        201: { description: 'created', schema: AdminQueueDto },
        400: invalid,
        409: { description: 'the queue exists (DUPLICATE_QUEUE)', schema: ErrorBody },
        ...common,
      },
      async handler({ deps, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const audit = (e: QueueAuditEntry) => req.log.info({ audit: e }, 'admin change');
        return { status: 201, body: await admin.create(body, user.username, audit) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/admin/queues/:id',
      summary: 'Change a queue live: waiting calls keep their place and get the new treatment, offers in flight and calls in progress go on, the next call answered gets the new service-time limit (ADM-2, CTI-7)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      body: QueueChangeBody,
      responses: {
        200: { description: 'the queue as now in force', schema: AdminQueueDto },
        400: invalid,
        404: { description: 'no such queue', schema: ErrorBody },
        ...common,
      },
      async handler({ deps, params, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const audit = (e: QueueAuditEntry) => req.log.info({ audit: e }, 'admin change');
        return { status: 200, body: await admin.update(params.id, body as QueueChange, user.username, audit) };
      },
    }),
  ];
}

/**
 * Business hours, holidays and special days per entry point (ACD-6, ADM-2)
 * and the entry points' queue and night service, over HTTP: in force for the
 * next call, kept across a restart, logged as `admin change` lines (ADM-3:
 * the audit store is not wired in yet).
 */
import { z } from 'zod';
import { BLACKLIST_MODES, BusinessHours, businessHoursSchema } from '../../acd/index.ts';
import { type EntryPointConfig, nightServiceSchema } from '../../acd/service/index.ts';
import { authenticate } from '../auth.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import type { QueueAdmin, QueueAuditEntry } from './queue-admin.ts';

const HoursDto = businessHoursSchema.meta({ id: 'BusinessHours', description: 'weekly ranges by weekday (0 = Sunday), holidays (closed all day), special days with their own ranges; HH:MM in the time zone' });

export const AdminEntryPointDto = z
  .object({
    id: z.string(),
    numbers: z.array(z.string()).describe('dialled numbers that reach it (the dial plan; not changed here)'),
    queue: z.string().describe('default queue'),
    hours: HoursDto.nullable().describe('null: open around the clock'),
    nightService: nightServiceSchema,
    blacklistMode: z.enum(BLACKLIST_MODES),
    open: z.boolean().describe('open now'),
    rule: z.enum(['always', 'weekly', 'holiday', 'special-day']).describe('what decides open now'),
  })
  .meta({ id: 'AdminEntryPoint' });

export const HoursBody = z
  .object({
    hours: HoursDto.nullable().describe('null: open around the clock'),
    nightService: nightServiceSchema.optional().describe('what callers get while closed'),
  })
  .strict()
  .meta({ id: 'HoursChange' });

export const EntryPointChangeBody = z
  .object({
    queue: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional().describe('the default queue calls go to'),
    nightService: nightServiceSchema.optional(),
    blacklistMode: z.enum(BLACKLIST_MODES).optional(),
  })
  .strict()
  .meta({ id: 'EntryPointChange' });

const IdParams = z.object({ id: z.string().min(1).max(64).describe('entry point id') });

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'not an admin', schema: ErrorBody },
};
const invalid = { description: 'invalid input (invalid-request, or INVALID_CONFIG naming the bad value: time, date, time zone, unknown queue)', schema: ErrorBody };
const missing = { description: 'no such entry point', schema: ErrorBody };

export function entryPointView(e: EntryPointConfig, now: number): z.output<typeof AdminEntryPointDto> {
  const st = e.hours ? new BusinessHours(e.hours).status(now) : { open: true, rule: 'always' as const };
  return { id: e.id, numbers: e.numbers, queue: e.queue, hours: e.hours ?? null, nightService: e.nightService, blacklistMode: e.blacklistMode, open: st.open, rule: st.rule };
}

export function hoursAdminRoutes(admin: QueueAdmin): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/hours',
      summary: 'Business hours, holidays and night service of each entry point, and whether it is open now (ACD-6)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'entry points with their hours', schema: z.array(AdminEntryPointDto) }, ...common },
      async handler({ deps }) {
        return { status: 200, body: admin.entryPoints().map((e) => entryPointView(e, deps.clock.now())) };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/admin/hours/:id',
      summary: 'Replace an entry point’s business hours (and night service), in force for the next call (ACD-6, ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      body: HoursBody,
      responses: { 200: { description: 'the entry point as now in force', schema: AdminEntryPointDto }, 400: invalid, 404: missing, ...common },
      async handler({ deps, params, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const audit = (e: QueueAuditEntry) => req.log.info({ audit: e }, 'admin change');
        const e = await admin.updateEntryPoint(params.id, { hours: body.hours, ...(body.nightService ? { nightService: body.nightService } : {}) }, user.username, audit);
        return { status: 200, body: entryPointView(e, deps.clock.now()) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/entry-points',
      summary: 'The ACD entry points: numbers, default queue, night service, blacklist mode (ACD-6, ACD-7)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'entry points', schema: z.array(AdminEntryPointDto) }, ...common },
      async handler({ deps }) {
        return { status: 200, body: admin.entryPoints().map((e) => entryPointView(e, deps.clock.now())) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/admin/entry-points/:id',
      summary: 'Send an entry point’s calls to another queue, change its night service or blacklist mode; in force for the next call (ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      body: EntryPointChangeBody,
      responses: { 200: { description: 'the entry point as now in force', schema: AdminEntryPointDto }, 400: invalid, 404: missing, ...common },
      async handler({ deps, params, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const audit = (e: QueueAuditEntry) => req.log.info({ audit: e }, 'admin change');
        const e = await admin.updateEntryPoint(params.id, body, user.username, audit);
        return { status: 200, body: entryPointView(e, deps.clock.now()) };
      },
    }),
  ];
}

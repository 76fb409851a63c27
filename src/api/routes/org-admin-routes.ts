/**
 * The organisation catalog over HTTP (ADM-1, ADM-2): branches, agent groups,
 * customer classes and ticket types under /api/v1/admin/…: list, create,
 * change (a value replaces, null removes), delete. Refusals carry the
 * catalog's typed code: duplicate-id 409, unknown-branch / branch-cycle 400,
 * branch-in-use / group-in-use / builtin-class 409, not-found 404. Each
 * change is in force at once and written to the operation log (ADM-3).
 */
import { z } from 'zod';
import { agentGroupSchema, branchSchema, customerClassSchema, ORG_ERROR_CODES, type OrgKind, ticketTypeSchema } from '../../acd/service/index.ts';
import { authenticate } from '../auth.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import { auditNote } from './audit-hook.ts';
import type { OrgAdmin, OrgAuditEntry } from './org-admin.ts';

export const OrgErrorBody = z
  .object({ error: z.object({ code: z.enum([...ORG_ERROR_CODES, 'invalid-request', 'not-found']), message: z.string() }) })
  .meta({ id: 'OrgError', description: 'A change the organisation catalog refuses, with its typed code' });

export const BranchDto = branchSchema.meta({ id: 'Branch' });
export const AgentGroupDto = agentGroupSchema.extend({ supervisors: z.array(z.string()) }).meta({ id: 'AgentGroup' });
export const CustomerClassDto = customerClassSchema.extend({ builtin: z.boolean().optional().describe('one of the routing levels themselves: renamable, never removed') }).meta({ id: 'CustomerClass' });
export const TicketTypeDto = ticketTypeSchema.extend({ active: z.boolean() }).meta({ id: 'TicketType' });

const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();
const changeOf = <S extends z.ZodRawShape>(shape: S, optional: (keyof S)[], id: string) =>
  z
    .object(Object.fromEntries(Object.entries(shape).filter(([k]) => k !== 'id').map(([k, v]) => [k, optional.includes(k) ? nullable((v as z.ZodOptional<z.ZodType>).unwrap()) : (v as z.ZodType).optional()])))
    .strict()
    .describe('fields to change; null removes an optional one')
    .meta({ id });

export const BranchChangeBody = changeOf(branchSchema.shape, ['parent', 'phone'], 'BranchChange');
export const AgentGroupChangeBody = changeOf({ ...agentGroupSchema.shape, supervisors: z.array(z.string().min(1).max(64)).max(50) }, ['branch'], 'AgentGroupChange');
export const CustomerClassChangeBody = changeOf(customerClassSchema.shape, [], 'CustomerClassChange');
export const TicketTypeChangeBody = changeOf({ ...ticketTypeSchema.shape, active: z.boolean() }, [], 'TicketTypeChange');

const IdParams = z.object({ id: z.string().min(1).max(64) });

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'not an admin', schema: ErrorBody },
};

interface KindDef {
  kind: OrgKind;
  path: string;
  what: string;
  dto: z.ZodType;
  create: z.ZodType;
  change: z.ZodType;
  deleteRefusal: string;
}

const KINDS: KindDef[] = [
  { kind: 'branches', path: 'branches', what: 'branches (分支机构), each maybe under a parent branch', dto: BranchDto, create: BranchDto, change: BranchChangeBody, deleteRefusal: 'branch-in-use: a child branch, an agent group or an agent still names it' },
  { kind: 'groups', path: 'agent-groups', what: 'agent groups: the names agents and queues carry, with their branch and supervisors', dto: AgentGroupDto, create: agentGroupSchema.meta({ id: 'NewAgentGroup' }), change: AgentGroupChangeBody, deleteRefusal: 'group-in-use: an agent or a queue still names it' },
  { kind: 'classes', path: 'customer-classes', what: 'customer classes, each routed with one of the levels special / priority / standard (call data customerLevel may name a class)', dto: CustomerClassDto, create: customerClassSchema.meta({ id: 'NewCustomerClass' }), change: CustomerClassChangeBody, deleteRefusal: 'builtin-class: the three routing levels are never removed' },
  { kind: 'ticketTypes', path: 'ticket-types', what: 'ticket types: name, category, SLA in hours, active', dto: TicketTypeDto, create: ticketTypeSchema.meta({ id: 'NewTicketType' }), change: TicketTypeChangeBody, deleteRefusal: 'never refused while it exists' },
];

export function orgAdminRoutes(admin: OrgAdmin): RouteDef[] {
  return KINDS.flatMap((k) => {
    const base = `/api/v1/admin/${k.path}`;
    const noteOf = (req: Parameters<typeof auditNote>[0]) => (e: OrgAuditEntry) => auditNote(req, { action: e.action, target: e.target, ...(e.detail ? { detail: e.detail } : {}) });
    return [
      defineRoute({
        method: 'GET',
        path: base,
        summary: `The ${k.what} (ADM-1)`,
        tag: 'admin',
        role: 'admin',
        responses: { 200: { description: k.path, schema: z.array(k.dto) }, ...common },
        async handler() {
          return { status: 200, body: admin.list(k.kind) };
        },
      }),
      defineRoute({
        method: 'POST',
        path: base,
        summary: `Add to the ${k.path}, in force at once (ADM-1, ADM-2)`,
        tag: 'admin',
        role: 'admin',
        body: k.create,
        responses: {
          201: { description: 'created', schema: k.dto },
          400: { description: 'invalid input (invalid-request, invalid, unknown-branch)', schema: OrgErrorBody },
          409: { description: 'the id exists (duplicate-id)', schema: OrgErrorBody },
          ...common,
        },
        async handler({ deps, body, req }) {
          await authenticate(req, deps, 'admin');
          return { status: 201, body: await admin.create(k.kind, body as Record<string, unknown>, noteOf(req)) };
        },
      }),
      defineRoute({
        method: 'PATCH',
        path: `${base}/:id`,
        summary: `Change one of the ${k.path} live (ADM-1, ADM-2)`,
        tag: 'admin',
        role: 'admin',
        params: IdParams,
        body: k.change,
        responses: {
          200: { description: 'as now in force', schema: k.dto },
          400: { description: 'invalid input (invalid-request, invalid, unknown-branch, branch-cycle)', schema: OrgErrorBody },
          404: { description: 'no such item', schema: OrgErrorBody },
          409: { description: 'builtin-class: a built-in class keeps its level', schema: OrgErrorBody },
          ...common,
        },
        async handler({ deps, params, body, req }) {
          await authenticate(req, deps, 'admin');
          return { status: 200, body: await admin.update(k.kind, params.id, body as Record<string, unknown>, noteOf(req)) };
        },
      }),
      defineRoute({
        method: 'DELETE',
        path: `${base}/:id`,
        summary: `Remove one of the ${k.path}; 409 while still referenced (ADM-1)`,
        tag: 'admin',
        role: 'admin',
        params: IdParams,
        responses: {
          204: { description: 'removed' },
          404: { description: 'no such item', schema: OrgErrorBody },
          409: { description: k.deleteRefusal, schema: OrgErrorBody },
          ...common,
        },
        async handler({ deps, params, req }) {
          await authenticate(req, deps, 'admin');
          await admin.remove(k.kind, params.id, noteOf(req));
          return { status: 204 };
        },
      }),
    ];
  });
}

/**
 * Agents administration over HTTP (ADM-1, ADM-2): list, create, change. Each
 * change is in force at once and written to the operation log (ADM-3) with
 * what changed (audit-hook.ts auditNote).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AGENT_ADMIN_STATUSES } from '../../acd/service/index.ts';
import { MAX_LEVEL, MIN_LEVEL } from '../../acd/index.ts';
import { authenticate } from '../auth.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import { acdCall, AcdConflictBody } from './acd-schemas.ts';
import type { AgentAdmin, AuditEntry } from './agent-admin.ts';
import { auditNote } from './audit-hook.ts';

const level = z.number().int().min(MIN_LEVEL).max(MAX_LEVEL);
const Skills = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), level).describe('skill name -> level 1-10');
const Groups = z
  .array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/))
  .max(20)
  .describe('agent groups, the preferred one first: groups of the organisation catalog, or names agents already carry (400 unknown-group otherwise)');
const BranchId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).describe('a branch of the organisation catalog (400 unknown-branch otherwise)');
const Password = z.string().min(8, { error: 'must be at least 8 characters' }).max(128);

export const AdminAgentDto = z
  .object({
    id: z.string(),
    extension: z.string(),
    name: z.string().optional(),
    level: z.number(),
    skills: z.record(z.string(), z.number()),
    groups: z.array(z.string()),
    mayDialOut: z.boolean().describe('may call outside numbers (make call, consult, transfer, from the phone); without it the switch refuses with 403 dial-out-not-allowed'),
    branch: z.string().optional().describe('the branch (organisation catalog)'),
    status: z.enum(AGENT_ADMIN_STATUSES),
    state: z.string().describe('live ACD state'),
    role: z.string().optional().describe("ADM-1: the custom role of the agent's web user"),
    webUser: z.boolean(),
    sipAccount: z.boolean(),
  })
  .meta({ id: 'AdminAgent' });

export const NewAgentBody = z
  .object({
    extension: z.string().regex(/^[0-9]{2,16}$/, { error: 'must be 2-16 digits' }).describe('also the agent id and the web username'),
    name: z.string().min(1).max(100),
    password: Password.optional().describe('for web sign-in and the SIP phone; generated and returned once when absent'),
    level: level.optional(),
    skills: Skills.default({}),
    groups: Groups.optional(),
    mayDialOut: z.boolean().optional(),
    branch: BranchId.optional(),
  })
  .strict()
  .meta({ id: 'NewAgent' });

export const AgentChangeBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    level: level.optional(),
    skills: Skills.optional(),
    groups: Groups.optional(),
    mayDialOut: z.boolean().optional(),
    branch: BranchId.nullable().optional().describe('a branch of the organisation catalog; null: none'),
    status: z.enum(AGENT_ADMIN_STATUSES).optional().describe('frozen: no sign-in, no calls; deregistered: also no SIP registration'),
    password: Password.optional().describe('new password (web and SIP)'),
    role: z.string().min(1).max(64).nullable().optional().describe('ADM-1: an agent-based custom role for the web user (400 unknown-role / role-base-mismatch); null: none'),
  })
  .strict()
  .meta({ id: 'AgentChange' });

const IdParams = z.object({ id: z.string().min(1).max(64).describe('agent id or extension') });

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'not an admin', schema: ErrorBody },
};

export function agentAdminRoutes(admin: AgentAdmin): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/agents',
      summary: 'Agents as the administrator manages them: skills, level, groups, status, live state (ADM-1)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'agents', schema: z.array(AdminAgentDto) }, ...common },
      async handler() {
        return { status: 200, body: await admin.list() };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/admin/agents',
      summary: 'Create an agent live: SIP account (when missing), web user (role agent) and ACD agent, in force at once (ADM-1, ADM-2)',
      tag: 'admin',
      role: 'admin',
      body: NewAgentBody,
      responses: {
        201: { description: 'created (with the password when it was generated)', schema: AdminAgentDto.extend({ password: z.string().optional() }) },
        400: { description: 'invalid input', schema: ErrorBody },
        409: { description: 'agent, extension or web user exists', schema: ErrorBody },
        ...common,
      },
      async handler({ deps, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const password = body.password ?? randomBytes(12).toString('base64url');
        const audit = (e: AuditEntry) => auditNote(req, { action: e.action, target: e.agent, ...(e.detail ? { detail: e.detail } : {}) });
        const view = await admin.create({ ...body, password }, user.username, audit);
        return { status: 201, body: body.password === undefined ? { ...view, password } : view };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/admin/agents/:id',
      summary: 'Change an agent live: name, level, skills, groups, may-dial-out, status (normal / frozen / deregistered), password, custom role (ADM-1, ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      body: AgentChangeBody,
      responses: {
        200: { description: 'the agent after the change', schema: AdminAgentDto },
        400: { description: 'invalid input', schema: ErrorBody },
        404: { description: 'no such agent', schema: ErrorBody },
        409: { description: 'the ACD refused the change', schema: AcdConflictBody },
        ...common,
      },
      async handler({ deps, params, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const audit = (e: AuditEntry) => auditNote(req, { action: e.action, target: e.agent, ...(e.detail ? { detail: e.detail } : {}) });
        const view = await acdCallAsync(() => admin.update(params.id, body, user.username, audit));
        return { status: 200, body: view };
      },
    }),
  ];
}

/** acdCall for a promise: the ACD's typed refusals become API errors. */
async function acdCallAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    return acdCall(() => {
      throw err;
    });
  }
}

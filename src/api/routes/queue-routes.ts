/**
 * Queues, routing rules and the blacklist over HTTP: live queue figures
 * (SUP-1), the versioned pre-, post- and translation routing rules applied at
 * once without restart (ACD-9), and blacklist entries (ACD-7).
 */
import { z } from 'zod';
import { normalizeNumber } from '../../acd/index.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import {
  BlacklistEntryDto,
  blacklistDto,
  NewBlacklistEntry,
  NumberParams,
  QueueDto,
  queueDto,
  requireAcd,
  RollbackBody,
  RuleSetVersionDto,
  ruleSetVersionDto,
} from './acd-schemas.ts';
import { authenticate } from '../auth.ts';
import { auditNote } from './audit-hook.ts';

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  503: { description: 'the ACD is not running', schema: ErrorBody },
};
const supervisor = { ...common, 403: { description: 'requires role supervisor', schema: ErrorBody } };

const RuleSetBody = z
  .unknown()
  .describe('{ translation: [{id, match, kind, to}], pre: [{id, when, queue}], post: [{id, queue, when, then}] }; validated whole, unknown queues refused')
  .meta({ id: 'RoutingRuleSet' });

export const queueRoutes: readonly RouteDef[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/queues',
    summary: 'Every queue: waiting, longest wait, service level, today’s counters (SUP-1)',
    tag: 'acd',
    role: 'agent',
    responses: { 200: { description: 'queues', schema: z.array(QueueDto) }, ...common },
    async handler({ deps }) {
      return { status: 200, body: requireAcd(deps).queues().map(queueDto) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/routing-rules',
    summary: 'The routing rules in force and their version (ACD-9)',
    tag: 'acd',
    role: 'supervisor',
    responses: { 200: { description: 'current version', schema: RuleSetVersionDto }, ...supervisor },
    async handler({ deps }) {
      return { status: 200, body: ruleSetVersionDto(requireAcd(deps).currentRules()) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/routing-rules/history',
    summary: 'Every kept version of the routing rules, oldest first',
    tag: 'acd',
    role: 'supervisor',
    responses: { 200: { description: 'versions', schema: z.array(RuleSetVersionDto) }, ...supervisor },
    async handler({ deps }) {
      return { status: 200, body: requireAcd(deps).ruleHistory().map(ruleSetVersionDto) };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/v1/routing-rules',
    summary: 'Replace the routing rules: validated whole, applied at once as the next version (no restart)',
    tag: 'acd',
    role: 'supervisor',
    body: RuleSetBody,
    responses: {
      200: { description: 'applied', schema: RuleSetVersionDto },
      400: { description: 'invalid rules; nothing changed', schema: ErrorBody },
      ...supervisor,
    },
    async handler({ deps, body, req }) {
      const acd = requireAcd(deps);
      const user = await authenticate(req, deps, 'supervisor');
      const r = acd.applyRules(body, user.username);
      if (!r.ok) throw new ApiError('invalid-request', r.issues.join('; '));
      req.log.info({ version: r.version, by: user.username }, 'routing rules applied');
      return { status: 200, body: ruleSetVersionDto(acd.currentRules()) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/routing-rules/rollback',
    summary: 'Apply an earlier version again, as the next version',
    tag: 'acd',
    role: 'supervisor',
    body: RollbackBody,
    responses: { 200: { description: 'applied', schema: RuleSetVersionDto }, 404: { description: 'no such version', schema: ErrorBody }, ...supervisor },
    async handler({ deps, body, req }) {
      const acd = requireAcd(deps);
      const user = await authenticate(req, deps, 'supervisor');
      const r = acd.rollbackRules(body.version, user.username);
      if (!r.ok) throw new ApiError('not-found', r.issues.join('; '));
      return { status: 200, body: ruleSetVersionDto(acd.currentRules()) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/blacklist',
    summary: 'Blacklisted numbers (ACD-7)',
    tag: 'acd',
    role: 'supervisor',
    responses: { 200: { description: 'entries', schema: z.array(BlacklistEntryDto) }, ...supervisor },
    async handler({ deps }) {
      return { status: 200, body: requireAcd(deps).blacklist().map(blacklistDto) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/blacklist',
    summary: 'Add or replace a blacklist entry: refuse, flag (warning on the agent’s screen) or hang up',
    tag: 'acd',
    role: 'supervisor',
    body: NewBlacklistEntry,
    responses: { 201: { description: 'stored', schema: BlacklistEntryDto }, 400: { description: 'invalid entry', schema: ErrorBody }, ...supervisor },
    async handler({ deps, body, req }) {
      const acd = requireAcd(deps);
      const { expiresAt, ...rest } = body;
      acd.addToBlacklist({ ...rest, ...(expiresAt !== undefined ? { expiresAt: Date.parse(expiresAt) } : {}) });
      const stored = acd.blacklist().find((e) => e.number === normalizeNumber(body.number) && e.match === (body.match ?? 'exact'));
      auditNote(req, { action: 'blacklist.add', target: stored!.number, detail: blacklistDto(stored!) });
      return { status: 201, body: blacklistDto(stored!) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/blacklist/:number',
    summary: 'Remove a number from the blacklist',
    tag: 'acd',
    role: 'supervisor',
    params: NumberParams,
    responses: { 204: { description: 'removed' }, 404: { description: 'not listed', schema: ErrorBody }, ...supervisor },
    async handler({ deps, params, req }) {
      if (!requireAcd(deps).removeFromBlacklist(params.number)) throw new ApiError('not-found', `${params.number} is not blacklisted`);
      auditNote(req, { action: 'blacklist.remove', target: params.number });
      return { status: 204 };
    },
  }),
];


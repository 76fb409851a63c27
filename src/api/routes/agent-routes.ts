/**
 * Agent states over HTTP (ACD-3, SUP-1, SUP-3): the live list, and the
 * requests an agent makes for itself or a supervisor for any agent; lock and
 * unlock are the supervisor's only. `:id` is the agent id or its extension.
 */
import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import { AcdConflictBody, acdCall, actorFor, AgentDto, agentDto, AgentIdParams, NotReadyBody, requireAcd } from './acd-schemas.ts';
import type { AgentRequest } from '../../acd/service/index.ts';

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  503: { description: 'the ACD is not running', schema: ErrorBody },
};

const ACTIONS: readonly { path: string; action: AgentRequest; summary: string; supervisorOnly?: boolean }[] = [
  { path: 'login', action: 'login', summary: 'Log the agent in (not ready until it says ready)' },
  { path: 'ready', action: 'ready', summary: 'The agent is ready for calls (ends wrap-up at once)' },
  { path: 'not-ready', action: 'not-ready', summary: 'The agent pauses with a reason; during a call the pause is taken when the call work ends' },
  { path: 'logout', action: 'logout', summary: 'Log the agent out' },
  { path: 'wrap-up-done', action: 'wrap-up-done', summary: 'After-call work finished early: ready, or the pause asked during the call' },
  { path: 'lock', action: 'lock', summary: 'SUP-3: force sign-out; no telephony until unlocked and logged in again', supervisorOnly: true },
  { path: 'unlock', action: 'unlock', summary: 'SUP-3: lift a lock (the agent must log in again)', supervisorOnly: true },
];

function actionRoute(a: (typeof ACTIONS)[number]): RouteDef {
  return defineRoute({
    method: 'POST',
    path: `/api/v1/agents/:id/${a.path}`,
    summary: a.supervisorOnly ? `${a.summary} (supervisor)` : `${a.summary} (agent for itself, supervisor for anyone)`,
    tag: 'acd',
    role: a.supervisorOnly ? 'supervisor' : 'agent',
    params: AgentIdParams,
    ...(a.action === 'not-ready' ? { body: NotReadyBody } : {}),
    responses: {
      200: { description: 'the agent after the request', schema: AgentDto },
      403: { description: 'not this agent, or not a supervisor', schema: ErrorBody },
      404: { description: 'no such agent', schema: AcdConflictBody },
      409: { description: 'the agent state forbids the request (typed code)', schema: AcdConflictBody },
      ...common,
    },
    async handler({ deps, params, body, req }) {
      const acd = requireAcd(deps);
      const id = acdCall(() => acd.resolveAgent(params.id));
      const user = await actorFor(req, deps, acd, id);
      const reason = (body as z.infer<typeof NotReadyBody> | undefined)?.reason;
      const after = acdCall(() => acd.act(id, a.action, reason));
      req.log.info({ agent: id, action: a.action, by: user.username }, 'agent request');
      return { status: 200, body: agentDto(after) };
    },
  });
}

export const agentRoutes: readonly RouteDef[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/agents',
    summary: 'Every agent with its live state and today’s counters (SUP-1)',
    tag: 'acd',
    role: 'agent',
    responses: { 200: { description: 'agents', schema: z.array(AgentDto) }, ...common },
    async handler({ deps }) {
      return { status: 200, body: requireAcd(deps).agents().map(agentDto) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/agents/:id',
    summary: 'One agent’s live state',
    tag: 'acd',
    role: 'agent',
    params: AgentIdParams,
    responses: { 200: { description: 'agent', schema: AgentDto }, 404: { description: 'no such agent', schema: AcdConflictBody }, ...common },
    async handler({ deps, params }) {
      const acd = requireAcd(deps);
      return { status: 200, body: agentDto(acdCall(() => acd.agent(acd.resolveAgent(params.id)))) };
    },
  }),
  ...ACTIONS.map(actionRoute),
];


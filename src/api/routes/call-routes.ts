/**
 * Call control over HTTP (CTI-1..CTI-5, SUP-2, TEL-5): the switch runtime's
 * operations under /api/v1. Agents act on their own calls (the model refuses
 * anyone else with AGENT_NOT_ON_CALL); supervisors supervise; admins may act
 * for anyone by naming them. A state conflict is the model's CallModelError,
 * answered 409 with its typed code by error-handler.ts (the one mapping).
 * Calls to outside numbers (make call, consult, blind transfer) need the
 * agent's may-dial-out (ADM-1): without it 403 `dial-out-not-allowed`.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Destination } from '../../switch/model/index.ts';
import type { AgentOperation, SupervisorOperation, SwitchRuntime } from '../../switch/runtime/switch-runtime.ts';
import type { User } from '../../store/user-store.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiError } from '../api-error.ts';
import { authenticate } from '../auth.ts';
import {
  AgentBody, BlindTransferBody, CallConflictBody, CallDataBody, ConsultBody, CreatedCallDto, IdParams, InteractionDto,
  MakeCallBody, RecordingDto, SupervisorBody, SwitchErrorBody,
} from '../call-schemas.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';

const common = {
  400: { description: 'invalid input', schema: ErrorBody },
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'role too low, or acting for someone else', schema: ErrorBody },
};
const conflict = { 409: { description: 'the call state forbids it (typed code)', schema: CallConflictBody } };
const notFound = { 404: { description: 'no such interaction or agent', schema: SwitchErrorBody } };
/** ADM-1 may-dial-out: the one 403 of the dialling routes that is not about roles (error-handler.ts maps the switch's code). */
export const DialOutRefusedBody = z
  .object({ error: z.object({ code: z.enum(['dial-out-not-allowed', 'forbidden']), message: z.string() }) })
  .meta({
    id: 'DialOutRefused',
    description: 'dial-out-not-allowed: the agent may not call outside numbers (ADM-1 may-dial-out; internal extensions and service numbers stay allowed). forbidden: role too low, or acting for someone else.',
  });
const AgentQuery = z.object({ agentId: z.string().min(1).max(64).optional().describe('supervisors and admins: the agent to ask for') });
const DiallingDto = z
  .object({
    mayDialOut: z.boolean(),
    extensions: z.array(z.object({ from: z.string(), to: z.string() })),
    serviceNumbers: z.array(z.string()),
  })
  .meta({ id: 'Dialling', description: 'ADM-1: may the agent call outside numbers; extensions and service numbers are inside and always allowed' });
const dialOut = { 403: { description: 'the agent may not call outside numbers (dial-out-not-allowed), or the role is too low (forbidden)', schema: DialOutRefusedBody } };

/** The agent a request acts for: agents themselves; supervisors and admins may name one. */
function actingAgent(user: User, named: string | undefined): string {
  if (user.role === 'agent') {
    if (named !== undefined && named !== user.username) throw new ApiError('forbidden', 'an agent may act only on their own calls');
    return user.username;
  }
  if (named !== undefined) return named;
  if (user.role === 'admin') throw new ApiError('invalid-request', 'agentId: an admin must name the agent to act for');
  return user.username;
}

const who = (req: FastifyRequest, deps: ApiDeps, role: 'agent' | 'supervisor') => authenticate(req, deps, role);

/** Call-data keys that say who the customer is; agents may not set them (supervisors and admins may, e.g. integrations). */
const IDENTITY_KEYS = ['authenticated', 'customer'] as const;

const AGENT_OPS: { op: AgentOperation; path: string; summary: string }[] = [
  { op: 'hold', path: 'hold', summary: 'Hold: the customer hears music, the agent still hears the customer (CTI-2)' },
  { op: 'retrieve', path: 'retrieve', summary: 'Retrieve a held call (CTI-2)' },
  { op: 'alternate', path: 'alternate', summary: 'Switch between the consulted party and the customer (CTI-3)' },
  { op: 'reconnect', path: 'reconnect', summary: 'Drop the consulted party and retrieve the customer (CTI-3)' },
  { op: 'transfer', path: 'transfer', summary: 'Complete the consultation as a transfer (attended, CTI-4)' },
  { op: 'conference', path: 'conference', summary: 'Complete the consultation as a conference (TEL-4)' },
  { op: 'hangup', path: 'hangup', summary: 'The agent leaves the call (their phone gets BYE)' },
];

const SUPERVISOR_OPS: { op: SupervisorOperation; summary: string }[] = [
  { op: 'monitor', summary: 'Silent monitor: the supervisor hears both sides, nobody hears the supervisor (SUP-2)' },
  { op: 'whisper', summary: 'Whisper: only the agent hears the supervisor (SUP-2)' },
  { op: 'barge', summary: 'Barge in: a three-way call (SUP-2)' },
  { op: 'intercept', summary: 'Intercept: the agent is dropped, the supervisor keeps the customer (SUP-2)' },
  { op: 'force-release', summary: 'Force release: hang up the agent’s call (SUP-2)' },
];

export function callRoutes(sw: SwitchRuntime): RouteDef[] {
  const view = (id: string): z.infer<typeof InteractionDto> => sw.get(id) as z.infer<typeof InteractionDto>;
  const routes: RouteDef[] = [
    defineRoute({
      method: 'GET',
      path: '/api/v1/calls',
      summary: 'Live interactions (agents see their own, supervisors and admins all)',
      tag: 'calls',
      role: 'agent',
      responses: { 200: { description: 'live interactions', schema: InteractionDto.array() }, ...common },
      async handler({ req, deps }) {
        const user = await who(req, deps, 'agent');
        const all = sw.list();
        return { status: 200, body: user.role === 'agent' ? all.filter((v) => v.legs.some((l) => l.party.kind === 'agent' && l.party.id === user.username)) : all };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/dialling',
      summary: 'Whether the agent may call outside numbers (ADM-1 may-dial-out) and which numbers are inside (extensions, service numbers)',
      tag: 'calls',
      role: 'agent',
      query: AgentQuery,
      responses: { 200: { description: 'the dialling rules for the agent', schema: DiallingDto }, ...common },
      async handler({ req, deps, query }) {
        const agentId = actingAgent(await who(req, deps, 'agent'), query.agentId);
        return { status: 200, body: sw.dialling(agentId) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/interactions/:id',
      summary: 'One interaction, live or recently ended',
      tag: 'calls',
      role: 'agent',
      params: IdParams,
      responses: { 200: { description: 'interaction', schema: InteractionDto }, ...notFound, ...common },
      async handler({ params }) {
        return { status: 200, body: view(params.id) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/calls',
      summary: 'Make a call: the agent’s phone rings (auto-answer), then the number (CTI-1)',
      tag: 'calls',
      role: 'agent',
      body: MakeCallBody,
      responses: { 202: { description: 'dialling', schema: CreatedCallDto }, ...notFound, 422: { description: 'no route for the number', schema: SwitchErrorBody }, ...common, ...dialOut },
      async handler({ req, deps, body }) {
        const agentId = actingAgent(await who(req, deps, 'agent'), body.agentId);
        const interactionId = await sw.makeCall(agentId, body.number, (body.callData ?? {}) as never);
        return { status: 202, body: { interactionId } };
      },
    }),
    ...AGENT_OPS.map((o) =>
      defineRoute({
        method: 'POST',
        path: `/api/v1/interactions/:id/${o.path}`,
        summary: o.summary,
        tag: 'calls',
        role: 'agent',
        params: IdParams,
        body: AgentBody,
        responses: { 200: { description: 'done; the interaction now', schema: InteractionDto }, ...notFound, ...conflict, ...common },
        async handler({ req, deps, params, body }) {
          const agentId = actingAgent(await who(req, deps, 'agent'), body.agentId);
          await sw.agentOp(params.id, agentId, o.op);
          return { status: 200, body: view(params.id) };
        },
      }),
    ),
    defineRoute({
      method: 'POST',
      path: '/api/v1/interactions/:id/consult',
      summary: 'Consult another agent or an outside number; the customer hears music (CTI-3)',
      tag: 'calls',
      role: 'agent',
      params: IdParams,
      body: ConsultBody,
      responses: { 200: { description: 'consulting', schema: InteractionDto }, ...notFound, ...conflict, ...common, ...dialOut },
      async handler({ req, deps, params, body }) {
        const agentId = actingAgent(await who(req, deps, 'agent'), body.agentId);
        const t = body.target;
        await sw.consult(params.id, agentId, 'agentId' in t ? { kind: 'agent', agentId: t.agentId } : { kind: 'external', number: t.number });
        return { status: 200, body: view(params.id) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/interactions/:id/blind-transfer',
      summary: 'Blind transfer to an agent, an outside number, a queue or the IVR; the call data travels along (CTI-4, CTI-5)',
      tag: 'calls',
      role: 'agent',
      params: IdParams,
      body: BlindTransferBody,
      responses: { 200: { description: 'transferred', schema: InteractionDto }, ...notFound, ...conflict, ...common, ...dialOut },
      async handler({ req, deps, params, body }) {
        const agentId = actingAgent(await who(req, deps, 'agent'), body.agentId);
        await sw.blindTransfer(params.id, agentId, body.to as Destination);
        return { status: 200, body: view(params.id) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/interactions/:id/data',
      summary: 'Attach data to the call (merged into its call data, CTI-5)',
      tag: 'calls',
      role: 'agent',
      params: IdParams,
      body: CallDataBody,
      responses: { 200: { description: 'the interaction now', schema: InteractionDto }, ...notFound, ...common },
      async handler({ params, body, req, deps }) {
        // CRM-1, CRM-2: who the customer is (and that they proved it) is the IVR's to say; an agent setting it
        // would read any customer's back-office profile through the screen pop (crm-routes.ts).
        const user = await who(req, deps, 'agent');
        if (user.role === 'agent' && IDENTITY_KEYS.some((k) => k in body.callData)) {
          throw new ApiError('forbidden', `an agent may not set ${IDENTITY_KEYS.join(' or ')}: the customer's identity comes from the IVR`);
        }
        await sw.attachData(params.id, body.callData as never);
        return { status: 200, body: view(params.id) };
      },
    }),
    ...(['start', 'stop'] as const).map((action) =>
      defineRoute({
        method: 'POST',
        path: `/api/v1/interactions/:id/recording/${action}`,
        summary: action === 'start' ? 'Start recording the conversation (TEL-5)' : 'Stop recording (TEL-5)',
        tag: 'calls',
        role: 'agent',
        params: IdParams,
        responses: { 200: { description: 'recording state', schema: RecordingDto }, ...notFound, 409: { description: 'not recording / nothing to record', schema: SwitchErrorBody }, ...common },
        async handler({ params }) {
          const path = action === 'start' ? await sw.startRecording(params.id) : await sw.stopRecording(params.id);
          return { status: 200, body: { interactionId: params.id, recording: action === 'start', path } };
        },
      }),
    ),
    ...SUPERVISOR_OPS.map((o) =>
      defineRoute({
        method: 'POST',
        path: `/api/v1/agents/:id/${o.op}`,
        summary: o.summary,
        tag: 'supervision',
        role: 'supervisor',
        params: IdParams,
        body: SupervisorBody,
        responses: { 200: { description: 'the agent’s interaction now', schema: InteractionDto }, ...notFound, ...conflict, ...common },
        async handler({ req, deps, params, body }) {
          const user = await who(req, deps, 'supervisor');
          if (user.role === 'admin' && body.supervisorId === undefined && o.op !== 'force-release') {
            throw new ApiError('invalid-request', 'supervisorId: an admin must name the supervisor whose phone joins');
          }
          const supervisorId = body.supervisorId ?? user.username;
          const ixId = sw.interactionOfAgent(params.id);
          await sw.supervisorOp(supervisorId, params.id, o.op);
          return { status: 200, body: view(ixId) };
        },
      }),
    ),
  ];
  return routes;
}

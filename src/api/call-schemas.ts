/**
 * Wire shapes of the call-control API (CTI-1..CTI-5, SUP-2): interactions as
 * the switch runtime shows them, request bodies, and the 409 body whose
 * `code` is one of the call model's typed codes, each listed with its meaning
 * in the OpenAPI document.
 */
import { z } from 'zod';
import { CALL_ERROR_CODE_LIST, CALL_ERROR_CODES } from '../switch/model/index.ts';
import { SWITCH_RUNTIME_ERROR_CODES } from '../switch/runtime/switch-runtime-error.ts';

const codeList = (codes: Record<string, string>) => Object.entries(codes).map(([c, d]) => `- \`${c}\`: ${d}`).join('\n');

export const CallConflictBody = z
  .object({ error: z.object({ code: z.enum(CALL_ERROR_CODE_LIST), message: z.string() }) })
  .meta({ id: 'CallConflict', description: `The current state of the call forbids the request. Codes:\n${codeList(CALL_ERROR_CODES)}` });

export const SwitchErrorBody = z
  .object({ error: z.object({ code: z.enum(Object.keys(SWITCH_RUNTIME_ERROR_CODES) as [string, ...string[]]), message: z.string() }) })
  .meta({ id: 'SwitchError', description: `Not found (404), no route (422) or nothing to stop (409). Codes:\n${codeList(SWITCH_RUNTIME_ERROR_CODES)}` });

const JsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]));
export const CallDataSchema = z.record(z.string(), JsonValue).meta({ id: 'CallData', description: 'Call-attached data (CTI-5): IVR inputs, identity, ticket in progress' });

const Party = z.object({ kind: z.enum(['customer', 'agent', 'supervisor', 'ivr', 'external']), id: z.string() });
const LegDto = z.object({
  id: z.string(),
  party: Party,
  direction: z.enum(['inbound', 'outbound']),
  state: z.enum(['idle', 'dialing', 'ringing', 'early', 'connected', 'held', 'terminated']),
  createdAt: z.number(),
  ringAt: z.number().optional(),
  answerAt: z.number().optional(),
  heldSince: z.number().optional(),
  holdTotalMs: z.number(),
  endAt: z.number().optional(),
  endedBy: z.enum(['party', 'peer', 'system']).optional(),
  cause: z.string().optional(),
});

export const InteractionDto = z
  .object({
    id: z.string(),
    state: z.enum(['ivr', 'queued', 'ringing', 'talking', 'on-hold', 'consulting', 'conferencing', 'ended']),
    customer: z.object({ number: z.string(), name: z.string().optional() }),
    entryPoint: z.string().optional(),
    callData: CallDataSchema,
    agentId: z.string().optional().describe('the agent handling the call'),
    queueId: z.string().optional(),
    legs: z.array(LegDto),
    bridges: z.array(z.object({ id: z.string(), members: z.array(z.object({ leg: z.string(), role: z.string(), target: z.string().optional() })) })),
    supervisors: z.array(z.object({ supervisorId: z.string(), agentLeg: z.string(), mode: z.string() })),
    recording: z.boolean(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
  })
  .meta({ id: 'Interaction' });

export const IdParams = z.object({ id: z.string().min(1).max(128) });

const AgentField = z.string().min(1).max(64).optional().describe('acting agent; agents may only name themselves, admins must name one');
export const AgentBody = z.object({ agentId: AgentField }).strict();

export const MakeCallBody = z
  .object({ number: z.string().regex(/^[0-9*#+]{1,32}$/, { error: 'must be a number (digits, *, #, +)' }), agentId: AgentField, callData: CallDataSchema.optional() })
  .strict()
  .meta({ id: 'MakeCall' });

export const ConsultBody = z
  .object({
    agentId: AgentField,
    target: z.union([z.object({ agentId: z.string().min(1) }).strict(), z.object({ number: z.string().regex(/^[0-9*#+]{1,32}$/) }).strict()]),
  })
  .strict()
  .meta({ id: 'Consult' });

export const DestinationSchema = z
  .union([
    z.object({ kind: z.literal('agent'), agentId: z.string().min(1) }).strict(),
    z.object({ kind: z.literal('external'), number: z.string().regex(/^[0-9*#+]{1,32}$/) }).strict(),
    z.object({ kind: z.literal('queue'), queueId: z.string().min(1) }).strict(),
    z.object({ kind: z.literal('ivr'), mode: z.literal('resume') }).strict(),
    z.object({ kind: z.literal('ivr'), mode: z.literal('new'), script: z.string().min(1) }).strict(),
  ])
  .meta({ id: 'Destination' });

export const BlindTransferBody = z.object({ agentId: AgentField, to: DestinationSchema }).strict().meta({ id: 'BlindTransfer' });
export const CallDataBody = z.object({ callData: CallDataSchema }).strict();
export const SupervisorBody = z
  .object({ supervisorId: z.string().min(1).max(64).optional().describe('acting supervisor; admins must name one') })
  .strict();
export const RecordingDto = z.object({ interactionId: z.string(), recording: z.boolean(), path: z.string() }).meta({ id: 'Recording' });
export const CreatedCallDto = z.object({ interactionId: z.string() }).meta({ id: 'CreatedCall' });

/**
 * The supervisor's call actions on an agent (SUP-2), declared once: which
 * are open for an agent state and the supervisor's role. The supervisor's
 * own phone joins the call (monitor, whisper, barge, intercept), so an
 * admin, who has no phone of their own here, may only force-release. Pure.
 */
import type { Role } from '../../api/types.ts';
import type { AgentState } from '../../desktop/desk-state.ts';

export const SUPERVISE_OPS = ['monitor', 'whisper', 'barge', 'intercept', 'force-release', 'record-start', 'record-stop'] as const;
export type SuperviseOp = (typeof SUPERVISE_OPS)[number];
/** Start or stop recording the agent's call (TEL-5): no phone needed, so open to an admin too. */
const RECORD_OPS: readonly SuperviseOp[] = ['record-start', 'record-stop'];

/** The supervision actions open on an agent in this state for this role (recording needs the agent's call). */
export function superviseOpsFor(agent: AgentState, role: Role, interactionId?: string): SuperviseOp[] {
  if (agent !== 'talking') return [];
  const phone: SuperviseOp[] = role === 'admin' ? ['force-release'] : ['monitor', 'whisper', 'barge', 'intercept', 'force-release'];
  return interactionId === undefined ? phone : [...phone, ...RECORD_OPS];
}

/** The API route of an action: supervision on the agent, recording on its call. */
export function supervisePath(agentId: string, op: SuperviseOp, interactionId?: string): string {
  if (op === 'record-start' || op === 'record-stop') {
    if (interactionId === undefined) throw new Error(`${op} needs the agent's call`);
    return `/api/v1/interactions/${encodeURIComponent(interactionId)}/recording/${op === 'record-start' ? 'start' : 'stop'}`;
  }
  return `/api/v1/agents/${encodeURIComponent(agentId)}/${op}`;
}

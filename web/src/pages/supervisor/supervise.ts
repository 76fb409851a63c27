/**
 * The supervisor's call actions on an agent (SUP-2), declared once: which
 * are open for an agent state and the supervisor's role. The supervisor's
 * own phone joins the call (monitor, whisper, barge, intercept), so an
 * admin, who has no phone of their own here, may only force-release. Pure.
 */
import type { Role } from '../../api/types.ts';
import type { AgentState } from '../../desktop/desk-state.ts';

export const SUPERVISE_OPS = ['monitor', 'whisper', 'barge', 'intercept', 'force-release'] as const;
export type SuperviseOp = (typeof SUPERVISE_OPS)[number];

/** The supervision actions open on an agent in this state for this role. */
export function superviseOpsFor(agent: AgentState, role: Role): SuperviseOp[] {
  if (agent !== 'talking') return [];
  return role === 'admin' ? ['force-release'] : [...SUPERVISE_OPS];
}

export const supervisePath = (agentId: string, op: SuperviseOp) => `/api/v1/agents/${encodeURIComponent(agentId)}/${op}`;

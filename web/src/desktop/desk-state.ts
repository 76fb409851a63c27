/**
 * What the agent desktop knows about its agent and its call.
 *
 * AgentState is the ACD's (src/acd/agent-state.ts); desk-state.test.ts
 * checks the lists stay equal. DeskCallState is the agent's view of their
 * current interaction (src/switch/model/interaction.ts): `idle` when there is
 * none, `dialing` for an outbound call not yet answered, and the consult
 * split in two, `consult-dialing` while the consulted party has not answered
 * and `consulting` once they have (alternate, transfer and conference need
 * them on the line).
 */

export const AGENT_STATES = ['logged-out', 'not-ready', 'ready', 'reserved', 'talking', 'wrap-up', 'locked'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const DESK_CALL_STATES = ['idle', 'dialing', 'ringing', 'talking', 'on-hold', 'consult-dialing', 'consulting', 'conferencing'] as const;
export type DeskCallState = (typeof DESK_CALL_STATES)[number];

/** The interaction state (server side) each desk call state stands for; undefined for `idle` and `dialing`. */
export const INTERACTION_STATE_OF: Readonly<Record<DeskCallState, string | undefined>> = {
  idle: undefined,
  dialing: undefined,
  ringing: 'ringing',
  talking: 'talking',
  'on-hold': 'on-hold',
  'consult-dialing': 'consulting',
  consulting: 'consulting',
  conferencing: 'conferencing',
};

/** Whether the desktop can reach the switch: without it no action can be performed. */
export type SwitchLink = 'connected' | 'not-connected';

/** Reasons an agent can give for not ready (ACD-3); ids are stable, labels come from the catalogs. */
export const NOT_READY_REASONS = ['break', 'meal', 'meeting', 'training', 'after-call-work', 'other'] as const;
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

/** The catalog key of a reason the desktop offers; undefined for others (e.g. the ACD's own RONA), shown as sent. */
export function reasonKey(reason: string): `reason.${NotReadyReason}` | undefined {
  return (NOT_READY_REASONS as readonly string[]).includes(reason) ? `reason.${reason as NotReadyReason}` : undefined;
}

/** Tag colours (antd preset names) for agent states, the same on the desktop and the supervisor grid. */
export const AGENT_STATE_COLOR: Readonly<Record<AgentState, string>> = {
  'logged-out': 'default',
  'not-ready': 'orange',
  ready: 'green',
  reserved: 'cyan',
  talking: 'blue',
  'wrap-up': 'purple',
  locked: 'red',
};

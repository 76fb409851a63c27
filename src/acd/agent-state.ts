/**
 * The agent state machine (ACD-3, ACD-4, SUP-3): one transition table.
 *
 *                 login            ready
 *  logged-out ──────────► not-ready ◄────► ready ──reserve──► reserved
 *      ▲  ▲                 ▲  ▲  not-ready  ▲ ▲                │ │ │
 *      │  │      logout     │  │ rona-timeout│ └─withdraw───────┘ │ │
 *      │  └─────────────────┤  └─────────────┼────────────────────┘ │
 *      │                    │ finish-wrap-up │ finish-wrap-up        │ connect
 *   unlock                  └──────────── wrap-up ◄──release── talking ◄┘
 *      │
 *   locked ◄──lock── (any state but talking)
 *
 * Calls the ACD did not route (issue 5, CTI-4): a blind or attended transfer
 * to the agent, a consultation, an extension-to-extension call, a call the
 * agent dials. A logged-in agent that is ready, not ready or in wrap-up takes
 * them with `direct-connect` → talking (out of the ready pool, so never
 * offered a queue call meanwhile; a wrap-up in progress ends there). At its end:
 *
 *   customer call (transferred in, or dialled out to a customer)
 *       talking ──release──► wrap-up ──finish-wrap-up(-not-ready)──► as after a queue call
 *   internal call (consultation, extension to extension)
 *       talking ──direct-end-ready──► ready
 *       talking ──direct-end-not-ready──► not-ready (the pause it had, or one asked for during the call)
 *
 * The engine remembers which kind of call it is (acd-engine.ts, DirectCall):
 * the table only says which moves exist.
 *
 * A request the current state forbids raises AgentStateError with a code.
 */

export const AGENT_STATES = [
  'logged-out',
  'not-ready',
  'ready',
  'reserved',
  'talking',
  'wrap-up',
  'locked',
] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export type AgentAction =
  | 'login'
  | 'logout'
  | 'ready'
  | 'not-ready'
  | 'reserve'
  | 'withdraw'
  | 'rona-timeout'
  | 'offer-failed'
  | 'connect'
  | 'direct-connect'
  | 'release'
  | 'direct-end-ready'
  | 'direct-end-not-ready'
  | 'finish-wrap-up'
  | 'finish-wrap-up-not-ready'
  | 'lock'
  | 'unlock';

const TABLE: Readonly<Record<AgentState, Partial<Record<AgentAction, AgentState>>>> = {
  'logged-out': { login: 'not-ready', lock: 'locked' },
  'not-ready': { ready: 'ready', 'not-ready': 'not-ready', logout: 'logged-out', lock: 'locked', 'direct-connect': 'talking' },
  ready: { 'not-ready': 'not-ready', reserve: 'reserved', logout: 'logged-out', lock: 'locked', 'direct-connect': 'talking' },
  reserved: { connect: 'talking', withdraw: 'ready', 'rona-timeout': 'not-ready', 'offer-failed': 'not-ready', lock: 'locked' },
  talking: { release: 'wrap-up', 'direct-end-ready': 'ready', 'direct-end-not-ready': 'not-ready' },
  'wrap-up': {
    'finish-wrap-up': 'ready',
    'finish-wrap-up-not-ready': 'not-ready',
    ready: 'ready',
    'not-ready': 'not-ready',
    logout: 'logged-out',
    lock: 'locked',
    'direct-connect': 'talking',
  },
  locked: { unlock: 'logged-out', lock: 'locked' },
};

export const AGENT_STATE_ERROR_CODES = ['NOT_LOGGED_IN', 'ALREADY_LOGGED_IN', 'AGENT_LOCKED', 'AGENT_BUSY', 'NOT_LOCKED', 'INVALID_TRANSITION'] as const;
export type AgentStateErrorCode = (typeof AGENT_STATE_ERROR_CODES)[number];

/** A request that the agent's current state forbids. */
export class AgentStateError extends Error {
  override readonly name = 'AgentStateError';
  constructor(
    readonly code: AgentStateErrorCode,
    readonly agentId: string,
    readonly state: AgentState,
    readonly action: AgentAction,
  ) {
    super(`agent ${agentId}: ${action} not allowed in state ${state} (${code})`);
  }
}

/** The state an action leads to, or undefined when the table forbids it. */
export function nextAgentState(state: AgentState, action: AgentAction): AgentState | undefined {
  return TABLE[state][action];
}

function errorCode(state: AgentState, action: AgentAction): AgentStateErrorCode {
  if (state === 'locked') return 'AGENT_LOCKED';
  if (action === 'unlock') return 'NOT_LOCKED';
  if (action === 'login') return 'ALREADY_LOGGED_IN';
  if (state === 'logged-out') return 'NOT_LOGGED_IN';
  if (state === 'reserved' || state === 'talking') return 'AGENT_BUSY';
  return 'INVALID_TRANSITION';
}

/** Applies the table or throws AgentStateError. */
export function transitionAgent(agentId: string, state: AgentState, action: AgentAction): AgentState {
  const next = TABLE[state][action];
  if (next === undefined) throw new AgentStateError(errorCode(state, action), agentId, state, action);
  return next;
}

/** States in which the agent counts as staffed (logged in and able to take work). */
export function isStaffed(state: AgentState): boolean {
  return state === 'ready' || state === 'reserved' || state === 'talking' || state === 'wrap-up';
}

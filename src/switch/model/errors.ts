/**
 * The one typed error of the call model: a request that the current state of
 * a leg, bridge or interaction forbids. Each code becomes a 409 answer of the
 * HTTP API, so the list below is the contract (with a one-line description
 * each, reused by the OpenAPI document).
 */
export const CALL_ERROR_CODES = {
  INVALID_LEG_TRANSITION: 'the leg cannot make this move in its current state',
  LEG_TERMINATED: 'the leg has already hung up',
  LEG_NOT_CONNECTED: 'the leg is not connected (not answered yet, or gone)',
  LEG_ALREADY_CONNECTED: 'the leg has already been answered',
  LEG_NOT_HELD: 'the leg is not on hold',
  LEG_ALREADY_HELD: 'the leg is already on hold',
  UNKNOWN_LEG: 'no such leg in this interaction',
  BRIDGE_CLOSED: 'the bridge has been torn down',
  BRIDGE_FULL: 'the bridge (conference) is at its configured maximum size',
  SECOND_CUSTOMER: 'a conference holds at most one customer (TEL-4)',
  ALREADY_MEMBER: 'the leg is already a member of this bridge',
  NOT_A_MEMBER: 'the leg is not a member of this bridge',
  WHISPER_TARGET_INVALID: 'a whisper needs another member of the same bridge as its target',
  INVALID_STATE: 'the interaction cannot do this in its current state',
  INTERACTION_ENDED: 'the interaction has ended',
  NOT_ON_HOLD: 'the call is not on hold',
  ALREADY_ON_HOLD: 'the call is already on hold',
  CONSULT_IN_PROGRESS: 'a consultation is already in progress',
  NO_CONSULT: 'there is no consultation to alternate, reconnect or complete',
  CONSULT_NOT_ANSWERED: 'the consulted party has not answered yet',
  AGENT_NOT_ON_CALL: 'the agent is not talking on this call (idle, ringing, or gone)',
  NOT_THE_HANDLING_AGENT: 'only the agent handling the call may do this',
  ALREADY_SUPERVISED: 'this supervisor is already on the call',
  NOT_SUPERVISING: 'this supervisor is not on the call',
} as const;

export type CallErrorCode = keyof typeof CALL_ERROR_CODES;

/** Every code, in declaration order (for OpenAPI enums and exhaustive tests). */
export const CALL_ERROR_CODE_LIST = Object.keys(CALL_ERROR_CODES) as CallErrorCode[];

/** A request the current state forbids; `code` is the API's 409 code. */
export class CallModelError extends Error {
  override readonly name = 'CallModelError';
  constructor(
    readonly code: CallErrorCode,
    readonly subject: string,
    readonly detail: string,
  ) {
    super(`${subject}: ${detail} (${code}: ${CALL_ERROR_CODES[code]})`);
  }
}

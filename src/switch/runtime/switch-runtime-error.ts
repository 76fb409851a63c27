/**
 * Failures of a runtime request that are not a call-state conflict (those are
 * the model's CallModelError, HTTP 409): the interaction or agent does not
 * exist (404), the number has no route (422), the service is not running (503),
 * the agent may not call outside numbers (403).
 */
export const SWITCH_RUNTIME_ERROR_CODES = {
  'no-such-interaction': 'no live or recent interaction with this ID',
  'unknown-agent': 'no agent or supervisor with this ID has an extension',
  'no-route': 'the dial plan has no route for the number',
  'not-recording': 'the interaction is not being recorded',
  'no-bridge': 'the interaction has no conversation to record yet',
  'dial-out-not-allowed': 'the agent may not call outside numbers (ADM-1 may-dial-out)',
} as const;
export type SwitchRuntimeErrorCode = keyof typeof SWITCH_RUNTIME_ERROR_CODES;

export class SwitchRuntimeError extends Error {
  override readonly name = 'SwitchRuntimeError';
  constructor(
    readonly code: SwitchRuntimeErrorCode,
    readonly detail: string,
  ) {
    super(`${SWITCH_RUNTIME_ERROR_CODES[code]}: ${detail}`);
  }
}

/** The dial plan's typed failure: a bad configuration, or a number it cannot route (SIP 404 / 403). */
export const DIAL_PLAN_ERROR_CODES = {
  'invalid-config': 'the dial plan configuration is invalid',
  'no-route': 'no rule of the dial plan matches the number',
  'not-allowed': 'the caller may not dial this number (external calls need an authenticated extension)',
} as const;
export type DialPlanErrorCode = keyof typeof DIAL_PLAN_ERROR_CODES;

export class DialPlanError extends Error {
  override readonly name = 'DialPlanError';
  constructor(
    readonly code: DialPlanErrorCode,
    readonly detail: string,
  ) {
    super(`${DIAL_PLAN_ERROR_CODES[code]}: ${detail}`);
  }

  /** The SIP status a rejected INVITE gets. */
  get sipStatus(): number {
    return this.code === 'not-allowed' ? 403 : 404;
  }
}

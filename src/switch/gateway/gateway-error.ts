/**
 * A request of the runtime the gateway cannot carry out in the leg's
 * current state (or for a leg it does not know), with a code.
 */
export type GatewayErrorCode = 'unknown-leg' | 'duplicate-leg' | 'bad-state' | 'unknown-trunk' | 'no-contacts' | 'bad-target' | 'no-ack' | 'leg-ended';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const ACD_ERROR_CODES = [
  'UNKNOWN_AGENT',
  'UNKNOWN_QUEUE',
  'UNKNOWN_ENTRY',
  'DUPLICATE_AGENT',
  'DUPLICATE_QUEUE',
  'INVALID_CONFIG',
  'NO_CALL',
  'ENTRY_NOT_WAITING',
  /** ADM-1: the agent is frozen or deregistered by an administrator. */
  'AGENT_DISABLED',
] as const;
export type AcdErrorCode = (typeof ACD_ERROR_CODES)[number];

/** A request the engine refuses (unknown ids, bad configuration, nothing to act on). */
export class AcdError extends Error {
  override readonly name = 'AcdError';
  constructor(
    readonly code: AcdErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A request the transaction's state forbids (the TU asked for something the
 * RFC does not allow now). Impossible internal moves are bugs and throw a
 * plain Error instead.
 */
export type TransactionStateErrorCode =
  | 'response-after-final'
  | 'not-a-response-status'
  | 'cancel-after-final'
  | 'cancel-non-invite'
  | 'terminated'
  | 'duplicate-transaction'
  | 'no-branch'
  | 'ack-has-no-transaction';

export class TransactionStateError extends Error {
  override readonly name = 'TransactionStateError';
  constructor(
    readonly code: TransactionStateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

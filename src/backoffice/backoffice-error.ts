/**
 * The one typed failure of the BackOffice port (SEC-1). Every refusal a caller
 * can provoke (wrong password, market closed, bad lot...) is a BackOfficeError
 * with a `code`; an HTTP adapter maps the code to a status in one place, and
 * the IVR packs pick the prompt by code.
 */
export type BackOfficeErrorCode =
  /** Password or PIN does not match; `attemptsLeft` says how many remain. */
  | 'wrong-password'
  /** Too many wrong passwords: locked until an administrator unlocks it. */
  | 'account-locked'
  /** The card was reported lost: it no longer authenticates or pays. */
  | 'card-lost'
  /** No such fund account, card, customer or own account. */
  | 'unknown-account'
  /** No such shareholder account under this fund account, or one of the other market. */
  | 'unknown-shareholder-account'
  /** The token is unknown, expired or logged out. */
  | 'not-authenticated'
  /** The session is valid but of another kind (a bank session asking for positions). */
  | 'not-permitted'
  /** Outside 09:30-11:30 and 13:00-15:00 Beijing time on a weekday. */
  | 'market-closed'
  | 'insufficient-funds'
  | 'insufficient-position'
  /** No such stock code. */
  | 'unknown-code'
  /** No such fund code. */
  | 'unknown-fund'
  /** Limit price above the limit-up or below the limit-down price of the day. */
  | 'price-outside-limit'
  /** Quantity not a positive multiple of 100 shares. */
  | 'bad-lot'
  | 'unknown-order'
  /** The order is filled, cancelled or rejected already. */
  | 'order-not-cancellable'
  /** A malformed argument: date not YYYYMMDD, negative amount, PIN not six digits... */
  | 'invalid-argument'
  /** The back office did not answer (network failure, timeout, malformed reply): retry later. */
  | 'unavailable';

export interface BackOfficeErrorDetails {
  /** For wrong-password: tries left before the account locks. */
  readonly attemptsLeft?: number;
  /** For price-outside-limit: the day's bounds, in fen. */
  readonly limitDown?: number;
  readonly limitUp?: number;
  /** For insufficient-funds / insufficient-position: what is available (fen or shares). */
  readonly available?: number;
}

export class BackOfficeError extends Error {
  override readonly name = 'BackOfficeError';

  constructor(
    readonly code: BackOfficeErrorCode,
    message: string,
    readonly details: BackOfficeErrorDetails = {},
  ) {
    super(message);
  }

  /** Plain data for a JSON body. */
  toJSON(): { code: BackOfficeErrorCode; message: string; details: BackOfficeErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isBackOfficeError(e: unknown, code?: BackOfficeErrorCode): e is BackOfficeError {
  return e instanceof BackOfficeError && (code === undefined || e.code === code);
}

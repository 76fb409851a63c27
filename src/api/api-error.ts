/**
 * The one typed error of the HTTP API: it carries its HTTP status and a
 * stable machine-readable code. error-handler.ts turns it into the response.
 */
export type ApiErrorCode =
  | 'invalid-request'
  | 'unauthorized'
  | 'forbidden'
  | 'permission-denied'
  | 'not-found'
  | 'already-exists'
  | 'unavailable'
  | 'upgrade-required'
  | 'internal';

const STATUS: Record<ApiErrorCode, number> = {
  'invalid-request': 400,
  unauthorized: 401,
  forbidden: 403,
  /** ADM-1: the user's custom role leaves out the route's area (permissions.ts). */
  'permission-denied': 403,
  'not-found': 404,
  'already-exists': 409,
  unavailable: 503,
  'upgrade-required': 426,
  internal: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code];
  }
}

/** The JSON body of every error response. */
export interface ApiErrorBody {
  /** An ApiErrorCode, or a typed domain code (the switch's CallModelError and SwitchRuntimeError codes). */
  error: { code: ApiErrorCode | (string & {}); message: string };
}

/**
 * A REGISTER the registrar refuses, carrying the SIP status, reason phrase
 * and any header the answer needs (Min-Expires for 423, Allow for 405).
 * Registrar.handleRegister turns it into the response in one place.
 */
export type RegistrarErrorCode =
  | 'not-register'
  | 'domain-not-served'
  | 'bad-aor'
  | 'bad-expires'
  | 'bad-q'
  | 'bad-star'
  | 'bad-outbound'
  | 'interval-too-brief'
  | 'out-of-order'
  | 'too-many-bindings';

export class RegistrarError extends Error {
  override readonly name = 'RegistrarError';

  constructor(
    readonly code: RegistrarErrorCode,
    readonly status: number,
    readonly reason: string,
    readonly headers: [string, string][] = [],
  ) {
    super(`${status} ${reason}`);
  }
}

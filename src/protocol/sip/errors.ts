/**
 * Typed parse failure for SIP wire data. `status` is what a server answers
 * when the faulty message is a request it can answer (responses are dropped),
 * and `reason` is the reason phrase to put on that answer, naming the fault.
 */
export type SipParseErrorCode =
  | 'incomplete'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-status'
  | 'bad-method'
  | 'bad-header'
  | 'bad-uri'
  | 'bad-via'
  | 'bad-cseq'
  | 'bad-name-addr'
  | 'bad-content-length'
  | 'bad-scalar'
  | 'missing-header'
  | 'method-mismatch'
  | 'too-large';

const DEFAULT_STATUS: Record<SipParseErrorCode, number> = {
  incomplete: 400,
  'bad-start-line': 400,
  'bad-version': 505,
  'bad-status': 400,
  'bad-method': 400,
  'bad-header': 400,
  'bad-uri': 400,
  'bad-via': 400,
  'bad-cseq': 400,
  'bad-name-addr': 400,
  'bad-content-length': 400,
  'bad-scalar': 400,
  'missing-header': 400,
  'method-mismatch': 400,
  'too-large': 513,
};

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  readonly code: SipParseErrorCode;
  readonly status: number;
  /** Reason phrase for the 4xx/5xx answer, e.g. "Bad Request - malformed Via". */
  readonly reason: string;

  constructor(code: SipParseErrorCode, detail: string, status?: number) {
    const st = status ?? DEFAULT_STATUS[code];
    const base = st === 505 ? 'Version Not Supported' : st === 513 ? 'Message Too Large' : 'Bad Request';
    const reason = `${base} - ${detail}`;
    super(reason);
    this.code = code;
    this.status = st;
    this.reason = reason;
  }
}

export function isSipParseError(e: unknown): e is SipParseError {
  return e instanceof SipParseError;
}

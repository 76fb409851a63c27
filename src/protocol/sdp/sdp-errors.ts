/**
 * Typed failure of an offer/answer exchange. `sipStatus` is the answer the
 * signalling layer sends for it (RFC 3261 21.4.26: 488 Not Acceptable Here
 * when nothing in the offer is acceptable; 400 when the SDP is malformed).
 */
export type SdpErrorCode = 'malformed' | 'no-audio' | 'no-common-codec' | 'no-address';

const STATUS: Record<SdpErrorCode, number> = {
  malformed: 400,
  'no-audio': 488,
  'no-common-codec': 488,
  'no-address': 400,
};

export class SdpNegotiationError extends Error {
  readonly code: SdpErrorCode;
  readonly sipStatus: number;

  constructor(code: SdpErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'SdpNegotiationError';
    this.code = code;
    this.sipStatus = STATUS[code];
  }
}

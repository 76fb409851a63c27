/**
 * Typed failure for RTP/RTCP wire data. Receivers drop the datagram and count
 * the code; nothing on the media path throws past the socket handler.
 */
export type RtpParseErrorCode =
  | 'truncated'
  | 'bad-version'
  | 'bad-padding'
  | 'bad-length'
  | 'bad-payload-type'
  | 'bad-value';

export class RtpParseError extends Error {
  readonly code: RtpParseErrorCode;

  constructor(code: RtpParseErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'RtpParseError';
    this.code = code;
  }
}

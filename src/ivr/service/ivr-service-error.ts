export type IvrServiceErrorCode = 'invalid-entry-point' | 'duplicate-entry-point' | 'invalid-notice';

/** A configuration the IVR service refuses (bad entry point or notice). */
export class IvrServiceError extends Error {
  readonly code: IvrServiceErrorCode;
  constructor(code: IvrServiceErrorCode, message: string) {
    super(message);
    this.name = 'IvrServiceError';
    this.code = code;
  }
}

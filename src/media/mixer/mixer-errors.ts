/** A request the mixer's state forbids: the switch maps it to its own error. */
export type MixerErrorCode = 'full' | 'duplicate-member' | 'unknown-member' | 'bad-whisper-target' | 'bad-gain';

export class MixerError extends Error {
  readonly code: MixerErrorCode;

  constructor(code: MixerErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'MixerError';
    this.code = code;
  }
}

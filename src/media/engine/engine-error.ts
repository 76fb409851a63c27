import type { EngineErrorCode } from './engine-protocol.ts';

/** A media engine request that failed: the worker refused it, or its worker died. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'EngineError';
  }
}

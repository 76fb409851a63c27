/**
 * Failure of an ECMAScript evaluation inside the sandbox. The interpreter
 * turns every one of them into the VoiceXML event `error.semantic`; the code
 * says why, so logs and tests can tell a runaway loop from a typo.
 */
export type ScriptErrorCode =
  | 'syntax' // the source does not parse
  | 'runtime' // it threw (ReferenceError, TypeError, a user throw ...)
  | 'timeout' // the interrupt handler stopped it at its deadline
  | 'memory' // the runtime hit its memory limit
  | 'undeclared' // <assign> / <clear> of a variable no scope declares
  | 'disposed'; // the session's sandbox is gone

export class ScriptError extends Error {
  readonly code: ScriptErrorCode;
  constructor(code: ScriptErrorCode, message: string) {
    super(message);
    this.name = 'ScriptError';
    this.code = code;
  }
}

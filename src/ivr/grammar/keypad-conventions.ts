/**
 * IVR-3 keypad conventions, configurable per service. Defaults follow the
 * securities/fund hotlines: 0 goes back, * reaches an agent, # ends input,
 * * is the decimal point in amounts, dates are YYYYMMDD, # alone means "all".
 *
 * How the interpreter applies them: `termchar` defaults to `endKey`; in
 * number and currency fields `decimalKey` is the decimal point; a lone
 * `allKey` answers "all" to builtin fields that opt in with `all=true`
 * (e.g. `type="digits?all=true"`); when the first key of an input is
 * `backKey` or `agentKey` and no active grammar accepts it, the event
 * `hotline.back` / `hotline.agent` is thrown (the platform default for
 * `hotline.agent` transfers to an agent; `hotline.back` is for documents to
 * catch, and is treated as nomatch when nobody does).
 */
export interface KeypadConventions {
  readonly backKey: string;
  readonly agentKey: string;
  readonly endKey: string;
  readonly decimalKey: string;
  readonly allKey: string;
}

export const DEFAULT_KEYPAD: KeypadConventions = {
  backKey: '0',
  agentKey: '*',
  endKey: '#',
  decimalKey: '*',
  allKey: '#',
};

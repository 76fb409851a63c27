import type { VxmlDocument } from '../document/vxml-model.ts';
import type { ScriptValue } from '../script/json-value.ts';

/**
 * Control transfers inside the interpreter. They travel as exceptions from
 * the executable content that causes them up to the FIA level that acts on
 * them; none escapes a session.
 */
export class VxmlEvent {
  constructor(
    readonly name: string,
    readonly message: string,
  ) {}
}
export class GotoSignal {
  constructor(
    /** Already fetched and parsed target document (undefined: same document). */
    readonly doc: VxmlDocument | undefined,
    readonly dialog: string | undefined,
    readonly item: string | undefined,
  ) {}
}
export class ExitSignal {
  constructor(readonly value: ScriptValue) {}
}
export class ReturnSignal {
  constructor(
    readonly values: Record<string, ScriptValue>,
    readonly event?: VxmlEvent,
  ) {}
}
/** The caller is gone (hangup during input, or `<disconnect>` after its handler). */
export class HangupSignal {}

export type ControlSignal = VxmlEvent | GotoSignal | ExitSignal | ReturnSignal | HangupSignal;

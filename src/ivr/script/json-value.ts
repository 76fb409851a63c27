/** The only kind of data that crosses the sandbox boundary. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value read out of the sandbox: JSON data, or undefined for `undefined`. */
export type ScriptValue = JsonValue | undefined;

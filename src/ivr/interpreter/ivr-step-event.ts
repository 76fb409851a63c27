/**
 * IVR-6: one line per interpreter step. The service layer counts them per
 * menu node for reports; tests read them to check the path a call took.
 */
export type IvrStepKind =
  | 'document'
  | 'block'
  | 'prompt'
  | 'input'
  | 'speech'
  | 'filled'
  | 'menu'
  | 'event'
  | 'goto'
  | 'submit'
  | 'subdialog'
  | 'record'
  | 'transfer'
  | 'log'
  | 'exit';

export interface IvrStepEvent {
  readonly sessionId: string;
  readonly seq: number;
  /** Epoch ms (from the injected Clock). */
  readonly at: number;
  readonly kind: IvrStepKind;
  /** Where: `documentUrl#dialog/item`. */
  readonly node: string;
  /** What the caller gave (keys, 'noinput', 'hangup'), when the step takes input. */
  readonly input?: string;
  /** What came of it: the value filled, the event thrown, the target, the prompt text. */
  readonly result: string;
  /** Monotonic time the step took, in ms (prompt play and waiting for keys included). */
  readonly durationMs: number;
}

export type IvrStepSink = (e: IvrStepEvent) => void;

/**
 * A request the dialog's state forbids, with the SIP status it maps to
 * when it came from the peer (one place for that mapping).
 */
export type DialogErrorCode = 'cseq-out-of-order' | 'terminated' | 'missing-tag' | 'missing-contact' | 'bad-route';

const STATUS: Record<DialogErrorCode, number> = {
  'cseq-out-of-order': 500,
  terminated: 481,
  'missing-tag': 400,
  'missing-contact': 400,
  'bad-route': 400,
};

export class DialogError extends Error {
  override readonly name = 'DialogError';
  readonly status: number;
  constructor(
    readonly code: DialogErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

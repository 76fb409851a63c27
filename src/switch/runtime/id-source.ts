/**
 * IDs for the call model (SwitchContext.newId). Legs that already exist at
 * the gateway (an inbound INVITE, a phone that was rung first) keep the
 * gateway's leg ID: the runtime queues it with `adopt` just before the model
 * operation that creates the leg, so model, gateway and media engine share
 * one ID per leg.
 */
export class IdSource {
  private seq = 0;
  private readonly adopted: (string | undefined)[] = [];

  constructor(private readonly prefix: string = Date.now().toString(36)) {}

  newId(kind: 'ix' | 'leg' | 'br'): string {
    if (kind === 'leg' && this.adopted.length > 0) {
      const id = this.adopted.shift();
      if (id !== undefined) return id;
    }
    return `${kind}-${this.prefix}-${++this.seq}`;
  }

  /** The next leg IDs the model asks for, in order; `undefined` takes a fresh one. */
  adopt(...ids: (string | undefined)[]): void {
    this.adopted.length = 0;
    this.adopted.push(...ids);
  }

  /** Forget unused adoptions (after the operation that should have used them). */
  clear(): void {
    this.adopted.length = 0;
  }
}

/**
 * One operation at a time per key (an interaction): concurrent API calls and
 * gateway events on the same call run in arrival order, never interleaved;
 * different keys run independently. A failing operation rejects its own
 * promise only; the queue goes on.
 */
export class SerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, op: () => Promise<T> | T): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(
      () => op(),
      () => op(),
    );
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** Keys with work queued or running. */
  get busy(): number {
    return this.tails.size;
  }
}

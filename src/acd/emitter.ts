/** A typed emitter: listeners receive one discriminated union, never a string-named channel. */
export type Listener<T> = (event: T) => void;

export class Emitter<T> {
  private listeners: Listener<T>[] = [];

  /** Adds a listener; the returned function removes it. */
  on(listener: Listener<T>): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: T): void {
    for (const l of this.listeners) l(event);
  }

  get size(): number {
    return this.listeners.length;
  }
}

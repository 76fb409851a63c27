/** A typed fan-out of the runtime's events; a throwing listener is logged, never breaks the switch. */
import type { Logger } from '../../shared/logger.ts';

export class EventHub<E> {
  private readonly listeners = new Set<(e: E) => void>();

  constructor(private readonly log: Logger) {}

  on(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: E): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error({ err }, 'switch event listener failed');
      }
    }
  }
}

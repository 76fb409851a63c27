import type { AgentView } from '../agent.ts';
import type { EntryView } from '../queue-entry.ts';
import type { QueueDefinition, QueueId } from '../types.ts';
import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

/**
 * Round robin over registration order, one pointer per queue: the next
 * agent after the last one served wins; past the end it wraps to the start
 * (agents after the pointer score 1, the rest 0, lowest order breaks the tie).
 */
export class RoundRobinCriterion implements Criterion {
  readonly name = 'round-robin';
  private readonly last = new Map<QueueId, number>();

  agentScore(agent: AgentView, _entry: EntryView, queue: QueueDefinition): number {
    const last = this.last.get(queue.id);
    return last === undefined || agent.ordinal > last ? 1 : 0;
  }

  assigned(agent: AgentView, _entry: EntryView, queue: QueueDefinition): void {
    this.last.set(queue.id, agent.ordinal);
  }
}

/** ACD-2 round robin. */
export class RoundRobinStrategy extends CriterionStrategy {
  constructor() {
    super('round-robin', [new RoundRobinCriterion()]);
  }
}

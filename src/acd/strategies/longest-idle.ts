import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

export const longestIdleCriterion: Criterion = {
  name: 'longest-idle',
  agentScore: (agent, _entry, _queue, now) => now - agent.idleSince,
  // Contacts: the longest-waiting one (FIFO), which is also the final tie-break.
  entryScore: (entry, _agent, _queue, now) => now - entry.arrivedAt,
};

/** ACD-2 longest-idle: the agent ready for the longest time since the last call or pause. */
export class LongestIdleStrategy extends CriterionStrategy {
  constructor() {
    super('longest-idle', [longestIdleCriterion]);
  }
}

import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

export const fewestCallsCriterion: Criterion = {
  name: 'fewest-calls',
  agentScore: (agent) => -agent.counters.answered,
};

/** ACD-2 fewest-calls: the agent who answered the fewest calls today. */
export class FewestCallsStrategy extends CriterionStrategy {
  constructor() {
    super('fewest-calls', [fewestCallsCriterion]);
  }
}

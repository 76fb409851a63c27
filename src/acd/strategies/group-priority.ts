import { groupPriority } from '../eligibility.ts';
import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

export const groupPriorityCriterion: Criterion = {
  name: 'group-priority',
  // ACD-1: priority 1 members of the queue's group are asked before priority 2 members.
  agentScore: (agent, _entry, queue) => -groupPriority(agent, queue),
  entryScore: (_entry, agent, queue) => -groupPriority(agent, queue),
};

/** ACD-1 group priority: agents for whom this queue's group ranks highest come first. */
export class GroupPriorityStrategy extends CriterionStrategy {
  constructor() {
    super('group-priority', [groupPriorityCriterion]);
  }
}

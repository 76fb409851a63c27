import type { AgentView } from '../agent.ts';
import type { QueueDefinition } from '../types.ts';
import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

/** Mean level of the agent over the queue's required skills (0 when the queue needs none). */
function skillScore(agent: AgentView, queue: QueueDefinition): number {
  const req = queue.requiredSkills;
  if (req.length === 0) return 0;
  let sum = 0;
  for (const r of req) sum += agent.skillLevel(r.skill);
  return sum / req.length;
}

export const skillFirstCriterion: Criterion = {
  name: 'skill-first',
  agentScore: (agent, _entry, queue) => skillScore(agent, queue),
  // An agent becoming ready serves the queue it is best at.
  entryScore: (_entry, agent, queue) => skillScore(agent, queue),
};

/** ACD-2 skill-first: the best skill level in the queue's required skills wins. */
export class SkillFirstStrategy extends CriterionStrategy {
  constructor() {
    super('skill-first', [skillFirstCriterion]);
  }
}

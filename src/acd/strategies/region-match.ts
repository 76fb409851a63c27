import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

export const regionCriterion: Criterion = {
  name: 'region',
  agentScore: (agent, entry) =>
    entry.data.region !== undefined && agent.profile.region === entry.data.region ? 1 : 0,
  entryScore: (entry, agent) =>
    entry.data.region !== undefined && agent.profile.region === entry.data.region ? 1 : 0,
};

/** ACD-2 region: an agent of the caller's region first (dialect, local branch knowledge). */
export class RegionStrategy extends CriterionStrategy {
  constructor() {
    super('region', [regionCriterion]);
  }
}

import { runStrategyConformance } from '../strategy.conformance.ts';
import {
  CompositeStrategy,
  CustomerLevelStrategy,
  FewestCallsStrategy,
  GroupPriorityStrategy,
  LastAgentStrategy,
  LongestIdleStrategy,
  MediaPriorityStrategy,
  RegionStrategy,
  RoundRobinStrategy,
  SkillFirstStrategy,
} from './index.ts';

runStrategyConformance('skill-first', () => new SkillFirstStrategy());
runStrategyConformance('longest-idle', () => new LongestIdleStrategy());
runStrategyConformance('fewest-calls', () => new FewestCallsStrategy());
runStrategyConformance('round-robin', () => new RoundRobinStrategy());
runStrategyConformance('group-priority', () => new GroupPriorityStrategy());
runStrategyConformance('customer-level with aging', () => new CustomerLevelStrategy());
runStrategyConformance('region', () => new RegionStrategy());
runStrategyConformance('media-priority', () => new MediaPriorityStrategy());
runStrategyConformance(
  'composite',
  () =>
    new CompositeStrategy([
      new CustomerLevelStrategy(),
      new RegionStrategy(),
      new SkillFirstStrategy(),
      new LongestIdleStrategy(),
    ]),
);
runStrategyConformance(
  'last-agent',
  () => new LastAgentStrategy({ stickyMs: 3_600_000, holdMs: 30_000, fallback: new LongestIdleStrategy() }),
  {
    'picks someone whenever an agent is eligible':
      'by design it holds a sticky contact for its busy last agent during holdMs, leaving other eligible agents idle',
  },
);
runStrategyConformance(
  'last-agent without hold',
  () => new LastAgentStrategy({ stickyMs: 3_600_000, holdMs: 0, fallback: new SkillFirstStrategy() }),
);

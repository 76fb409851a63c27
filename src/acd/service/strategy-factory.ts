/**
 * Builds a routing strategy from its configuration (ACD-2): the named rules
 * chained in order, each breaking the ties the previous one left.
 */
import {
  CompositeStrategy,
  CriterionStrategy,
  CustomerLevelStrategy,
  FewestCallsStrategy,
  GroupPriorityStrategy,
  LongestIdleStrategy,
  MediaPriorityStrategy,
  RegionStrategy,
  RoundRobinStrategy,
  SkillFirstStrategy,
} from '../strategies/index.ts';
import { LastAgentCriterion } from '../strategies/last-agent.ts';
import type { RoutingStrategy } from '../routing-strategy.ts';
import type { StrategyConfig, StrategyRule } from './acd-config.ts';

function part(rule: StrategyRule, c: StrategyConfig): CriterionStrategy {
  switch (rule) {
    case 'skill-first':
      return new SkillFirstStrategy();
    case 'longest-idle':
      return new LongestIdleStrategy();
    case 'fewest-calls':
      return new FewestCallsStrategy();
    case 'round-robin':
      return new RoundRobinStrategy();
    case 'last-agent':
      return new CriterionStrategy('last-agent', [new LastAgentCriterion(c.lastAgent ?? {})]);
    case 'customer-level':
      return new CustomerLevelStrategy(c.customerLevel ?? {});
    case 'region':
      return new RegionStrategy();
    case 'media-priority':
      return new MediaPriorityStrategy(c.mediaOrder);
    case 'group-priority':
      return new GroupPriorityStrategy();
  }
}

export function buildStrategy(c: StrategyConfig): RoutingStrategy {
  const parts = c.rules.map((r) => part(r, c));
  return parts.length === 1 ? parts[0]! : new CompositeStrategy(parts);
}

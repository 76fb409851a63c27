import {
  type CustomerLevel,
  DEFAULT_LEVEL_PRIORITIES,
  type LevelPriorities,
} from '../types.ts';
import type { EntryView } from '../queue-entry.ts';
import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

export interface CustomerLevelOptions {
  /** Base priority per customer level; defaults special 100, priority 50, standard 0. */
  readonly priorities?: LevelPriorities;
  /** Priority points gained per second of waiting (aging); default 1. */
  readonly agingPerSecond?: number;
  /** ACD-8: the agent grade each customer level is best served by; defaults 10 / 7 / 4. */
  readonly targetGrade?: Readonly<Record<CustomerLevel, number>>;
}

const DEFAULT_TARGET: Readonly<Record<CustomerLevel, number>> = { special: 10, priority: 7, standard: 4 };

/**
 * Effective priority of a contact: base priority of its customer level plus
 * its wait in seconds times the aging rate. With the defaults a standard
 * caller who has waited 100 s longer than a special one goes first.
 */
export function effectivePriority(
  entry: EntryView,
  now: number,
  priorities: LevelPriorities = DEFAULT_LEVEL_PRIORITIES,
  agingPerSecond = 1,
): number {
  return priorities[entry.data.customerLevel] + (Math.max(0, now - entry.arrivedAt) / 1000) * agingPerSecond;
}

/**
 * ACD-2/ACD-8 customer level first, with aging. Contacts: highest effective
 * priority first. Agents: the grade closest to the one the customer's level
 * maps to (seniors for special customers, keeping them free of routine calls).
 */
export class CustomerLevelStrategy extends CriterionStrategy {
  constructor(options: CustomerLevelOptions = {}) {
    const priorities = options.priorities ?? DEFAULT_LEVEL_PRIORITIES;
    const aging = options.agingPerSecond ?? 1;
    const target = options.targetGrade ?? DEFAULT_TARGET;
    const criterion: Criterion = {
      name: 'customer-level',
      entryScore: (entry, _agent, _queue, now) => effectivePriority(entry, now, priorities, aging),
      agentScore: (agent, entry) => -Math.abs(agent.profile.level - target[entry.data.customerLevel]),
    };
    super('customer-level', [criterion]);
  }
}

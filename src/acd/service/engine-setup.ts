/**
 * Turns a validated AcdConfig into the pure parts: the engine with its queues
 * and agents, the entry points with business hours, the blacklist and the
 * versioned routing rules.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { AcdEngine } from '../acd-engine.ts';
import { Blacklist } from '../blacklist.ts';
import { BusinessHours } from '../business-hours.ts';
import type { EntryPoint } from '../entry-point-router.ts';
import { RuleSetStore } from '../rule-set-store.ts';
import type { AgentProfile, QueueDefinition } from '../types.ts';
import type { AcdConfig, AgentConfig, EntryPointConfig, QueueConfig } from './acd-config.ts';
import { buildStrategy } from './strategy-factory.ts';

export function agentProfile(a: AgentConfig): AgentProfile {
  return {
    id: a.id,
    level: a.level,
    skills: a.skills,
    groups: a.groups,
    autoAnswer: a.autoAnswer,
    ...(a.region !== undefined ? { region: a.region } : {}),
    ...(a.media !== undefined ? { media: a.media } : {}),
    ...(a.wrapUpMs !== undefined ? { wrapUpMs: a.wrapUpMs } : {}),
    ...(a.ringTimeoutMs !== undefined ? { ringTimeoutMs: a.ringTimeoutMs } : {}),
  };
}

export function queueDefinition(q: QueueConfig): QueueDefinition {
  const { strategy: _s, treatment: _t, initialAhtMs: _a, ...def } = q;
  return def;
}

export interface AcdParts {
  readonly engine: AcdEngine;
  readonly entryPoints: EntryPoint[];
  readonly blacklist: Blacklist;
  readonly rules: RuleSetStore;
  /** The queues that exist; grows when an administrator adds one (ADM-2), so rules may name it. */
  readonly queueIds: Set<string>;
}

/** A validated entry point as the router uses it (business hours built). */
export function entryPointOf(e: EntryPointConfig): EntryPoint {
  return {
    id: e.id,
    numbers: e.numbers,
    defaultQueue: e.queue,
    ...(e.hours ? { hours: new BusinessHours(e.hours) } : {}),
    nightService: e.nightService,
    blacklistMode: e.blacklistMode,
  };
}

export function buildAcdParts(config: AcdConfig, clock: Clock, logger?: Logger): AcdParts {
  const engine = new AcdEngine({
    clock,
    strategy: buildStrategy(config.strategy),
    ringGuardMs: config.ringGuardMs,
    ...(config.timeZone !== undefined ? { timeZone: config.timeZone } : {}),
    ...(logger ? { logger } : {}),
  });
  for (const q of config.queues) {
    engine.defineQueue(queueDefinition(q), {
      ...(q.strategy ? { strategy: buildStrategy(q.strategy) } : {}),
      ...(q.treatment ? { treatment: q.treatment } : {}),
      ...(q.initialAhtMs !== undefined ? { initialAhtMs: q.initialAhtMs } : {}),
    });
  }
  for (const a of config.agents) engine.addAgent(agentProfile(a));
  const entryPoints: EntryPoint[] = config.entryPoints.map(entryPointOf);
  const queueIds = new Set(config.queues.map((q) => q.id));
  return {
    engine,
    entryPoints,
    blacklist: new Blacklist(config.blacklist),
    rules: new RuleSetStore((id) => queueIds.has(id), config.rules),
    queueIds,
  };
}

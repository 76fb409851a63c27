/**
 * Queues and entry points changed while the ACD runs (ADM-2, ACD-2, ACD-5,
 * ACD-6, CTI-7): a queue is created or replaced whole (name, required skills,
 * strategy, treatment with maximum wait and overflow, service level, the
 * service-time limit and reminder), an entry point gets a new default queue,
 * business hours and holidays, or night service. Every change is validated
 * whole first (AcdConfigError naming the bad value; nothing changes) and then
 * in force for the next decision: waiting contacts keep their place, offers
 * in flight and calls in progress go on (AcdEngine.redefineQueue).
 */
import { z } from 'zod';
import type { AcdEngine } from '../acd-engine.ts';
import { AcdError } from '../acd-error.ts';
import { type BusinessHoursConfig, businessHoursSchema } from '../business-hours.ts';
import type { EntryPointRouter } from '../entry-point-router.ts';
import {
  type AcdConfig,
  AcdConfigError,
  type EntryPointConfig,
  entryPointConfigSchema,
  type QueueConfig,
  type QueueConfigInput,
  queueConfigSchema,
} from './acd-config.ts';
import { entryPointOf, queueDefinition } from './engine-setup.ts';
import { buildStrategy } from './strategy-factory.ts';

/** What may change on an entry point; its id and numbers belong to the dial plan and stay. */
export interface EntryPointChange {
  queue?: string | undefined;
  /** Business hours, holidays and special days; null: open around the clock. */
  hours?: BusinessHoursConfig | null | undefined;
  nightService?: EntryPointConfig['nightService'] | undefined;
  blacklistMode?: EntryPointConfig['blacklistMode'] | undefined;
}

export interface AcdSettingsParts {
  readonly engine: AcdEngine;
  readonly router: EntryPointRouter;
  /** The set the routing rules check queue ids against; a new queue joins it. */
  readonly queueIds: Set<string>;
  /** The live queue list (AcdControl.registerQueue). */
  readonly registerQueue: (q: QueueConfig) => void;
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, prefix: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter((x) => x !== '').join('.');
  throw new AcdConfigError(path || '(root)', issue?.message ?? 'invalid');
}

export class AcdSettings {
  private readonly queues = new Map<string, QueueConfig>();
  private readonly entryPoints = new Map<string, EntryPointConfig>();

  constructor(
    private readonly parts: AcdSettingsParts,
    config: AcdConfig,
  ) {
    for (const q of config.queues) this.queues.set(q.id, q);
    for (const e of config.entryPoints) this.entryPoints.set(e.id, e);
  }

  queueList(): QueueConfig[] {
    return [...this.queues.values()];
  }

  queue(id: string): QueueConfig | undefined {
    return this.queues.get(id);
  }

  /**
   * Creates a queue (`create`: DUPLICATE_QUEUE when it exists) or replaces a
   * live one whole (`replace`: UNKNOWN_QUEUE when it does not). Throws
   * AcdConfigError on a bad value, naming it; nothing changes then.
   */
  defineQueue(input: QueueConfigInput, mode: 'create' | 'replace'): QueueConfig {
    const q = parse(queueConfigSchema, input, '');
    const exists = this.queues.has(q.id);
    if (mode === 'create' && exists) throw new AcdError('DUPLICATE_QUEUE', `queue ${q.id} exists`);
    if (mode === 'replace' && !exists) throw new AcdError('UNKNOWN_QUEUE', `no queue ${q.id}`);
    const to = q.treatment?.overflow?.toQueue;
    if (to !== undefined && (to === q.id || !this.queues.has(to))) {
      throw new AcdConfigError('treatment.overflow.toQueue', to === q.id ? 'a queue cannot overflow to itself' : `unknown queue ${to}`);
    }
    const limit = q.serviceTimeLimitMs;
    if (q.serviceTimeReminderMs !== undefined && q.serviceTimeReminderMs > 0 && (limit === undefined || q.serviceTimeReminderMs >= limit)) {
      throw new AcdConfigError('serviceTimeReminderMs', limit === undefined ? 'a reminder needs serviceTimeLimitMs' : 'must be shorter than serviceTimeLimitMs');
    }
    const options = { ...(q.strategy ? { strategy: buildStrategy(q.strategy) } : {}), ...(q.treatment ? { treatment: q.treatment } : {}) };
    if (exists) this.parts.engine.redefineQueue(queueDefinition(q), options);
    else this.parts.engine.defineQueue(queueDefinition(q), { ...options, ...(q.initialAhtMs !== undefined ? { initialAhtMs: q.initialAhtMs } : {}) });
    this.queues.set(q.id, q);
    this.parts.queueIds.add(q.id);
    this.parts.registerQueue(q);
    return q;
  }

  entryPointList(): EntryPointConfig[] {
    return [...this.entryPoints.values()];
  }

  entryPoint(id: string): EntryPointConfig | undefined {
    return this.entryPoints.get(id);
  }

  /** A new default queue, business hours, night service or blacklist mode, in force for the next call (ACD-6). */
  updateEntryPoint(id: string, change: EntryPointChange): EntryPointConfig {
    const current = this.entryPoints.get(id);
    if (!current) throw new AcdError('UNKNOWN_ENTRY', `no entry point ${id}`);
    const { hours: _h, ...rest } = current;
    const hours = change.hours === null ? undefined : change.hours !== undefined ? parse(businessHoursSchema, change.hours, 'hours') : current.hours;
    const next = parse(
      entryPointConfigSchema,
      {
        ...rest,
        ...(change.queue !== undefined ? { queue: change.queue } : {}),
        ...(hours !== undefined ? { hours } : {}),
        ...(change.nightService !== undefined ? { nightService: change.nightService } : {}),
        ...(change.blacklistMode !== undefined ? { blacklistMode: change.blacklistMode } : {}),
      },
      '',
    );
    if (!this.queues.has(next.queue)) throw new AcdConfigError('queue', `unknown queue ${next.queue}`);
    if (next.nightService.kind === 'queue' && !this.queues.has(next.nightService.queue)) {
      throw new AcdConfigError('nightService.queue', `unknown queue ${next.nightService.queue}`);
    }
    this.parts.router.replace(entryPointOf(next));
    this.entryPoints.set(id, next);
    return next;
  }
}

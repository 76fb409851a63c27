/**
 * Configuration of the ACD service (ACD-1 to ACD-9): agents, queues, entry
 * points, blacklist and routing rules as one JSON object, validated once with
 * zod. A bad configuration becomes AcdConfigError whose one-line message
 * names the path of the first bad value, like the server's own settings.
 *
 * {
 *   "strategy": { "rules": ["skill-first", "longest-idle"] },
 *   "agents": [{ "id": "8001", "extension": "8001", "level": 8, "skills": { "general": 8 } }],
 *   "queues": [{ "id": "general", "requiredSkills": [{ "skill": "general" }],
 *                "treatment": { "announcements": { "firstAfterMs": 30000, "everyMs": 60000, "position": true, "estimatedWait": true } } }],
 *   "entryPoints": [{ "id": "general", "numbers": ["95001"], "queue": "general" }],
 *   "blacklist": [{ "number": "13800000000", "mode": "refuse" }],
 *   "rules": { "translation": [], "pre": [], "post": [] }
 * }
 */
import { z } from 'zod';
import { BLACKLIST_MODES, blacklistEntrySchema } from '../blacklist.ts';
import { businessHoursSchema } from '../business-hours.ts';
import { ruleSetSchema } from '../routing-rules.ts';
import { CUSTOMER_LEVELS, MAX_LEVEL, MEDIA_TYPES, MIN_LEVEL } from '../types.ts';

/** Strategy rules that may be chained (ACD-2), each breaking the ties the previous left. */
export const STRATEGY_RULES = [
  'skill-first',
  'longest-idle',
  'fewest-calls',
  'round-robin',
  'last-agent',
  'customer-level',
  'region',
  'media-priority',
  'group-priority',
] as const;
export type StrategyRule = (typeof STRATEGY_RULES)[number];

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be an id (1-64 letters, digits, _ . -)' });
const number = z.string().regex(/^\+?[0-9*#]{1,32}$/, { error: 'must be digits (and * #)' });
const level = z.number().int().min(MIN_LEVEL).max(MAX_LEVEL);
const ms = z.number().int().min(0);

export const strategySchema = z
  .object({
    rules: z.array(z.enum(STRATEGY_RULES)).min(1),
    lastAgent: z.object({ stickyMs: ms.optional(), holdMs: ms.optional() }).strict().optional(),
    customerLevel: z
      .object({
        agingPerSecond: z.number().min(0).optional(),
        priorities: z.object({ special: z.number(), priority: z.number(), standard: z.number() }).strict().optional(),
      })
      .strict()
      .optional(),
    mediaOrder: z.array(z.enum(MEDIA_TYPES)).min(1).optional(),
  })
  .strict();
export type StrategyConfig = z.output<typeof strategySchema>;

const dtmfExit = z.discriminatedUnion('action', [
  z.object({ action: z.literal('voicemail'), mailbox: z.string().optional() }).strict(),
  z.object({ action: z.literal('callback') }).strict(),
  z.object({ action: z.literal('transfer'), target: number }).strict(),
]);

export const treatmentSchema = z
  .object({
    music: z.string().min(1).optional(),
    announcements: z
      .object({ firstAfterMs: ms, everyMs: z.number().int().min(1000), position: z.boolean(), estimatedWait: z.boolean() })
      .strict()
      .optional(),
    overflow: z
      .object({ toQueue: id, afterMs: ms.optional(), whenLengthAbove: z.number().int().min(0).optional() })
      .strict()
      .refine((o) => o.afterMs !== undefined || o.whenLengthAbove !== undefined, { error: 'needs afterMs or whenLengthAbove' })
      .optional(),
    maxWait: z
      .object({ afterMs: z.number().int().min(1000), action: z.enum(['voicemail', 'callback-offer']), mailbox: z.string().optional() })
      .strict()
      .optional(),
    dtmfExits: z.record(z.string().regex(/^[0-9*#]$/, { error: 'must be one DTMF digit' }), dtmfExit).optional(),
  })
  .strict();

export const agentConfigSchema = z
  .object({
    id,
    /** SIP extension that rings for this agent; the id when omitted. */
    extension: number.optional(),
    name: z.string().max(100).optional(),
    level: level.default(5),
    skills: z.record(z.string().min(1), level).default({}),
    groups: z.array(z.object({ group: id, priority: z.number().int().min(1) }).strict()).default([]),
    autoAnswer: z.boolean().default(false),
    region: z.string().min(1).optional(),
    media: z.array(z.enum(MEDIA_TYPES)).min(1).optional(),
    wrapUpMs: ms.optional(),
    ringTimeoutMs: z.number().int().min(1000).optional(),
  })
  .strict();

export const queueConfigSchema = z
  .object({
    id,
    name: z.string().max(100).optional(),
    requiredSkills: z.array(z.object({ skill: z.string().min(1), minLevel: level.optional() }).strict()).default([]),
    groups: z.array(id).optional(),
    serviceLevelMs: z.number().int().min(1000).optional(),
    wrapUpMs: ms.optional(),
    ringTimeoutMs: z.number().int().min(1000).optional(),
    levelMapping: z.object({ special: level, priority: level, standard: level }).strict().optional(),
    serviceTimeLimitMs: z.number().int().min(1000).optional(),
    serviceTimeReminderMs: ms.optional(),
    /** The queue's own strategy (agent direction); the service's default otherwise. */
    strategy: strategySchema.optional(),
    treatment: treatmentSchema.optional(),
    initialAhtMs: z.number().int().min(1000).optional(),
  })
  .strict();

export const nightServiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ivr'), application: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('voicemail'), mailbox: z.string().optional() }).strict(),
  z.object({ kind: z.literal('queue'), queue: id }).strict(),
  z.object({ kind: z.literal('announce-and-hang-up'), prompt: z.string().min(1) }).strict(),
]);

export const entryPointConfigSchema = z
  .object({
    id,
    /** Dialled numbers (after translation) that reach this entry point. */
    numbers: z.array(number).min(1),
    queue: id,
    hours: businessHoursSchema.optional(),
    nightService: nightServiceSchema.default({ kind: 'voicemail' }),
    blacklistMode: z.enum(BLACKLIST_MODES).default('flag'),
  })
  .strict();

export const acdConfigSchema = z
  .object({
    timeZone: z.string().optional(),
    strategy: strategySchema.default({ rules: ['longest-idle'] }),
    /** Extra ms the engine waits past the ring time before it declares RONA itself (the switch normally reports first). */
    ringGuardMs: ms.default(3000),
    /** Language of the position and wait announcements spoken by TTS. */
    promptLanguage: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
    agents: z.array(agentConfigSchema).default([]),
    queues: z.array(queueConfigSchema).min(1),
    entryPoints: z.array(entryPointConfigSchema).default([]),
    blacklist: z.array(blacklistEntrySchema).default([]),
    rules: ruleSetSchema.default({ translation: [], pre: [], post: [] }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const dup = (what: string, path: (string | number)[], values: string[]) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `duplicate ${what} ${v}` });
        seen.add(v);
      });
    };
    dup('agent id', ['agents'], c.agents.map((a) => a.id));
    dup('extension', ['agents'], c.agents.map((a) => a.extension ?? a.id));
    dup('queue id', ['queues'], c.queues.map((q) => q.id));
    dup('entry point id', ['entryPoints'], c.entryPoints.map((e) => e.id));
    const queues = new Set(c.queues.map((q) => q.id));
    const numbers = new Set<string>();
    c.entryPoints.forEach((e, i) => {
      if (!queues.has(e.queue)) ctx.addIssue({ code: 'custom', path: ['entryPoints', i, 'queue'], message: `unknown queue ${e.queue}` });
      if (e.nightService.kind === 'queue' && !queues.has(e.nightService.queue)) {
        ctx.addIssue({ code: 'custom', path: ['entryPoints', i, 'nightService', 'queue'], message: `unknown queue ${e.nightService.queue}` });
      }
      for (const n of e.numbers) {
        if (numbers.has(n)) ctx.addIssue({ code: 'custom', path: ['entryPoints', i, 'numbers'], message: `number ${n} belongs to two entry points` });
        numbers.add(n);
      }
    });
    c.queues.forEach((q, i) => {
      const to = q.treatment?.overflow?.toQueue;
      if (to !== undefined && (!queues.has(to) || to === q.id)) {
        ctx.addIssue({ code: 'custom', path: ['queues', i, 'treatment', 'overflow', 'toQueue'], message: to === q.id ? 'a queue cannot overflow to itself' : `unknown queue ${to}` });
      }
    });
    const ruleQueues = [...c.rules.pre.map((r) => r.queue), ...c.rules.post.flatMap((r) => [r.queue, ...(r.then.kind === 'queue' ? [r.then.queue] : [])])];
    for (const q of ruleQueues) if (!queues.has(q)) ctx.addIssue({ code: 'custom', path: ['rules'], message: `unknown queue ${q}` });
  });

export type AcdConfig = z.output<typeof acdConfigSchema>;
export type AcdConfigInput = z.input<typeof acdConfigSchema>;
export type AgentConfig = z.output<typeof agentConfigSchema>;
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
export type QueueConfig = z.output<typeof queueConfigSchema>;
export type QueueConfigInput = z.input<typeof queueConfigSchema>;
export type EntryPointConfig = z.output<typeof entryPointConfigSchema>;

export class AcdConfigError extends Error {
  override readonly name = 'AcdConfigError';
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`invalid ACD configuration at ${path}: ${reason}`);
  }
}

/** Validates an ACD configuration object; throws AcdConfigError naming the first bad value. */
export function parseAcdConfig(raw: unknown): AcdConfig {
  const r = acdConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new AcdConfigError(issue?.path.length ? issue.path.join('.') : '(root)', issue?.message ?? 'invalid');
}

/** Reads a JSON file through the given reader (the composition root passes fs) and validates it. */
export function loadAcdConfigFile(path: string, readFile: (p: string) => string): AcdConfig {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new AcdConfigError('(file)', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AcdConfigError('(file)', `${path} is not valid JSON (${(err as Error).message})`);
  }
  return parseAcdConfig(json);
}

/**
 * The customer level read from call data, standard when absent or unknown.
 * ADM-1: `classLevel` maps an administered customer class id to its level.
 */
export function customerLevelOf(v: unknown, classLevel?: (value: string) => (typeof CUSTOMER_LEVELS)[number] | undefined): (typeof CUSTOMER_LEVELS)[number] {
  if (typeof v !== 'string') return 'standard';
  if ((CUSTOMER_LEVELS as readonly string[]).includes(v)) return v as (typeof CUSTOMER_LEVELS)[number];
  return classLevel?.(v) ?? 'standard';
}

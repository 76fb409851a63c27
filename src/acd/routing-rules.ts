/**
 * Pre-routing, post-routing and translation routing (ACD-9) as data:
 * validated with zod, evaluated by pure functions, changed at run time
 * through RuleSetStore (versioned, applied atomically).
 *
 *  - translation: the dialled number is rewritten (e.g. a 400 number to the
 *    service number) before anything else looks at it;
 *  - pre-routing: before queueing, call data picks the queue (first match);
 *  - post-routing: once a queue is picked, its situation may send the
 *    contact elsewhere (no agent staffed, line too long, wait too long).
 */
import { z } from 'zod';
import { CUSTOMER_LEVELS, type CustomerLevel, type QueueId } from './types.ts';

const id = z.string().min(1).max(64);
const digits = z.string().regex(/^\+?[0-9*#]{1,32}$/, 'number must be digits (and * #)');

export const conditionSchema = z
  .object({
    dialled: digits.optional(),
    dialledPrefix: digits.optional(),
    callerPrefix: digits.optional(),
    customerLevel: z.array(z.enum(CUSTOMER_LEVELS)).min(1).optional(),
    region: z.array(z.string().min(1)).min(1).optional(),
    /** Attached data equality, e.g. the IVR menu choice { ivrChoice: '2' }. */
    attached: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const translationRuleSchema = z
  .object({ id, match: digits, kind: z.enum(['exact', 'prefix']).default('exact'), to: digits })
  .strict();

export const preRuleSchema = z.object({ id, when: conditionSchema, queue: id }).strict();

const postTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queue: id }).strict(),
  z.object({ kind: z.literal('voicemail'), mailbox: z.string().optional() }).strict(),
  z.object({ kind: z.literal('ivr'), application: z.string().min(1) }).strict(),
]);

export const postRuleSchema = z
  .object({
    id,
    queue: id,
    when: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('no-agents-staffed') }).strict(),
      z.object({ kind: z.literal('waiting-above'), count: z.number().int().min(0) }).strict(),
      z.object({ kind: z.literal('estimated-wait-above'), ms: z.number().int().min(0) }).strict(),
    ]),
    then: postTarget,
  })
  .strict();

export const ruleSetSchema = z
  .object({
    translation: z.array(translationRuleSchema).default([]),
    pre: z.array(preRuleSchema).default([]),
    post: z.array(postRuleSchema).default([]),
  })
  .strict()
  .superRefine((rs, ctx) => {
    const seen = new Set<string>();
    for (const r of [...rs.translation, ...rs.pre, ...rs.post]) {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}` });
      seen.add(r.id);
    }
    for (const r of rs.post) {
      if (r.then.kind === 'queue' && r.then.queue === r.queue) {
        ctx.addIssue({ code: 'custom', message: `post rule ${r.id} sends queue ${r.queue} to itself` });
      }
    }
  });

export type RuleSetInput = z.input<typeof ruleSetSchema>;
export type RuleSet = z.output<typeof ruleSetSchema>;
export type PostTarget = z.output<typeof postTarget>;

export interface CallFacts {
  readonly dialled?: string;
  readonly caller?: string;
  readonly customerLevel?: CustomerLevel;
  readonly region?: string;
  readonly attached?: Readonly<Record<string, string>>;
}

export interface QueueSituation {
  readonly staffed: number;
  readonly waiting: number;
  readonly estimatedWaitMs?: number;
}

export function translate(rules: RuleSet, dialled: string): { dialled: string; rule?: string } {
  for (const r of rules.translation) {
    if (r.kind === 'exact' ? dialled === r.match : dialled.startsWith(r.match)) {
      return { dialled: r.kind === 'exact' ? r.to : r.to + dialled.slice(r.match.length), rule: r.id };
    }
  }
  return { dialled };
}

function matches(c: z.output<typeof conditionSchema>, f: CallFacts): boolean {
  if (c.dialled !== undefined && f.dialled !== c.dialled) return false;
  if (c.dialledPrefix !== undefined && !(f.dialled ?? '').startsWith(c.dialledPrefix)) return false;
  if (c.callerPrefix !== undefined && !(f.caller ?? '').startsWith(c.callerPrefix)) return false;
  if (c.customerLevel && (!f.customerLevel || !c.customerLevel.includes(f.customerLevel))) return false;
  if (c.region && (!f.region || !c.region.includes(f.region))) return false;
  if (c.attached) {
    for (const [k, v] of Object.entries(c.attached)) if (f.attached?.[k] !== v) return false;
  }
  return true;
}

/** The first pre-routing rule that matches picks the queue. */
export function preRoute(rules: RuleSet, facts: CallFacts): { queue: QueueId; rule: string } | undefined {
  for (const r of rules.pre) if (matches(r.when, facts)) return { queue: r.queue, rule: r.id };
  return undefined;
}

/** The first post-routing rule of the queue whose condition holds redirects the contact. */
export function postRoute(rules: RuleSet, queue: QueueId, s: QueueSituation): { target: PostTarget; rule: string } | undefined {
  for (const r of rules.post) {
    if (r.queue !== queue) continue;
    const w = r.when;
    const hit =
      (w.kind === 'no-agents-staffed' && s.staffed === 0) ||
      (w.kind === 'waiting-above' && s.waiting > w.count) ||
      (w.kind === 'estimated-wait-above' && s.estimatedWaitMs !== undefined && s.estimatedWaitMs > w.ms);
    if (hit) return { target: r.then, rule: r.id };
  }
  return undefined;
}

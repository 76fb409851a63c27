/**
 * Dial-plan configuration (TEL-1, TEL-5): a JSON object validated once with
 * zod; a bad plan becomes DialPlanError('invalid-config') naming the path of
 * the first bad value.
 *
 * {
 *   "extensions": [{ "from": "8000", "to": "8999" }],        internal SIP accounts
 *   "entryPoints": { "ivr-main": { "ivr": "file:///.../main.vxml" }, "general": { "queue": "general" } },
 *   "serviceNumbers": { "95000": "ivr-main", "95001": "general" },
 *   "trunks": { "carrier": { "dids": { "02160000000": "ivr-main" }, "defaultEntryPoint": "general" } },
 *   "external": [ { "prefix": "9", "strip": 1, "trunk": "carrier" },
 *                 { "pattern": "^1[3-9]\\d{9}$", "trunk": "carrier" },
 *                 { "prefix": "7", "strip": 1, "uri": "sip:{number}@10.0.0.9:5070" } ]
 * }
 */
import { z } from 'zod';
import { DialPlanError } from './dial-plan-error.ts';

const digits = z.string().regex(/^[0-9*#+]+$/, { error: 'must be digits (0-9, *, #, +)' });
const id = z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'must be an id (letters, digits, _ . -)' });

const range = z
  .object({ from: z.string().regex(/^\d+$/), to: z.string().regex(/^\d+$/) })
  .strict()
  .refine((r) => r.from.length === r.to.length && r.from <= r.to, { error: 'from and to must have the same length, from <= to' });

const entryPoint = z.union([
  z.object({ queue: id }).strict(),
  z.object({ ivr: z.string().min(1, { error: 'must name a VoiceXML application' }) }).strict(),
]);

const validRegex = (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

const externalRule = z
  .object({
    prefix: digits.optional(),
    pattern: z.string().refine(validRegex, { error: 'must be a valid regular expression' }).optional(),
    /** Digits removed from the front before sending (the access code). */
    strip: z.number().int().min(0).max(8).optional(),
    /** Digits put in front after stripping. */
    prepend: digits.optional(),
    trunk: id.optional(),
    /** Instead of a trunk, a SIP URI template with {number}. */
    uri: z.string().regex(/^sips?:.*\{number\}/, { error: 'must be a sip: URI template containing {number}' }).optional(),
  })
  .strict()
  .refine((r) => (r.trunk === undefined) !== (r.uri === undefined), { error: 'needs exactly one of trunk or uri' })
  .refine((r) => r.prefix !== undefined || r.pattern !== undefined, { error: 'needs a prefix or a pattern' });

export const dialPlanSchema = z
  .object({
    extensions: z.array(range).default([]),
    entryPoints: z.record(id, entryPoint).default({}),
    serviceNumbers: z.record(digits, id).default({}),
    trunks: z.record(id, z.object({ dids: z.record(digits, id).default({}), defaultEntryPoint: id.optional() }).strict()).default({}),
    external: z.array(externalRule).default([]),
  })
  .strict();

export type DialPlanConfig = z.output<typeof dialPlanSchema>;
export type DialPlanInput = z.input<typeof dialPlanSchema>;

/** Validates shape and references (every entry point and trunk named must exist). */
export function parseDialPlan(raw: unknown): DialPlanConfig {
  const r = dialPlanSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new DialPlanError('invalid-config', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  const plan = r.data;
  const needEntry = (where: string, ep: string) => {
    if (!(ep in plan.entryPoints)) throw new DialPlanError('invalid-config', `${where}: unknown entry point "${ep}"`);
  };
  for (const [n, ep] of Object.entries(plan.serviceNumbers)) needEntry(`serviceNumbers.${n}`, ep);
  for (const [t, trunk] of Object.entries(plan.trunks)) {
    for (const [did, ep] of Object.entries(trunk.dids)) needEntry(`trunks.${t}.dids.${did}`, ep);
    if (trunk.defaultEntryPoint !== undefined) needEntry(`trunks.${t}.defaultEntryPoint`, trunk.defaultEntryPoint);
  }
  plan.external.forEach((rule, i) => {
    if (rule.trunk !== undefined && !(rule.trunk in plan.trunks)) throw new DialPlanError('invalid-config', `external.${i}.trunk: unknown trunk "${rule.trunk}"`);
  });
  return plan;
}

/**
 * Blacklist (ACD-7). Three modes: refuse the call before answering, put it
 * through with a warning (and one-click hang-up) on the agent's screen, or
 * answer and hang up automatically. An entry may carry its own mode;
 * otherwise the entry point's mode applies.
 */
import { z } from 'zod';

export const BLACKLIST_MODES = ['refuse', 'flag', 'hangup'] as const;
export type BlacklistMode = (typeof BLACKLIST_MODES)[number];

export const blacklistEntrySchema = z.object({
  number: z.string().regex(/^\+?[0-9]{3,20}$/, 'number must be 3-20 digits, optionally with a leading +'),
  match: z.enum(['exact', 'prefix']).default('exact'),
  mode: z.enum(BLACKLIST_MODES).optional(),
  reason: z.string().max(200).optional(),
  /** Epoch ms after which the entry no longer applies. */
  expiresAt: z.number().int().optional(),
});
export type BlacklistEntry = z.input<typeof blacklistEntrySchema>;
type Parsed = z.output<typeof blacklistEntrySchema>;

/** Digits only, without the +86 / 0086 country prefix, so one number is one key. */
export function normalizeNumber(n: string): string {
  const digits = n.replace(/[^0-9+]/g, '');
  if (digits.startsWith('+86')) return digits.slice(3);
  if (digits.startsWith('0086')) return digits.slice(4);
  return digits.replace(/^\+/, '');
}

export type BlacklistHit =
  | { readonly listed: false }
  | { readonly listed: true; readonly mode: BlacklistMode; readonly entry: Readonly<Parsed> };

export class Blacklist {
  private readonly exact = new Map<string, Parsed>();
  private readonly prefixes: Parsed[] = [];

  constructor(entries: readonly BlacklistEntry[] = []) {
    for (const e of entries) this.add(e);
  }

  /** Validates and adds; throws a ZodError on a bad entry. */
  add(entry: BlacklistEntry): void {
    const p = blacklistEntrySchema.parse(entry);
    const key = normalizeNumber(p.number);
    if (p.match === 'exact') this.exact.set(key, { ...p, number: key });
    else this.prefixes.push({ ...p, number: key });
  }

  remove(number: string): boolean {
    const key = normalizeNumber(number);
    const before = this.prefixes.length;
    const i = this.prefixes.findIndex((p) => p.number === key);
    if (i >= 0) this.prefixes.splice(i, 1);
    return this.exact.delete(key) || this.prefixes.length !== before;
  }

  /** Every entry, exact numbers first, as stored (numbers normalised). */
  list(): Readonly<Parsed>[] {
    return [...this.exact.values(), ...this.prefixes];
  }

  check(callerNumber: string | undefined, defaultMode: BlacklistMode, now: number): BlacklistHit {
    if (!callerNumber) return { listed: false };
    const key = normalizeNumber(callerNumber);
    const live = (e: Parsed | undefined): e is Parsed => e !== undefined && (e.expiresAt === undefined || e.expiresAt > now);
    let hit: Parsed | undefined = this.exact.get(key);
    if (!live(hit)) {
      hit = undefined;
      for (const p of this.prefixes) {
        if (live(p) && key.startsWith(p.number) && (!hit || p.number.length > hit.number.length)) hit = p;
      }
    }
    return hit ? { listed: true, mode: hit.mode ?? defaultMode, entry: hit } : { listed: false };
  }
}

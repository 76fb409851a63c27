import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { IvrServiceError } from './ivr-service-error.ts';

/** A number callers dial (DNIS) and the VoiceXML application that answers it. */
export interface EntryPoint {
  /** Dialled number: digits, optionally with a leading +. */
  readonly dnis: string;
  /** http(s): or file: URL, or an absolute file path. */
  readonly application: string;
  readonly name?: string;
}

export interface ResolvedEntryPoint extends EntryPoint {
  /** The application as a URL the interpreter fetches. */
  readonly url: string;
}

const entrySchema = z
  .object({
    dnis: z.string().regex(/^\+?[0-9]{1,20}$/, 'dnis must be 1-20 digits, optionally with a leading +'),
    application: z.string().min(1, 'application is empty'),
    name: z.string().max(100).optional(),
  })
  .strict();

function applicationUrl(app: string): string | undefined {
  if (/^(https?|file):/i.test(app)) {
    try {
      const u = new URL(app);
      return u.protocol === 'file:' || u.host !== '' ? u.href : undefined;
    } catch {
      return undefined;
    }
  }
  return isAbsolute(app) ? pathToFileURL(app).href : undefined;
}

/**
 * Entry points (DNIS) mapped to applications, validated as a whole: a
 * table with one bad entry is refused and the old one stays in force.
 */
export class EntryPointTable {
  private byDnis = new Map<string, ResolvedEntryPoint>();

  constructor(entries: readonly unknown[] = []) {
    this.replace(entries);
  }

  /** Validate and install a new table; throws IvrServiceError and keeps the current one on any problem. */
  replace(entries: readonly unknown[]): void {
    const next = new Map<string, ResolvedEntryPoint>();
    entries.forEach((raw, i) => {
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) throw new IvrServiceError('invalid-entry-point', `entry ${i}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'entry'}: ${x.message}`).join('; ')}`);
      const e = parsed.data;
      const url = applicationUrl(e.application);
      if (!url) throw new IvrServiceError('invalid-entry-point', `entry ${i}: application '${e.application}' is not an http(s)/file URL or an absolute path`);
      const key = normalise(e.dnis);
      if (next.has(key)) throw new IvrServiceError('duplicate-entry-point', `entry ${i}: dnis ${e.dnis} is mapped twice`);
      next.set(key, { ...e, url });
    });
    this.byDnis = next;
  }

  resolve(dnis: string): ResolvedEntryPoint | undefined {
    return this.byDnis.get(normalise(dnis));
  }

  list(): ResolvedEntryPoint[] {
    return [...this.byDnis.values()];
  }
}

const normalise = (dnis: string): string => dnis.trim().replace(/^\+/, '');

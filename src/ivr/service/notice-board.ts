import { z } from 'zod';
import type { PromptSegment } from '../channel/voice-channel.ts';
import { IvrServiceError } from './ivr-service-error.ts';

/** IVR-7: an important notice played before the main menu while its time window is open. */
export interface Notice {
  readonly id: string;
  readonly text: string;
  /** Recorded announcement; `text` is its fallback (and what TTS says without it). */
  readonly audioUrl?: string;
  /** Window, epoch ms: from inclusive, until exclusive. */
  readonly from: number;
  readonly until: number;
  /** Only for these entry points (DNIS); all when absent. */
  readonly dnis?: readonly string[];
}

const noticeSchema = z
  .object({
    id: z.string().min(1).max(64),
    text: z.string().min(1).max(2000),
    audioUrl: z.string().url().optional(),
    from: z.number().int().nonnegative(),
    until: z.number().int().positive(),
    dnis: z.array(z.string().regex(/^\+?[0-9]{1,20}$/)).optional(),
  })
  .strict()
  .refine((n) => n.until > n.from, { message: 'until must be after from' });

/** The notices in force; validated as a whole, ordered by start of window then id. */
export class NoticeBoard {
  private notices: Notice[] = [];

  constructor(notices: readonly unknown[] = []) {
    this.replace(notices);
  }

  replace(notices: readonly unknown[]): void {
    const next: Notice[] = [];
    const ids = new Set<string>();
    notices.forEach((raw, i) => {
      const r = noticeSchema.safeParse(raw);
      if (!r.success) throw new IvrServiceError('invalid-notice', `notice ${i}: ${r.error.issues.map((x) => `${x.path.join('.') || 'notice'}: ${x.message}`).join('; ')}`);
      if (ids.has(r.data.id)) throw new IvrServiceError('invalid-notice', `notice ${i}: id ${r.data.id} is used twice`);
      ids.add(r.data.id);
      next.push(r.data);
    });
    this.notices = next.sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
  }

  /** Notices to play to a caller of `dnis` at `now`. */
  active(dnis: string, now: number): Notice[] {
    const d = dnis.replace(/^\+/, '');
    return this.notices.filter((n) => n.from <= now && now < n.until && (!n.dnis || n.dnis.some((x) => x.replace(/^\+/, '') === d)));
  }
}

export function noticePrompts(notices: readonly Notice[]): PromptSegment[] {
  return notices.map((n): PromptSegment => (n.audioUrl ? { kind: 'audio', url: n.audioUrl, fallback: [{ kind: 'text', text: n.text }] } : { kind: 'text', text: n.text }));
}

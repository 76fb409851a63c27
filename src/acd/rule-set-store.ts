/**
 * Run-time changeable routing rules (ACD-9): a new set is validated whole,
 * checked against the known queues, and only then swapped in, in one step,
 * as the next version. Every version stays in the history; rolling back
 * re-applies an old version as a new one.
 */
import { type RuleSet, type RuleSetInput, ruleSetSchema } from './routing-rules.ts';
import type { QueueId } from './types.ts';

export interface RuleSetVersion {
  readonly version: number;
  readonly rules: RuleSet;
  readonly author: string;
  readonly appliedAt: number;
  readonly note?: string;
}

export type ApplyResult =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly issues: readonly string[] };

export class RuleSetStore {
  private readonly versions: RuleSetVersion[] = [];
  private listeners: ((v: RuleSetVersion) => void)[] = [];

  constructor(
    /** Says whether a queue id exists, so rules never point nowhere. */
    private readonly queueExists: (id: QueueId) => boolean,
    initial: RuleSetInput = {},
    private readonly maxHistory = 100,
  ) {
    const r = this.apply(initial, 'initial', 0);
    if (!r.ok) throw new RangeError(`initial routing rules invalid: ${r.issues.join('; ')}`);
  }

  current(): RuleSetVersion {
    return this.versions[this.versions.length - 1]!;
  }

  history(): readonly RuleSetVersion[] {
    return this.versions;
  }

  /** Validates untrusted input; on any issue nothing changes. */
  apply(input: unknown, author: string, at: number, note?: string): ApplyResult {
    const parsed = ruleSetSchema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
    }
    const rules = parsed.data;
    const missing = [
      ...rules.pre.map((r) => r.queue),
      ...rules.post.flatMap((r) => [r.queue, ...(r.then.kind === 'queue' ? [r.then.queue] : [])]),
    ].filter((q) => !this.queueExists(q));
    if (missing.length > 0) return { ok: false, issues: [...new Set(missing)].map((q) => `unknown queue ${q}`) };
    const version = (this.versions[this.versions.length - 1]?.version ?? 0) + 1;
    this.versions.push(Object.freeze({ version, rules, author, appliedAt: at, ...(note ? { note } : {}) }));
    if (this.versions.length > this.maxHistory) this.versions.shift();
    for (const l of this.listeners) l(this.current());
    return { ok: true, version };
  }

  /** Called after every version applied (to keep the rules across restarts, ADM-2); returns the unsubscribe. */
  onApply(listener: (v: RuleSetVersion) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * At start: a kept history back in place of the initial version. Each
   * version is validated again; one naming a queue that no longer exists is
   * dropped. The newest valid one is in force. Returns how many were kept.
   */
  restore(kept: readonly RuleSetVersion[]): number {
    const valid: RuleSetVersion[] = [];
    for (const v of [...kept].sort((a, b) => a.version - b.version)) {
      const parsed = ruleSetSchema.safeParse(v.rules);
      if (!parsed.success || !Number.isInteger(v.version) || v.version < 1) continue;
      const r = parsed.data;
      const queues = [...r.pre.map((x) => x.queue), ...r.post.flatMap((x) => [x.queue, ...(x.then.kind === 'queue' ? [x.then.queue] : [])])];
      if (queues.some((q) => !this.queueExists(q))) continue;
      valid.push(Object.freeze({ version: v.version, rules: r, author: v.author, appliedAt: v.appliedAt, ...(v.note ? { note: v.note } : {}) }));
    }
    if (valid.length === 0) return 0;
    this.versions.splice(0, this.versions.length, ...valid.slice(-this.maxHistory));
    return valid.length;
  }

  rollback(version: number, author: string, at: number): ApplyResult {
    const old = this.versions.find((v) => v.version === version);
    if (!old) return { ok: false, issues: [`no version ${version} in history`] };
    return this.apply(old.rules, author, at, `rollback to ${version}`);
  }
}

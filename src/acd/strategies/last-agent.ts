import type { AgentView } from '../agent.ts';
import type { EntryView } from '../queue-entry.ts';
import type { Criterion } from './criterion.ts';
import { CriterionStrategy } from './criterion-strategy.ts';

export interface LastAgentOptions {
  /** How long after the customer's last contact the last agent is preferred (ms); default 24 h. */
  readonly stickyMs?: number;
  /** How long a contact waits in the queue for its busy last agent before falling back (ms); default 30 s. */
  readonly holdMs?: number;
  /** The strategy that decides when the last agent does not apply or the hold has run out. */
  readonly fallback: CriterionStrategy;
}

/**
 * ACD-2 last agent (customer history). While the customer is sticky and the
 * hold lasts, only the last agent may take the contact: the contact waits
 * for them (the decision says when to retry). After the hold, the fallback
 * strategy's rules decide, still preferring the last agent if ready.
 */
export class LastAgentCriterion implements Criterion {
  readonly name = 'last-agent';
  private readonly stickyMs: number;
  private readonly holdMs: number;

  constructor(options: { stickyMs?: number; holdMs?: number }) {
    this.stickyMs = options.stickyMs ?? 86_400_000;
    this.holdMs = options.holdMs ?? 30_000;
  }

  private sticky(entry: EntryView, now: number): boolean {
    const { lastAgent, lastContactAt } = entry.data;
    return lastAgent !== undefined && lastContactAt !== undefined && now - lastContactAt <= this.stickyMs;
  }

  private holding(entry: EntryView, now: number): boolean {
    return this.sticky(entry, now) && now - entry.enteredAt < this.holdMs;
  }

  agentScore(agent: AgentView, entry: EntryView, _q: unknown, now: number): number {
    if (!this.sticky(entry, now)) return 0;
    if (agent.id === entry.data.lastAgent) return 1;
    return this.holding(entry, now) ? -Infinity : 0;
  }

  entryScore(entry: EntryView, agent: AgentView, _q: unknown, now: number): number {
    return this.agentScore(agent, entry, _q, now);
  }

  vetoEndsAt(entry: EntryView, now: number): number | undefined {
    return this.holding(entry, now) ? entry.enteredAt + this.holdMs : undefined;
  }
}

export class LastAgentStrategy extends CriterionStrategy {
  constructor(options: LastAgentOptions) {
    super(`last-agent>${options.fallback.name}`, [new LastAgentCriterion(options), ...options.fallback.criteria]);
  }
}

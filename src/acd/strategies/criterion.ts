import type { AgentView } from '../agent.ts';
import type { EntryView } from '../queue-entry.ts';
import type { QueueDefinition } from '../types.ts';

/**
 * One ranking rule. Bigger scores win; `-Infinity` vetoes the pair (the
 * candidate is dropped). A missing scorer means the rule has no opinion in
 * that direction. Scorers see eligible pairs only.
 */
export interface Criterion {
  readonly name: string;
  agentScore?(agent: AgentView, entry: EntryView, queue: QueueDefinition, now: number): number;
  entryScore?(entry: EntryView, agent: AgentView, queue: QueueDefinition, now: number): number;
  /** When a veto was cast because of time (a hold window), the moment it ends. */
  vetoEndsAt?(entry: EntryView, now: number): number | undefined;
  assigned?(agent: AgentView, entry: EntryView, queue: QueueDefinition): void;
}

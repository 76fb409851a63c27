/**
 * The one interface every routing strategy implements (ACD-2). Routing runs
 * in both directions: a contact arriving picks among agents, an agent
 * becoming ready picks among waiting contacts. Selection is pure: the same
 * request gives the same decision; stateful strategies (round robin) learn
 * only through `assigned`, which the engine calls once a choice is acted on.
 */
import type { AgentView } from './agent.ts';
import type { EntryView } from './queue-entry.ts';
import type { QueueDefinition, QueueId } from './types.ts';

export interface AgentSelectionRequest {
  readonly entry: EntryView;
  readonly queue: QueueDefinition;
  /** Candidate pool; may hold agents that are not eligible: the strategy must skip them. */
  readonly agents: readonly AgentView[];
  readonly now: number;
}

export interface EntrySelectionRequest {
  readonly agent: AgentView;
  /** Candidate contacts; may hold ones the agent cannot serve: the strategy must skip them. */
  readonly entries: readonly EntryView[];
  readonly queueOf: (id: QueueId) => QueueDefinition | undefined;
  readonly now: number;
}

export interface RoutingStep {
  readonly rule: string;
  /** Candidates left after this rule kept only its best. */
  readonly remaining: number;
}

/** Why a decision came out as it did; it goes into the emitted event. */
export interface RoutingExplanation {
  readonly strategy: string;
  readonly direction: 'agent' | 'entry';
  readonly considered: number;
  readonly eligible: number;
  /** The rule that left a single candidate, 'tie-break' (registration/arrival order) or 'none'. */
  readonly decidedBy: string;
  readonly steps: readonly RoutingStep[];
  readonly note?: string;
}

export interface Decision<T> {
  readonly chosen: T | undefined;
  readonly explanation: RoutingExplanation;
  /** When nothing was chosen on purpose (holding for a last agent): when to try again (epoch ms). */
  readonly retryAt?: number;
}

export interface RoutingStrategy {
  readonly name: string;
  selectAgent(req: AgentSelectionRequest): Decision<AgentView>;
  selectEntry(req: EntrySelectionRequest): Decision<EntryView>;
  /** Told of each offer the engine makes on this strategy's decision. */
  assigned?(agent: AgentView, entry: EntryView, queue: QueueDefinition): void;
}

/**
 * Everything the engine reports, as one discriminated union (`type`).
 * Projections (SUP-1, RPT-1) and the event log consume these.
 */
import type { AgentState } from './agent-state.ts';
import type { EntryState } from './queue-entry.ts';
import type { RoutingExplanation } from './routing-strategy.ts';
import type { TreatmentCommand } from './treatment-policy.ts';
import type { AgentId, ContactData, EntryId, QueueId } from './types.ts';

export interface CallbackTask {
  readonly id: string;
  readonly entryId: EntryId;
  readonly queueId: QueueId;
  readonly callerNumber?: string;
  readonly customerId?: string;
  readonly requestedAt: number;
  /** The original arrival: the callback keeps this place in line. */
  readonly placeFrom: number;
}

export type AcdEvent =
  | {
      readonly type: 'agent-state';
      readonly at: number;
      readonly agentId: AgentId;
      readonly from: AgentState;
      readonly to: AgentState;
      readonly reason?: string;
    }
  | {
      readonly type: 'entry-queued';
      readonly at: number;
      readonly entryId: EntryId;
      readonly queueId: QueueId;
      readonly data: ContactData;
      readonly position: number;
      readonly overflowFrom?: EntryId;
    }
  | {
      readonly type: 'routing-decision';
      readonly at: number;
      readonly entryId?: EntryId;
      readonly agentId?: AgentId;
      readonly explanation: RoutingExplanation;
    }
  | {
      readonly type: 'offered';
      readonly at: number;
      readonly entryId: EntryId;
      readonly queueId: QueueId;
      readonly agentId: AgentId;
      readonly autoAnswer: boolean;
      readonly ringTimeoutMs: number;
      /** The agent dials the customer back instead of taking a waiting caller. */
      readonly callback: boolean;
      /** ACD-7 flag mode: show a warning and a one-click hang-up on the agent's screen. */
      readonly blacklistWarning: boolean;
      readonly explanation: RoutingExplanation;
    }
  | {
      readonly type: 'ring-no-answer';
      readonly at: number;
      readonly entryId: EntryId;
      readonly agentId: AgentId;
      readonly ronaCount: number;
    }
  | {
      /** The switch could not deliver an offer for another reason than no answer (busy, unreachable, rejected). */
      readonly type: 'offer-failed';
      readonly at: number;
      readonly entryId: EntryId;
      readonly agentId: AgentId;
      readonly cause: string;
    }
  | {
      readonly type: 'connected';
      readonly at: number;
      readonly entryId: EntryId;
      readonly queueId: QueueId;
      readonly agentId: AgentId;
      readonly waitMs: number;
      readonly withinServiceLevel: boolean;
    }
  | {
      readonly type: 'entry-ended';
      readonly at: number;
      readonly entryId: EntryId;
      readonly queueId: QueueId;
      readonly state: EntryState;
      readonly waitMs: number;
      readonly reason: 'abandoned' | 'overflow' | 'voicemail' | 'transfer';
    }
  | {
      readonly type: 'treatment';
      readonly at: number;
      readonly entryId: EntryId;
      readonly queueId: QueueId;
      readonly command: TreatmentCommand;
    }
  | { readonly type: 'callback-task'; readonly at: number; readonly task: CallbackTask }
  | {
      readonly type: 'call-ended';
      readonly at: number;
      readonly entryId: EntryId;
      readonly agentId: AgentId;
      readonly talkMs: number;
    }
  | {
      readonly type: 'wrap-up-ended';
      readonly at: number;
      readonly agentId: AgentId;
      readonly entryId: EntryId;
      readonly handleMs: number;
      readonly timedOut: boolean;
    }
  | {
      /** CTI-7: the talk time nears (remainingMs > 0) or passed (0) the admin-set limit. */
      readonly type: 'service-time';
      readonly at: number;
      readonly agentId: AgentId;
      readonly entryId: EntryId;
      readonly limitMs: number;
      readonly remainingMs: number;
    }
  | { readonly type: 'counters-reset'; readonly at: number };

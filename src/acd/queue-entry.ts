/**
 * A contact waiting in a queue, as a state machine with one table.
 *
 *   waiting ──offer──► offered ──connect──► connected
 *    │  ▲ ▲              │ │
 *    │  │ └──requeue─────┘ └──abandon──► abandoned ◄──abandon── waiting / callback
 *    │  └──────────────────────── (RONA, withdraw)
 *    ├──overflow──► overflowed     ├──time-out──► timed-out
 *    └──accept-callback──► callback ──offer──► offered
 *
 * A callback entry keeps its place (its arrival time) and is served like a
 * waiting one, but the agent dials the customer back.
 */
import type { AgentId, ContactData, EntryId, QueueId } from './types.ts';

export const ENTRY_STATES = [
  'waiting',
  'offered',
  'connected',
  'abandoned',
  'overflowed',
  'timed-out',
  'callback',
] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

export type EntryAction =
  | 'offer'
  | 'connect'
  | 'requeue'
  | 'requeue-callback'
  | 'abandon'
  | 'overflow'
  | 'time-out'
  | 'accept-callback';

const TABLE: Readonly<Record<EntryState, Partial<Record<EntryAction, EntryState>>>> = {
  waiting: {
    offer: 'offered',
    abandon: 'abandoned',
    overflow: 'overflowed',
    'time-out': 'timed-out',
    'accept-callback': 'callback',
  },
  offered: { connect: 'connected', requeue: 'waiting', 'requeue-callback': 'callback', abandon: 'abandoned' },
  callback: { offer: 'offered', abandon: 'abandoned' },
  connected: {},
  abandoned: {},
  overflowed: {},
  'timed-out': {},
};

export type EntryErrorCode = 'ENTRY_FINISHED' | 'INVALID_TRANSITION';

export class QueueEntryError extends Error {
  override readonly name = 'QueueEntryError';
  constructor(
    readonly code: EntryErrorCode,
    readonly entryId: EntryId,
    readonly state: EntryState,
    readonly action: EntryAction,
  ) {
    super(`queue entry ${entryId}: ${action} not allowed in state ${state} (${code})`);
  }
}

export function isRoutable(state: EntryState): boolean {
  return state === 'waiting' || state === 'callback';
}

/** What strategies may read about an entry. */
export interface EntryView {
  readonly id: EntryId;
  readonly queueId: QueueId;
  readonly state: EntryState;
  readonly data: ContactData;
  /** First arrival in the ACD (kept through overflow): aging and FIFO use it. */
  readonly arrivedAt: number;
  /** Arrival in this queue. */
  readonly enteredAt: number;
  /** Agents who let this contact ring out (ACD-4); it is not offered to them again. */
  readonly excludedAgents: ReadonlySet<AgentId>;
  /** Ascending creation number, the final tie-break. */
  readonly seq: number;
  readonly callback: boolean;
  /** The agent the contact is offered to (or was, once connected). */
  readonly offeredTo?: AgentId | undefined;
}

export class QueueEntry implements EntryView {
  state: EntryState = 'waiting';
  readonly excludedAgents = new Set<AgentId>();
  offeredTo: AgentId | undefined;
  offeredAt: number | undefined;
  connectedAt: number | undefined;
  callback = false;
  /** Times a treatment step was done, keyed by step name (announcements). */
  announcements = 0;

  constructor(
    readonly id: EntryId,
    readonly queueId: QueueId,
    readonly data: ContactData,
    readonly arrivedAt: number,
    readonly enteredAt: number,
    readonly seq: number,
  ) {}

  apply(action: EntryAction): EntryState {
    const from = this.state;
    const to = TABLE[from][action];
    if (to === undefined) {
      const finished = Object.keys(TABLE[from]).length === 0;
      throw new QueueEntryError(finished ? 'ENTRY_FINISHED' : 'INVALID_TRANSITION', this.id, from, action);
    }
    this.state = to;
    return from;
  }
}

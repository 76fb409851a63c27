/**
 * Call records (CDRs): one per interaction and one per leg, built from the
 * event log by CallRecordProjection. Times are epoch ms (UTC), durations ms.
 *
 * Disposition of an ended interaction (first rule that applies):
 *   failed           ended for a failure cause (FAILURE_CAUSES, e.g.
 *                    server-restart, dial-failed) before anyone answered
 *   transferred      answered, then passed on (consult transfer or blind
 *                    transfer to an agent, number, queue or IVR) at least once
 *   conferenced      answered and completed as a conference, never transferred
 *   answered         answered (agent or, outbound, the customer) otherwise
 *   abandoned-ivr    the customer hung up in the IVR
 *   ivr-completed    the IVR ended the call (self-service done)
 *   refused          the entry point refused the caller (ACD-7 blacklist:
 *                    `blacklist-refused` before answering, or
 *                    `blacklist-hang-up`) and no agent answered
 *   abandoned-queue  the customer hung up while queued or while an agent rang
 *   no-answer        nobody answered (RONA without a queue, outbound customer
 *                    not answering, queue given up by the system)
 */
import type { HangupSide, LegState, Party, PartyKind } from '../model/index.ts';

export const DISPOSITIONS = ['answered', 'abandoned-queue', 'abandoned-ivr', 'ivr-completed', 'no-answer', 'refused', 'transferred', 'conferenced', 'failed'] as const;
/** Causes that mean the entry point refused the caller (disposition `refused`). */
export const REFUSAL_CAUSES: ReadonlySet<string> = new Set(['blacklist-refused', 'blacklist-hang-up']);
export type Disposition = (typeof DISPOSITIONS)[number];

/** Causes that make an unanswered call `failed`. */
export const FAILURE_CAUSES: ReadonlySet<string> = new Set(['server-restart', 'error', 'failed', 'dial-failed', 'media-error', 'unreachable']);

/** The cause recovery gives to everything it closes after a crash. */
export const RESTART_CAUSE = 'server-restart';

export interface WrapupSpan {
  agentId: string;
  /** When the agent was released from the call. */
  startedAt: number;
  /** When the ACD said wrap-up ended (`agent.wrapup-ended`); absent while pending. */
  endedAt?: number;
}

/** CRM-3: the agent's self-evaluation of the service given. */
export const SELF_EVALUATIONS = ['good', 'fair', 'poor'] as const;
export type SelfEvaluation = (typeof SELF_EVALUATIONS)[number];

/** CRM-3: who the contact was with, as the back office named the authenticated customer. */
export interface ContactCustomer {
  customerId?: string;
  name?: string;
  /** Fund account or card number that authenticated. */
  account?: string;
  /** securities, fund or bank. */
  kind?: string;
  /** 营业部: code and name. */
  branchCode?: string;
  branchName?: string;
  /** First (main) shareholder account, may be absent. */
  shareholderAccount?: string;
}

/**
 * CRM-3 (来电登记): one agent's wrap-up note on the interaction: business
 * category, self-evaluation and summary, with the customer the call was
 * with. Filed during wrap-up or later; filed again, it replaces that
 * agent's note.
 */
export interface ContactLog {
  agentId: string;
  /** When the agent filed it (epoch ms). */
  at: number;
  /** Business category id (configurable list, e.g. `account-inquiry`, `complaint`). */
  category: string;
  selfEvaluation: SelfEvaluation;
  summary: string;
  customer?: ContactCustomer;
}

export interface CallRecord {
  interactionId: string;
  direction: 'inbound' | 'outbound';
  /** The customer's number (caller inbound, callee outbound). */
  customer: string;
  /** Service number or DID dialled, when the runtime said (`interaction.entry`). */
  entryPoint?: string;
  /** First IVR script the call went through. */
  ivrScript?: string;
  /** Last queue the call entered. */
  queueId?: string;
  /** Every party that had a leg, in order of appearance, once each. */
  parties: Party[];
  /** Agents who talked on the call, in order of first answer. */
  agents: string[];
  startedAt: number;
  queuedAt?: number;
  offeredAt?: number;
  answeredAt?: number;
  endedAt?: number;
  ivrMs: number;
  queueMs: number;
  ringMs: number;
  /** Time the customer talked with someone: handled time minus hold. */
  talkMs: number;
  /** Time the customer spent held (hold and consultations). */
  holdMs: number;
  holdCount: number;
  /** Closed wrap-up time summed over agents. */
  wrapupMs: number;
  wrapups: WrapupSpan[];
  transfers: number;
  conferences: number;
  status: 'live' | 'ended';
  disposition?: Disposition;
  /** Raw side from `interaction.ended`. */
  endedBy?: HangupSide;
  /** Who hung up: the kind of the party that ended it, or `system`. */
  hungUpBy?: PartyKind | 'system';
  /** Id of that party (number, agent id) when it was a party. */
  hungUpParty?: string;
  cause?: string;
  /** File of the call's recording (TEL-5), when it was recorded (the last one started). */
  recording?: string;
  /** CRM-3: the agents' wrap-up notes (`contact.logged`), one per agent; absent until one is filed. */
  contacts?: ContactLog[];
  /** Sequence of the last event applied; a store keeps the record with the highest. */
  lastSeq: number;
}

export interface LegRecord {
  legId: string;
  interactionId: string;
  party: Party;
  direction: 'inbound' | 'outbound';
  state: LegState;
  createdAt: number;
  dialAt?: number;
  ringAt?: number;
  earlyAt?: number;
  answerAt?: number;
  endAt?: number;
  holdMs: number;
  holdCount: number;
  /** Answer to end (0 when never answered). */
  durationMs: number;
  endedBy?: HangupSide;
  cause?: string;
  /** Sequence of the record version this leg was written with. */
  lastSeq: number;
}

/** A finished piece of work for the record store: the call record with its legs. */
export interface RecordBundle {
  record: CallRecord;
  legs: LegRecord[];
}

/**
 * Calls the ACD did not route (issue 5, ACD-3, CTI-4): the switch connected a
 * logged-in agent to a call no queue offered. The engine keeps the agent
 * talking (out of the ready pool) until the call ends, then:
 *
 *   kind       what it is                                   at its end        counted
 *   transfer   a customer transferred in (blind, attended,  wrap-up           answered
 *              or the IVR handing the caller to the agent)
 *   outbound   the agent dialled a customer (click-to-dial) wrap-up           -
 *   consult    another agent consults this one              previous state    -
 *   internal   an extension-to-extension call               previous state    -
 *
 * "Previous state" is ready, or not ready with the pause the agent had (or
 * one asked for during the call). A consultation that the consulting agent
 * completes as a transfer becomes a `transfer` (answered counted then).
 */
import type { TimerHandle } from '../shared/clock.ts';
import type { QueueId } from './types.ts';

export const DIRECT_CALL_KINDS = ['transfer', 'outbound', 'consult', 'internal'] as const;
export type DirectCallKind = (typeof DIRECT_CALL_KINDS)[number];

/** What the engine is told about a direct call. */
export interface DirectCallInfo {
  /** The switch interaction (to match the end of the call to its start). */
  readonly interactionId: string;
  readonly kind: DirectCallKind;
  /** The queue the customer came through, if any: its wrap-up time applies. */
  readonly queueId?: QueueId;
}

/** The engine's record of a direct call, from connect to the end of its wrap-up. */
export interface DirectCall {
  readonly interactionId: string;
  kind: DirectCallKind;
  readonly queueId?: QueueId;
  readonly connectedAt: number;
  /** The pause the agent had when the call came (returned to, uncounted). */
  readonly returnReason?: string;
  wrapTimer?: TimerHandle;
}

/** A customer was handled: wrap-up follows. Otherwise the agent returns to where they were. */
export function isCustomerCall(kind: DirectCallKind): boolean {
  return kind === 'transfer' || kind === 'outbound';
}

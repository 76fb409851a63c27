/**
 * The ACD service's event stream: every engine event (state changes, routing
 * decisions with their explanation, treatment, RONA, CTI-7 service-time
 * reminders) tagged with the interaction it concerns, plus what only the
 * service knows (admission trail, switch failures, callback assignments).
 * The composition root appends these to the event log and the WebSocket feed.
 */
import type { AcdEvent, CallbackTask } from '../acd-events.ts';
import type { Admission } from '../entry-point-router.ts';

export type AcdServiceEvent =
  | { readonly type: 'acd'; readonly interactionId?: string; readonly event: AcdEvent }
  | {
      /** ACD-6, ACD-7, ACD-9: what the entry point decided for a new call, with the rules that decided it. */
      readonly type: 'admission';
      readonly at: number;
      readonly interactionId: string;
      readonly dialled: string;
      readonly caller: string;
      readonly admission: Admission;
    }
  | {
      /** The switch refused an offer (the agent is set not ready, the contact goes to someone else). */
      readonly type: 'offer-error';
      readonly at: number;
      readonly interactionId: string;
      readonly agentId: string;
      readonly error: string;
    }
  | {
      /** A call could not be queued (unknown queue): the caller is sent away. */
      readonly type: 'enqueue-error';
      readonly at: number;
      readonly interactionId: string;
      readonly queueId: string;
      readonly error: string;
    }
  | {
      /** A callback reached an agent: the agent dials the customer (CTI-1 make call). */
      readonly type: 'callback-assigned';
      readonly at: number;
      readonly agentId: string;
      readonly task: CallbackTask;
    };

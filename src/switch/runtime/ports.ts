/**
 * The ports between the switch runtime and the services around it
 * (DESIGN.md "Layers": switch < services). The runtime calls the ACD and the
 * IVR through QueuePort and IvrPort; they call back through SwitchControl and
 * learn what happened from the runtime's one typed event stream.
 *
 *   runtime ──enqueue/cancel──► QueuePort (src/acd/service)
 *   runtime ──start/stop──────► IvrPort   (src/ivr/service)
 *   ACD/IVR ──offerToAgent / ivrTransfer / ivrHangup / attachData──► SwitchControl
 *   ACD/IVR ◄──onEvent(SwitchEvent)── runtime
 *
 * Contract for the ACD:
 * - `enqueue` is called when a call enters a queue, and AGAIN for the same
 *   interaction after a failed offer (RONA, busy, unreachable) or a blind
 *   transfer to a queue: treat it as the same contact coming back (keep its
 *   original entry time for ASA if you wish; the `offer.failed` event comes
 *   first and names the agent that failed).
 * - `cancel` is called when a queued call leaves the queue without an agent
 *   (the customer hung up: abandon; or it went back to the IVR).
 * - `offerToAgent` rings the agent; the answer shows as `agent.connected`,
 *   a failure as `offer.failed`; the agent's end of the call as
 *   `agent.released` (then wrap-up is the ACD's business).
 *
 * Contract for the IVR:
 * - `start` gives the interaction, the model's IVR leg and the media leg of
 *   the customer (`customerLegId`): prompts are played to that leg through
 *   the MediaEngine, digits arrive as `dtmf` events of the runtime stream.
 * - The IVR ends its part with `ivrTransfer` (queue or agent, with the inputs
 *   merged into the call data and an optional resume point) or `ivrHangup`.
 *   `stop` is called when the call leaves the IVR for another reason
 *   (customer hung up, supervisor action): stop playing, do not call back.
 */
import type { CallData, DomainEvent } from '../model/index.ts';

export interface EnqueueRequest {
  interactionId: string;
  queueId: string;
  callData: CallData;
  customer: { number: string; name?: string };
  /** The service number or DID the customer dialled, when known. */
  entryPoint?: string;
}

export interface QueuePort {
  enqueue(req: EnqueueRequest): void;
  cancel(interactionId: string): void;
  /**
   * ACD-7: asked before a service-number call (queue or IVR) is answered. A
   * cause (e.g. `blacklist-refused`) when this caller is refused: the
   * switch then rejects the INVITE unanswered (603).
   */
  refuses?(dialled: string, caller: string): string | undefined;
}

export interface IvrStartRequest {
  interactionId: string;
  /** The model's IVR leg (a party of the interaction, not a SIP dialog). */
  legId: string;
  /** The customer's media-engine leg: play prompts to it, its digits come as `dtmf` events. */
  customerLegId: string;
  /** VoiceXML application (URL or file path the IVR's entry-point table knows). */
  script: string;
  mode: 'new' | 'resume';
  /** Where to resume (a dialog or form id the IVR gave in an earlier `ivrTransfer`). */
  resumeAt?: string;
  callData: CallData;
  customer: { number: string; name?: string };
  entryPoint?: string;
}

export interface IvrPort {
  start(req: IvrStartRequest): void;
  stop(interactionId: string): void;
  /**
   * IVR-8: asked when the handling agent of a two-party call hangs up first;
   * a script sends the caller on to it (the satisfaction survey) instead of
   * ending the call.
   */
  surveyFor?(call: { interactionId: string; agentId: string; entryPoint?: string }): { script: string } | undefined;
}

/** Agent identities vs. SIP extensions (the demo maps 8001 to 8001, but nothing may assume it). */
export interface AgentDirectory {
  extensionOf(agentId: string): string | undefined;
  agentOfExtension(extension: string): string | undefined;
}

export type OfferFailureCause = 'no-answer' | 'busy' | 'unreachable' | 'rejected';

/** Events of the runtime itself, beside the call model's domain events. */
export type RuntimeEvent =
  /** The ringing agent did not take the call (RONA when cause is no-answer); the call went back to its queue or ended. */
  | { type: 'offer.failed'; interaction: string; agentId: string; cause: OfferFailureCause; at: number }
  /** The IVR asked to hand the call on (before the runtime acted on it). */
  | { type: 'ivr.transfer-request'; interaction: string; target: IvrTransferTarget; at: number }
  /** A digit from a party's phone (RFC 4733 or in-band). */
  | { type: 'dtmf'; interaction: string; leg: string; digit: string; at: number }
  /** A command the model asked for could not be carried out (dial failed, media error); the model was told. */
  | { type: 'command.failed'; interaction: string; command: string; leg?: string; error: string; at: number }
  /** Call data changed (IVR inputs, agent edits): the whole new data. */
  | { type: 'calldata.changed'; interaction: string; callData: CallData; at: number }
  /** Recording started or stopped on an interaction. */
  | { type: 'recording.changed'; interaction: string; recording: boolean; path?: string; at: number };

export type SwitchEvent = DomainEvent | RuntimeEvent;

export type IvrTransferTarget = { kind: 'queue'; queueId: string } | { kind: 'agent'; agentId: string };

export interface OfferOptions {
  /** Ask the phone or browser to answer by itself (CTI-1). */
  autoAnswer: boolean;
  /** Ring no longer than this; then `offer.failed` with cause no-answer. */
  ringTimeoutMs: number;
}

/**
 * What the services may ask of the switch. Each method is serialised with
 * every other operation on the same interaction; a forbidden request
 * rejects with the call model's CallModelError (typed `code`).
 */
export interface SwitchControl {
  offerToAgent(interactionId: string, agentId: string, opts: OfferOptions): Promise<void>;
  /** The IVR hands the call to a queue or an agent; `callData` is merged into the interaction's data. */
  ivrTransfer(interactionId: string, target: IvrTransferTarget, opts?: { callData?: CallData; resumeAt?: string }): Promise<void>;
  /** The IVR ends the call (goodbye). */
  ivrHangup(interactionId: string, cause?: string): Promise<void>;
  /** A queued call goes back to the IVR (overflow, callback menu). */
  queueToIvr(interactionId: string, to: { mode: 'resume' } | { mode: 'new'; script: string }): Promise<void>;
  /** Merge values into the call data (CTI-5). */
  attachData(interactionId: string, data: CallData): Promise<void>;
  onEvent(listener: (e: SwitchEvent) => void): () => void;
}

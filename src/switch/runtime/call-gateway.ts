/**
 * The port between the switch runtime (which drives the call model) and the
 * signalling adapter that turns legs into SIP dialogs (src/switch/gateway).
 *
 * Every leg the runtime knows is one SIP dialog (or dialog attempt) plus one
 * media-engine leg with the same ID, so the runtime can bridge, play to and
 * record any leg through the MediaEngine by that ID once the gateway said the
 * leg exists (`inbound`, or `dial` returned). Media never bypasses Hotline.
 *
 * The gateway owns: SDP offer/answer, the engine leg's codec and remote
 * address, re-INVITEs from phones, CANCEL, BYE, RTP inactivity. The runtime
 * owns: which legs exist, what they are joined to, and every decision.
 */
import type { CallData } from '../model/index.ts';

/** Where an outbound leg goes. */
export type DialTarget =
  /** A SIP account of Hotline: every current registered contact is rung (parallel fork); the first to answer wins. */
  | { kind: 'extension'; extension: string }
  /** A SIP URI reached directly (a peer, a test tool). */
  | { kind: 'uri'; uri: string }
  /** An external number sent out through a configured trunk. */
  | { kind: 'trunk'; trunkId: string; number: string };

export interface DialOptions {
  /** Calling party shown to the callee (From user part and display name). */
  callerId: { number: string; name?: string };
  /** Ask a desk phone or browser to answer by itself (Call-Info answer-after=0 and Alert-Info), CTI-1 auto-answer. */
  autoAnswer?: boolean;
  /** Give up after this long without an answer: the leg ends with `failed`, cause `no-answer`. */
  ringTimeoutMs?: number;
  /** Interaction the leg belongs to, sent as header X-Hotline-Interaction for phones and logs. */
  interactionId?: string;
  /** Call-attached data summary for the callee's display (optional, kept small). */
  callData?: CallData;
  /**
   * A media-engine leg or bridge ID whose worker the new engine leg must share
   * (pass it as `near` to MediaEngine.createLeg): a bridge and all its members
   * live on one worker, so every leg of an interaction is placed near its first.
   */
  mediaNear?: string;
}

export interface PartyAddress {
  /** user part of the URI (a number or extension), '' when none. */
  user: string;
  uri: string;
  displayName?: string;
}

export interface InboundCall {
  /** Leg ID, also the media-engine leg ID. */
  legId: string;
  from: PartyAddress;
  /** The dialed target: the Request-URI's user part is `to.user`. */
  to: PartyAddress;
  /** The SIP account that authenticated the INVITE (a registered extension), if any. */
  account?: string;
  /** The trunk the INVITE arrived on (IP-authenticated or registered trunk), if any. */
  trunkId?: string;
  source: { address: string; port: number; transport: string };
  /** Selected request headers a dial plan may look at (lower-case names). */
  headers: Record<string, string>;
}

export type GatewayEvent =
  | { type: 'inbound'; call: InboundCall }
  /** Outbound leg: 180 (early=false) or 183 with SDP (early=true). */
  | { type: 'ringing'; legId: string; early: boolean }
  /** Outbound leg answered (2xx, ACK sent), or inbound leg confirmed by ACK after `answer`. */
  | { type: 'answered'; legId: string }
  /** A leg ended before it was answered: outbound final failure or timeout, inbound CANCEL (status 487). */
  | { type: 'failed'; legId: string; status: number; cause: string }
  /** An answered leg ended from the far side: BYE, RTP inactivity, transport failure. */
  | { type: 'hangup'; legId: string; cause: string }
  /** The phone itself put the call on hold or took it off (re-INVITE with sendonly/inactive, or back to sendrecv). */
  | { type: 'remote-hold'; legId: string; held: boolean }
  /** RFC 4733 or in-band digit received on the leg. */
  | { type: 'dtmf'; legId: string; digit: string }
  /** REFER from the phone on this leg (RFC 3515); replaces names another dialog (RFC 3891) when attended. */
  | { type: 'refer'; legId: string; referId: string; target: PartyAddress; replacesLegId?: string };

export interface CallGateway {
  /** Start an outbound leg. Resolves once the engine leg and the INVITE exist; progress comes as events. */
  dial(legId: string, target: DialTarget, opts: DialOptions): Promise<void>;
  /** Inbound leg: send 180 Ringing. */
  ring(legId: string): void;
  /** Inbound leg: answer with 200 OK and SDP; resolves when the ACK arrives (rejects if it never does). */
  answer(legId: string): Promise<void>;
  /** Inbound leg not yet answered: final error response (e.g. 404, 480, 486, 603). */
  reject(legId: string, status: number, reason?: string): void;
  /** End a leg in whatever state it is: CANCEL, error response, or BYE. Idempotent. */
  hangup(legId: string, cause: string): void;
  /** Outcome of a REFER the runtime acted on: NOTIFY with a sipfrag of this status (RFC 3515). */
  referOutcome(legId: string, referId: string, status: number): void;
  /** Subscribe to gateway events; returns the unsubscribe function. */
  onEvent(listener: (e: GatewayEvent) => void): () => void;
}

/**
 * One leg as the gateway sees it: the engine leg (same ID), the SIP dialog
 * or dialog attempt, and an explicit state machine.
 *
 *   inbound:  offered --answer()--> accepting --ACK--> answered
 *   outbound: calling --1xx--> alerting --2xx--> answered
 *                 \------------------2xx-------------^
 *   any state --CANCEL / BYE / failure / hangup()--> ended
 */
import type { NegotiatedAudio } from '../../protocol/sdp/media-capabilities.ts';
import type { SipRequest } from '../../protocol/sip/message.ts';
import type { TimerHandle } from '../../shared/clock.ts';
import type { Dialog } from '../../sip/dialog/dialog.ts';
import type { IncomingRequest } from '../../sip/stack/request-handler.ts';
import type { NextHop } from '../../sip/stack/next-hop.ts';
import { GatewayError } from './gateway-error.ts';
import type { OutboundBranch } from './outbound-branch.ts';

export type LegState = 'offered' | 'accepting' | 'calling' | 'alerting' | 'answered' | 'ended';

const TABLE: Readonly<Record<LegState, readonly LegState[]>> = {
  offered: ['accepting', 'ended'],
  accepting: ['answered', 'ended'],
  calling: ['alerting', 'answered', 'ended'],
  alerting: ['answered', 'ended'],
  answered: ['ended'],
  ended: [],
};

export interface ReferSubscription {
  /** CSeq number of the REFER: the `id` of its Event header (RFC 3515 section 2.4.6). */
  eventId: string;
  /** RFC 4488 Refer-Sub: false: no NOTIFY at all. */
  silent: boolean;
  done: boolean;
}

export class GatewayLeg {
  private current: LegState;
  readonly timers = new Map<string, TimerHandle>();
  /** Inbound: the initial INVITE and the means to answer it. */
  incoming: IncomingRequest | undefined;
  /** The engine leg's local RTP port. */
  localPort = 0;
  dialog: Dialog | undefined;
  /** Where in-dialog requests go (the flow the phone used or registered on); undefined: by URI. */
  hop: NextHop | undefined;
  audio: NegotiatedAudio | undefined;
  remoteHeld = false;
  /** A browser leg: its media goes through the WebRTC port's session of the same ID. */
  webrtc = false;
  /** o= session id and version of the SDP we send (the version grows with each new SDP, RFC 3264 section 8). */
  readonly sdpSessionId = Math.floor(Math.random() * 1e9);
  sdpVersion = 0;
  /** We sent an offer (late-offer INVITE or re-INVITE without SDP): the ACK carries the answer. */
  awaitingAckAnswer = false;
  /** CSeq of a re-INVITE from the peer answered 2xx and not yet ACKed. */
  reinviteInProgress: number | undefined;
  /** Outbound: one branch per contact tried. */
  branches: OutboundBranch[] = [];
  /** Outbound: responses of failed branches, for the final status. */
  failures: Array<{ status: number; reason: string }> = [];
  readonly refers = new Map<string, ReferSubscription>();
  answerWaiter: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    readonly legId: string,
    readonly direction: 'inbound' | 'outbound',
  ) {
    this.current = direction === 'inbound' ? 'offered' : 'calling';
  }

  get state(): LegState {
    return this.current;
  }

  get ended(): boolean {
    return this.current === 'ended';
  }

  /** Move to `next`; a move the table forbids is a bug in the gateway. */
  transition(next: LegState): void {
    if (!TABLE[this.current].includes(next)) throw new Error(`bug: leg ${this.legId} cannot move ${this.current} -> ${next}`);
    this.current = next;
  }

  /** The runtime asked for something this state forbids. */
  require(states: readonly LegState[], what: string): void {
    if (!states.includes(this.current)) throw new GatewayError('bad-state', `${what}: leg ${this.legId} is ${this.current}`);
  }

  setTimer(name: string, handle: TimerHandle): void {
    this.timers.get(name)?.cancel();
    this.timers.set(name, handle);
  }

  clearTimer(name: string): void {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
  }

  clearTimers(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  get invite(): SipRequest | undefined {
    return this.incoming?.request;
  }
}

/**
 * One INVITE of an outbound leg to one destination (a registered contact
 * of an extension, a URI, a trunk). An extension with several contacts is
 * rung on several branches in parallel; the first 2xx wins.
 *
 *   trying --1xx--> proceeding --2xx--> answered
 *     \--------------\---3xx-6xx / local failure--> failed
 *      \--------------\---CANCEL sent------------> cancelling --final--> failed
 */
import type { SipRequest } from '../../protocol/sip/message.ts';
import type { Dialog } from '../../sip/dialog/dialog.ts';
import type { NextHop } from '../../sip/stack/next-hop.ts';
import type { ClientTransaction } from '../../sip/transaction/transaction-layer.ts';
import type { TransportProtocol } from '../../sip/transport/transport.ts';

export type BranchState = 'trying' | 'proceeding' | 'cancelling' | 'answered' | 'failed';

const TABLE: Readonly<Record<BranchState, readonly BranchState[]>> = {
  trying: ['proceeding', 'cancelling', 'answered', 'failed'],
  proceeding: ['cancelling', 'answered', 'failed'],
  cancelling: ['answered', 'failed'],
  answered: [],
  failed: [],
};

export interface BranchTarget {
  requestUri: string;
  /** The flow to use (a registered contact's source); undefined: resolve the Request-URI. */
  hop?: NextHop;
  protocol: TransportProtocol;
  /** Trunk credentials for a 401/407. */
  credentials?: { username: string; password: string };
}

export class OutboundBranch {
  private current: BranchState = 'trying';
  invite: SipRequest;
  transaction: ClientTransaction | undefined;
  /**
   * Dialogs a 2xx created on this branch (by remote tag) and the ACK sent for
   * it: each retransmission of that 2xx gets the same ACK again, byte for
   * byte (RFC 3261 13.2.2.4), so the phone can tell it from a new request.
   */
  readonly confirmed = new Map<string, { dialog: Dialog; ack?: SipRequest }>();
  authTries = 0;
  /** Reason header for our CANCEL (RFC 3326). */
  cancelReason: string | undefined;

  constructor(
    readonly target: BranchTarget,
    invite: SipRequest,
  ) {
    this.invite = invite;
  }

  get state(): BranchState {
    return this.current;
  }

  get open(): boolean {
    return this.current === 'trying' || this.current === 'proceeding' || this.current === 'cancelling';
  }

  transition(next: BranchState): void {
    if (this.current === next) return;
    if (!TABLE[this.current].includes(next)) throw new Error(`bug: branch cannot move ${this.current} -> ${next}`);
    this.current = next;
  }
}

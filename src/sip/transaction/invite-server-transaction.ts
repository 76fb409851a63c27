/**
 * INVITE server transaction: RFC 3261 section 17.2.1 (figure 7) as updated
 * by RFC 6026 section 7.1. Behaviour implemented: a 2xx from the TU moves
 * the transaction to Accepted and starts Timer L (64*T1); in Accepted the
 * transaction never retransmits the 2xx itself (the UAS core does, 13.3.1.4,
 * and passes each retransmission through `respond`), absorbs retransmitted
 * INVITEs, and hands an ACK (only an RFC 2543 peer's 2xx ACK can match) back
 * to the caller as not absorbed. A 100 Trying goes out after 200 ms unless
 * the TU answered first.
 *
 *   INVITE: pass to TU, 100 after 200 ms     retransmitted INVITE: resend last 1xx
 *                  V
 *             proceeding --1xx from TU: send
 *            /     |     \
 *   2xx: send      |      300-699: send, Timer G (unreliable), Timer H
 *          V       |            V
 *      accepted    |       completed --INVITE or Timer G: resend final
 *          |       |         |   \
 *   Timer L|       |      ACK|    \Timer H or transport error: inform TU
 *          V       |         V     V
 *      terminated <+---- confirmed (Timer I: T4, 0 on reliable)
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { Transaction, type TransitionTable } from './transaction.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import { transactionTimeout } from './timer-settings.ts';
import { isFinalNon2xx, isProvisional, isSuccess, type ServerTransactionUser, type TransactionContext } from './transaction-types.ts';

export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

const TABLE: TransitionTable<InviteServerState> = {
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

export class InviteServerTransaction extends Transaction<InviteServerState> {
  readonly kind = 'ist' as const;
  private last: SipResponse | undefined;
  private timerGInterval = 0;
  /** Every response handed to the channel, retransmissions included. */
  sentResponses = 0;
  user: ServerTransactionUser;

  constructor(ctx: TransactionContext, request: SipRequest, key: string, user: ServerTransactionUser = {}) {
    super(ctx, request, key, 'proceeding', TABLE, 'terminated');
    this.user = user;
  }

  /** Arm the 100 Trying timer (17.2.1). */
  start(): void {
    this.startTimer('Trying', this.ctx.timers.trying100, () => {
      if (this.state === 'proceeding' && this.last === undefined) this.respond(createResponse(this.request, 100, 'Trying'));
    });
  }

  /** The last response sent (the one a retransmitted INVITE gets again). */
  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /** A retransmission of the INVITE arrived. */
  receiveRequest(): void {
    switch (this.state) {
      case 'proceeding':
        if (this.last) this.send(this.last);
        return;
      case 'completed':
        if (this.last) this.send(this.last);
        return;
      default:
        // accepted (RFC 6026: absorbed), confirmed, terminated
        return;
    }
  }

  /** An ACK matched this transaction. Returns false when it is not the transaction's to absorb (Accepted). */
  receiveAck(): boolean {
    switch (this.state) {
      case 'completed':
        this.stopTimer('G');
        this.stopTimer('H');
        this.transition('confirmed');
        this.startTimer('I', this.reliable ? 0 : this.ctx.timers.t4, () => this.transition('terminated'));
        return true;
      case 'accepted':
        return false;
      default:
        return true;
    }
  }

  /** Send a response from the TU. Throws TransactionStateError when the state forbids it. */
  respond(response: SipResponse): void {
    const status = response.status;
    if (status < 100 || status > 699) throw new TransactionStateError('not-a-response-status', `status ${status} is not a response code`);
    switch (this.state) {
      case 'proceeding':
        this.stopTimer('Trying');
        this.last = response;
        this.send(response);
        if (isSuccess(status)) {
          this.transition('accepted');
          this.startTimer('L', transactionTimeout(this.ctx.timers), () => this.transition('terminated'));
        } else if (isFinalNon2xx(status)) {
          this.transition('completed');
          if (!this.reliable) {
            this.timerGInterval = this.ctx.timers.t1;
            this.armTimerG();
          }
          this.startTimer('H', transactionTimeout(this.ctx.timers), () => {
            if (this.state !== 'completed') return;
            this.transition('terminated');
            this.user.onAckTimeout?.();
          });
        } else if (!isProvisional(status)) {
          throw new Error(`bug: unclassified status ${status}`);
        }
        return;
      case 'accepted':
        if (isSuccess(status)) {
          // The UAS core's 2xx retransmission (13.3.1.4) or a 2xx for another fork.
          this.last = response;
          this.send(response);
          return;
        }
        throw new TransactionStateError('response-after-final', `cannot send ${status} after a 2xx`);
      default:
        throw new TransactionStateError('response-after-final', `INVITE server transaction is ${this.state}: cannot send ${status}`);
    }
  }

  private send(response: SipResponse): void {
    this.sentResponses++;
    this.transmit(response);
  }

  private armTimerG(): void {
    this.startTimer('G', this.timerGInterval, () => {
      if (this.state !== 'completed' || !this.last) return;
      this.send(this.last);
      this.timerGInterval = Math.min(2 * this.timerGInterval, this.ctx.timers.t2);
      this.armTimerG();
    });
  }

  protected onTransportError(error: unknown): void {
    this.user.onTransportError?.(error);
    // RFC 6026 leaves Accepted to Timer L: the core keeps retransmitting the 2xx.
    if (this.state === 'proceeding' || this.state === 'completed') this.transition('terminated');
  }

  protected notifyTerminated(): void {
    this.user.onTerminated?.();
  }
}

/**
 * Non-INVITE server transaction: RFC 3261 section 17.2.2 (figure 8).
 *
 *          Request received: pass to TU
 *                  V
 *                trying --1xx from TU: send--> proceeding (retransmission: resend 1xx)
 *                  |                              |
 *     200-699 from TU: send                 200-699 from TU: send
 *                  V                              V
 *              completed  (retransmission: resend final; Timer J: 64*T1, 0 on reliable)
 *                  |
 *                  V            transport error in proceeding/completed: inform TU
 *              terminated <-------------------------------------------
 *
 * Request retransmissions in Trying are absorbed (nothing to resend yet).
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { Transaction, type TransitionTable } from './transaction.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import { transactionTimeout } from './timer-settings.ts';
import { isProvisional, type ServerTransactionUser, type TransactionContext } from './transaction-types.ts';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const TABLE: TransitionTable<NonInviteServerState> = {
  trying: ['proceeding', 'completed'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteServerTransaction extends Transaction<NonInviteServerState> {
  readonly kind = 'nist' as const;
  private last: SipResponse | undefined;
  sentResponses = 0;
  user: ServerTransactionUser;

  constructor(ctx: TransactionContext, request: SipRequest, key: string, user: ServerTransactionUser = {}) {
    super(ctx, request, key, 'trying', TABLE, 'terminated');
    this.user = user;
  }

  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /** A retransmission of the request arrived. */
  receiveRequest(): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.last) this.send(this.last);
  }

  respond(response: SipResponse): void {
    const status = response.status;
    if (status < 100 || status > 699) throw new TransactionStateError('not-a-response-status', `status ${status} is not a response code`);
    if (this.state === 'completed' || this.state === 'terminated') {
      throw new TransactionStateError('response-after-final', `non-INVITE server transaction is ${this.state}: cannot send ${status}`);
    }
    this.last = response;
    if (isProvisional(status)) {
      if (this.state === 'trying') this.transition('proceeding');
      this.send(response);
      return;
    }
    this.transition('completed');
    this.send(response);
    this.startTimer('J', this.reliable ? 0 : transactionTimeout(this.ctx.timers), () => this.transition('terminated'));
  }

  private send(response: SipResponse): void {
    this.sentResponses++;
    this.transmit(response);
  }

  protected onTransportError(error: unknown): void {
    this.user.onTransportError?.(error);
    if (this.state === 'proceeding' || this.state === 'completed') this.transition('terminated');
  }

  protected notifyTerminated(): void {
    this.user.onTerminated?.();
  }
}

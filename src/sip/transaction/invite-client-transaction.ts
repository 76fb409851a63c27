/**
 * INVITE client transaction: RFC 3261 section 17.1.1 (figure 5) as updated
 * by RFC 6026 section 7.2. Behaviour implemented: a 2xx moves the
 * transaction to Accepted (not Terminated); every further 2xx received in
 * Accepted is passed to the TU (the UAC core ACKs each 2xx itself), other
 * responses there are absorbed, and Timer M (64*T1) ends it. A 300-699
 * response is ACKed here, on the INVITE's branch (17.1.1.3).
 *
 *                     |INVITE from TU
 *   Timer A fires     |INVITE sent
 *   Reset A,          V                      Timer B fires
 *   INVITE sent +-----------+                or Transport Err.
 *     +---------|           |---------------+inform TU (408/503)
 *     |         |  calling  |               |
 *     +-------->|           |-------------->|
 *               +-----------+ 2xx           |
 *                  |  |       2xx to TU     |
 *                  |  |1xx    --> accepted  |
 *   300-699        |  |1xx to TU            |
 *   ACK sent       |  V                     |
 *   resp. to TU    | proceeding --2xx------> accepted --Timer M--> terminated
 *                  V  |300-699
 *               completed (Timer D: 0 on reliable) --> terminated
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { buildAckForNon2xx } from './ack-for-non2xx.ts';
import { Transaction, type TransitionTable } from './transaction.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import { transactionTimeout } from './timer-settings.ts';
import { isFinalNon2xx, isProvisional, isSuccess, type ClientTransactionUser, type LocalFailure, type TransactionContext } from './transaction-types.ts';

export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

const TABLE: TransitionTable<InviteClientState> = {
  calling: ['proceeding', 'accepted', 'completed', 'terminated'],
  proceeding: ['accepted', 'completed'],
  accepted: ['terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class InviteClientTransaction extends Transaction<InviteClientState> {
  readonly kind = 'ict' as const;
  private ack: SipRequest | undefined;
  private timerAInterval = 0;
  private cancelWaiter: (() => void) | undefined;
  /** Number of times the INVITE went out (first send included). */
  sendCount = 0;

  constructor(
    ctx: TransactionContext,
    request: SipRequest,
    key: string,
    private readonly user: ClientTransactionUser,
  ) {
    super(ctx, request, key, 'calling', TABLE, 'terminated');
  }

  /** Send the INVITE and start Timers A (unreliable only) and B. */
  start(): void {
    this.sendInvite();
    if (!this.reliable) {
      this.timerAInterval = this.ctx.timers.t1;
      this.armTimerA();
    }
    this.startTimer('B', transactionTimeout(this.ctx.timers), () => this.onTimerB());
  }

  /** The ACK sent for the non-2xx final response, once there is one. */
  get ackRequest(): SipRequest | undefined {
    return this.ack;
  }

  /**
   * Run `send` once a provisional response has arrived (RFC 3261 section 9.1:
   * a CANCEL waits for one). Dropped if a final response comes first.
   */
  whenProceeding(send: () => void): void {
    switch (this.state) {
      case 'calling':
        this.cancelWaiter = send;
        return;
      case 'proceeding':
        send();
        return;
      default:
        throw new TransactionStateError('cancel-after-final', `INVITE transaction is ${this.state}: no CANCEL after a final response`);
    }
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (isProvisional(status)) {
          if (this.state === 'calling') {
            this.stopTimer('A');
            this.stopTimer('B');
            this.transition('proceeding');
            this.user.onResponse?.(response);
            const waiter = this.cancelWaiter;
            this.cancelWaiter = undefined;
            waiter?.();
            return;
          }
          this.user.onResponse?.(response);
        } else if (isSuccess(status)) {
          this.enterAccepted();
          this.user.onResponse?.(response);
        } else if (isFinalNon2xx(status)) {
          this.enterCompleted(response);
          this.user.onResponse?.(response);
        }
        return;
      case 'accepted':
        // RFC 6026 7.2: further 2xx go to the TU (one per forked dialog or retransmission).
        if (isSuccess(status)) this.user.onResponse?.(response);
        return;
      case 'completed':
        // Retransmitted final response: resend the ACK, do not bother the TU.
        if (isFinalNon2xx(status) && this.ack) this.transmit(this.ack);
        return;
      case 'terminated':
        return;
    }
  }

  private sendInvite(): void {
    this.sendCount++;
    this.transmit(this.request);
  }

  private armTimerA(): void {
    this.startTimer('A', this.timerAInterval, () => {
      if (this.state !== 'calling') return;
      this.sendInvite();
      this.timerAInterval *= 2;
      this.armTimerA();
    });
  }

  private onTimerB(): void {
    if (this.state !== 'calling') return;
    this.failLocally(408, 'Request Timeout', 'timeout');
  }

  private enterAccepted(): void {
    this.stopTimer('A');
    this.stopTimer('B');
    this.cancelWaiter = undefined;
    this.transition('accepted');
    this.startTimer('M', transactionTimeout(this.ctx.timers), () => this.transition('terminated'));
  }

  private enterCompleted(response: SipResponse): void {
    this.stopTimer('A');
    this.stopTimer('B');
    this.cancelWaiter = undefined;
    this.transition('completed');
    this.ack = buildAckForNon2xx(this.request, response);
    this.transmit(this.ack);
    const d = this.reliable ? 0 : this.ctx.timers.timerD;
    this.startTimer('D', d, () => this.transition('terminated'));
  }

  private failLocally(status: number, reason: string, why: LocalFailure): void {
    this.cancelWaiter = undefined;
    this.transition('terminated');
    this.user.onResponse?.(createResponse(this.request, status, reason), why);
  }

  protected onTransportError(error: unknown): void {
    switch (this.state) {
      case 'calling':
        this.failLocally(503, 'Service Unavailable', 'transport-error');
        return;
      case 'completed':
        // The ACK could not be sent: RFC 3261 figure 5, Completed -> Terminated.
        this.user.onTransportError?.(error);
        this.transition('terminated');
        return;
      default:
        // Proceeding sends nothing; in Accepted the TU owns the 2xx exchange (RFC 6026).
        this.ctx.logger?.debug({ tx: this.key, state: this.state }, 'transport error ignored in this state');
    }
  }

  protected notifyTerminated(): void {
    this.user.onTerminated?.();
  }
}

/**
 * Non-INVITE client transaction: RFC 3261 section 17.1.2 (figure 6).
 *
 *                      |Request from TU, request sent
 *    Timer E: resend   V                    Timer F or Transport Err.
 *   (E = min(2E,T2)) trying ------------------------------> terminated
 *                      |  \ 200-699: resp. to TU             ^   ^
 *                  1xx |   \------------------> completed ---+   |
 *            resp. to TU V                      ^  (Timer K)     |
 *    Timer E: resend  proceeding --200-699------+                |
 *    (E = T2)            \----- Timer F or Transport Err. -------+
 *
 * Retransmissions (Timer E) only on unreliable transports; Timer K is T4
 * there and zero on reliable ones. Timer F and transport errors give the TU
 * a local 408 or 503 (17.1.4).
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { Transaction, type TransitionTable } from './transaction.ts';
import { transactionTimeout } from './timer-settings.ts';
import { isProvisional, type ClientTransactionUser, type LocalFailure, type TransactionContext } from './transaction-types.ts';

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const TABLE: TransitionTable<NonInviteClientState> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteClientTransaction extends Transaction<NonInviteClientState> {
  readonly kind = 'nict' as const;
  private timerEInterval = 0;
  /** Number of times the request went out (first send included). */
  sendCount = 0;

  constructor(
    ctx: TransactionContext,
    request: SipRequest,
    key: string,
    private readonly user: ClientTransactionUser,
  ) {
    super(ctx, request, key, 'trying', TABLE, 'terminated');
  }

  start(): void {
    this.sendRequest();
    if (!this.reliable) {
      this.timerEInterval = this.ctx.timers.t1;
      this.armTimerE();
    }
    this.startTimer('F', transactionTimeout(this.ctx.timers), () => this.fail(408, 'Request Timeout', 'timeout'));
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'trying':
      case 'proceeding':
        if (isProvisional(status)) {
          if (this.state === 'trying') this.transition('proceeding');
          this.user.onResponse?.(response);
        } else if (status >= 200 && status < 700) {
          this.stopTimer('E');
          this.stopTimer('F');
          this.transition('completed');
          this.user.onResponse?.(response);
          this.startTimer('K', this.reliable ? 0 : this.ctx.timers.t4, () => this.transition('terminated'));
        }
        return;
      case 'completed':
      case 'terminated':
        // Retransmitted or late responses are absorbed.
        return;
    }
  }

  private sendRequest(): void {
    this.sendCount++;
    this.transmit(this.request);
  }

  private armTimerE(): void {
    this.startTimer('E', this.timerEInterval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.sendRequest();
      // Trying doubles up to T2; Proceeding retransmits every T2 (17.1.2.2).
      this.timerEInterval = this.state === 'trying' ? Math.min(2 * this.timerEInterval, this.ctx.timers.t2) : this.ctx.timers.t2;
      this.armTimerE();
    });
  }

  private fail(status: number, reason: string, why: LocalFailure): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.transition('terminated');
    this.user.onResponse?.(createResponse(this.request, status, reason), why);
  }

  protected onTransportError(): void {
    this.fail(503, 'Service Unavailable', 'transport-error');
  }

  protected notifyTerminated(): void {
    this.user.onTerminated?.();
  }
}

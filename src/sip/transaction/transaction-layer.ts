/**
 * The transaction layer: creates client and server transactions, keeps the
 * table, matches incoming messages to it (RFC 3261 sections 17.1.3 and
 * 17.2.3, with the RFC 2543 fallback) and drops each transaction when it
 * terminates. CANCEL handling on both sides lives here too (section 9).
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';
import { createResponse } from '../../protocol/sip/response.ts';
import { toTag } from '../../protocol/sip/name-addr.ts';
import { topVia, viaBranch } from '../../protocol/sip/via.ts';
import { buildCancel } from './cancel-request.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { resolveTimerSettings, type TimerSettings } from './timer-settings.ts';
import { clientKey, clientKeyOfResponse, isLegacyKey, isRfc3261Branch, serverKey } from './transaction-key.ts';
import { TransactionStateError } from './transaction-state-error.ts';
import type { AnyTransaction, ClientTransactionUser, ServerTransactionUser, TransactionChannel, TransactionContext } from './transaction-types.ts';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** The INVITE server transaction's user may also hear about a CANCEL. */
export interface InviteServerTransactionUser extends ServerTransactionUser {
  /**
   * A CANCEL matched this INVITE and got its 200. The TU decides: normally
   * it answers the INVITE 487. Without this method the layer sends the 487.
   */
  onCancel?(cancel: SipRequest): void;
}

/** What became of an incoming request. */
export type ServerMatch =
  /** A new request: the TU must answer it through the transaction. */
  | { kind: 'new'; transaction: ServerTransaction }
  /** A retransmission (answered again with the last response if there was one). */
  | { kind: 'retransmission'; transaction: ServerTransaction }
  /** ACK for a non-2xx final response, absorbed by its INVITE transaction. */
  | { kind: 'ack-absorbed'; transaction: InviteServerTransaction }
  /** ACK that belongs to no transaction (an ACK for a 2xx): for the UAS core / dialog. */
  | { kind: 'ack'; request: SipRequest }
  /** CANCEL answered here: 200 and the INVITE handed to its TU, or 481. */
  | { kind: 'cancel'; transaction: NonInviteServerTransaction; invite?: InviteServerTransaction };

export interface TransactionLayerOptions {
  clock: Clock;
  timers?: Partial<TimerSettings>;
  logger?: Logger;
}

export class TransactionLayer {
  readonly timers: TimerSettings;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly table = new Map<string, AnyTransaction>();

  constructor(options: TransactionLayerOptions) {
    this.clock = options.clock;
    this.timers = resolveTimerSettings(options.timers);
    this.logger = options.logger;
  }

  /** Transactions alive. */
  get size(): number {
    return this.table.size;
  }

  find(key: string): AnyTransaction | undefined {
    return this.table.get(key);
  }

  /** Create and start a client transaction for `request`, which must carry our RFC 3261 branch. */
  sendRequest(request: SipRequest, channel: TransactionChannel, user: ClientTransactionUser = {}): ClientTransaction {
    if (request.method === 'ACK') throw new TransactionStateError('ack-has-no-transaction', 'an ACK for a 2xx is sent without a transaction');
    const branch = viaBranch(topVia(request));
    if (!isRfc3261Branch(branch)) throw new TransactionStateError('no-branch', 'outgoing request needs an RFC 3261 branch on its top Via');
    const key = clientKey(branch, request.method);
    if (this.table.has(key)) throw new TransactionStateError('duplicate-transaction', `a client transaction ${key} exists`);
    const ctx = this.context(channel);
    const tx = request.method === 'INVITE' ? new InviteClientTransaction(ctx, request, key, user) : new NonInviteClientTransaction(ctx, request, key, user);
    this.table.set(key, tx);
    tx.start();
    return tx;
  }

  /** Route a response to its client transaction. False when none matched (stray or for the core). */
  receiveResponse(response: SipResponse): boolean {
    const key = clientKeyOfResponse(response);
    if (key === undefined) return false;
    const tx = this.table.get(key);
    if (tx instanceof InviteClientTransaction || tx instanceof NonInviteClientTransaction) {
      tx.receiveResponse(response);
      return true;
    }
    return false;
  }

  /**
   * UAC CANCEL (9.1): build it now, send it as a non-INVITE client
   * transaction on the INVITE's channel once a provisional response has
   * arrived. Throws TransactionStateError after a final response.
   */
  cancel(invite: InviteClientTransaction, user: ClientTransactionUser = {}, reason?: string): SipRequest {
    if (invite.kind !== 'ict') throw new TransactionStateError('cancel-non-invite', 'only INVITE transactions are cancelled');
    const cancel = buildCancel(invite.request, reason);
    invite.whenProceeding(() => {
      this.sendRequest(cancel, invite.channel, user);
    });
    return cancel;
  }

  /** Match an incoming request (17.2.3) and create a server transaction when it is new. */
  receiveRequest(request: SipRequest, channel: TransactionChannel): ServerMatch {
    const method = request.method.toUpperCase();
    if (method === 'ACK') return this.receiveAck(request);
    const key = serverKey(request);
    const existing = this.table.get(key);
    if (existing instanceof InviteServerTransaction || existing instanceof NonInviteServerTransaction) {
      existing.receiveRequest();
      return { kind: 'retransmission', transaction: existing };
    }
    const ctx = this.context(channel);
    const tx = method === 'INVITE' ? new InviteServerTransaction(ctx, request, key) : new NonInviteServerTransaction(ctx, request, key);
    this.table.set(key, tx);
    if (tx instanceof InviteServerTransaction) tx.start();
    if (method === 'CANCEL' && tx instanceof NonInviteServerTransaction) return this.receiveCancel(request, tx);
    return { kind: 'new', transaction: tx };
  }

  /** Terminate everything (shutdown). */
  close(): void {
    for (const tx of [...this.table.values()]) tx.dispose();
    this.table.clear();
  }

  private receiveAck(ack: SipRequest): ServerMatch {
    const key = serverKey(ack);
    const tx = this.table.get(key);
    if (!(tx instanceof InviteServerTransaction)) return { kind: 'ack', request: ack };
    if (isLegacyKey(key)) {
      // RFC 2543 ACK matching also needs the To tag of the response we sent.
      const sentTag = tx.lastResponse ? toTag(tx.lastResponse) : undefined;
      if (sentTag !== toTag(ack)) return { kind: 'ack', request: ack };
    }
    return tx.receiveAck() ? { kind: 'ack-absorbed', transaction: tx } : { kind: 'ack', request: ack };
  }

  private receiveCancel(cancel: SipRequest, tx: NonInviteServerTransaction): ServerMatch {
    const invite = this.table.get(serverKey(cancel, 'INVITE'));
    if (!(invite instanceof InviteServerTransaction)) {
      tx.respond(createResponse(cancel, 481, 'Call/Transaction Does Not Exist'));
      return { kind: 'cancel', transaction: tx };
    }
    tx.respond(createResponse(cancel, 200, 'OK'));
    if (invite.state === 'proceeding') {
      const user = invite.user as InviteServerTransactionUser;
      if (user.onCancel) user.onCancel(cancel);
      else invite.respond(createResponse(invite.request, 487, 'Request Terminated'));
    }
    return { kind: 'cancel', transaction: tx, invite };
  }

  private context(channel: TransactionChannel): TransactionContext {
    const ctx: TransactionContext = {
      clock: this.clock,
      timers: this.timers,
      channel,
      onTerminated: (tx) => {
        if (this.table.get(tx.key) === tx) this.table.delete(tx.key);
      },
    };
    if (this.logger) ctx.logger = this.logger;
    return ctx;
  }
}

/**
 * Bank side of the simulator (SEC-7): balances and transactions of the own
 * accounts under a card, transfers between them, bill payments, PIN change
 * and card loss. A lost card refuses every further operation.
 */
import type { Clock } from '../../shared/clock.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import type { BankAccount, BankTransaction, BankTransactionKind, BillPaymentRequest, DateRange, OwnTransferRequest } from '../port.ts';
import { beijingParts } from './beijing-time.ts';
import { requireAmount, requireObject } from './securities-desk.ts';
import type { BankAccountRec, CardRec } from './world.ts';

const PAYEES = new Set(['electricity', 'water', 'gas', 'telephone', 'mobile']);

export class BankDesk {
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  accounts(card: CardRec): BankAccount[] {
    return card.accounts.map((a) => ({ accountId: a.accountId, type: a.type, balance: a.balance, available: card.lost ? 0 : a.balance }));
  }

  transactions(card: CardRec, range: DateRange, accountId?: string): BankTransaction[] {
    if (accountId !== undefined) this.account(card, accountId);
    return card.transactions.filter((t) => t.date >= range.from && t.date <= range.to && (accountId === undefined || t.accountId === accountId)).map((t) => ({ ...t }));
  }

  changePin(card: CardRec, oldPin: string, newPin: string): void {
    if (oldPin !== card.pin) throw new BackOfficeError('wrong-password', 'old PIN does not match');
    if (typeof newPin !== 'string' || !/^\d{6}$/.test(newPin)) throw new BackOfficeError('invalid-argument', 'PIN must be six digits');
    card.pin = newPin;
  }

  transfer(card: CardRec, req: OwnTransferRequest): BankTransaction {
    requireObject(req, 'transfer');
    requireAmount(req.amount);
    const from = this.account(card, req.fromAccount);
    const to = this.account(card, req.toAccount);
    if (from === to) throw new BackOfficeError('invalid-argument', 'from and to are the same account');
    this.debitCheck(from, req.amount);
    const out = this.post(card, from, 'transfer-out', -req.amount, `转至 ${to.accountId}`);
    this.post(card, to, 'transfer-in', req.amount, `转自 ${from.accountId}`);
    return out;
  }

  payBill(card: CardRec, req: BillPaymentRequest): BankTransaction {
    requireObject(req, 'bill payment');
    requireAmount(req.amount);
    if (!PAYEES.has(req.payee)) throw new BackOfficeError('invalid-argument', `unknown payee ${req.payee}`);
    if (typeof req.billNumber !== 'string' || !/^\d{4,20}$/.test(req.billNumber)) throw new BackOfficeError('invalid-argument', 'bill number must be 4-20 digits');
    const from = this.account(card, req.fromAccount);
    this.debitCheck(from, req.amount);
    return this.post(card, from, 'bill-payment', -req.amount, `缴费 ${req.payee} ${req.billNumber}`);
  }

  private debitCheck(a: BankAccountRec, amount: number): void {
    if (a.balance < amount) throw new BackOfficeError('insufficient-funds', 'balance too low', { available: a.balance });
  }

  private account(card: CardRec, accountId: string): BankAccountRec {
    const a = card.accounts.find((x) => x.accountId === accountId);
    if (!a) throw new BackOfficeError('unknown-account', `no own account ${accountId}`);
    return a;
  }

  private post(card: CardRec, a: BankAccountRec, kind: BankTransactionKind, amount: number, description: string): BankTransaction {
    const now = this.clock.now();
    a.balance += amount;
    const t: BankTransaction = { transactionId: `B${++this.seq}`, accountId: a.accountId, date: beijingParts(now).date, at: new Date(now).toISOString(), kind, amount, balanceAfter: a.balance, description };
    card.transactions.push(t);
    return { ...t };
  }
}

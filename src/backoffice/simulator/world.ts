/** The simulator's mutable records (internal; the port hands out copies). */
import type { BankAccountType, BankTransaction, Branch, FundRequestKind, Market, OrderSide, OrderStatus, ShareholderAccount, StatementEntry, YyyyMmDd } from '../port.ts';

export interface CustomerRec {
  readonly id: string;
  readonly name: string;
  readonly gender: 'M' | 'F';
  readonly branch: Branch;
  readonly phones: string[];
  readonly email?: string;
  readonly idNumber: string;
  readonly riskLevel: 'C1' | 'C2' | 'C3' | 'C4' | 'C5';
  readonly openedOn: YyyyMmDd;
  readonly fundAccounts: string[];
  readonly cardNumbers: string[];
}

export interface Lockable {
  failedAttempts: number;
  locked: boolean;
}

export interface PositionRec {
  readonly shareholderAccount: string;
  readonly code: string;
  quantity: number;
  /** Frozen by open sell orders. */
  frozen: number;
  /** Total cost, fen. */
  cost: number;
}

export interface FundRequestRec {
  readonly requestId: string;
  readonly kind: FundRequestKind;
  readonly fundCode: string;
  readonly submittedMs: number;
  readonly tradeDate: YyyyMmDd;
  amount: number;
  units: number;
  /** Confirmation or payout already applied to the account. */
  settled: boolean;
  paid: boolean;
}

export interface FundAccountRec extends Lockable {
  readonly fundAccount: string;
  readonly customerId: string;
  password: string;
  available: number;
  frozen: number;
  readonly shareholders: ShareholderAccount[];
  readonly positions: Map<string, PositionRec>;
  readonly statement: StatementEntry[];
  readonly bank: { password: string; balance: number };
  /** Fund units in hundredths, by fund code. */
  readonly fundUnits: Map<string, number>;
  readonly fundRequests: FundRequestRec[];
}

export interface OrderRec {
  readonly orderId: string;
  readonly fundAccount: string;
  readonly shareholderAccount: string;
  readonly market: Market;
  readonly side: OrderSide;
  readonly code: string;
  readonly limitPrice: number;
  readonly quantity: number;
  readonly tradingDay: YyyyMmDd;
  readonly placedMs: number;
  updatedMs: number;
  filled: number;
  fillValue: number;
  status: OrderStatus;
  reason?: string;
  /** Trading minutes of its day already matched. */
  matchedThrough: number;
}

export interface BankAccountRec {
  readonly accountId: string;
  readonly type: BankAccountType;
  balance: number;
}

export interface CardRec extends Lockable {
  readonly cardNumber: string;
  readonly customerId: string;
  pin: string;
  lost: boolean;
  lostAtMs?: number;
  readonly accounts: BankAccountRec[];
  readonly transactions: BankTransaction[];
}

export interface FundListing {
  readonly code: string;
  readonly name: string;
  /** NAV level in 1/10000 yuan around which daily NAVs wander. */
  readonly baseNav: number;
}

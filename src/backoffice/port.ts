/**
 * The BackOffice port (SEC-1, SEC-7, SEC-8, CRM-1): what the securities, fund
 * and bank packs and the agent's screen pop ask of a broker's or a bank's own
 * system. The built-in simulator implements it; so will the HTTP adapter.
 *
 * Everything crossing the port is plain JSON-ready data:
 * - Money is an integer number of fen (0.01 yuan). Integers are exact in both
 *   JavaScript and JSON (up to 2^53 fen, about 90 trillion yuan), sums never
 *   drift, and no decimal library is needed on either side. Stock prices are
 *   also fen: the A-share tick is 0.01 yuan.
 * - A fund NAV has four decimals, so it is an integer of 1/10000 yuan
 *   (`navMilli4`); fund units have two decimals: integer hundredths.
 * - Instants are ISO 8601 UTC strings (`2026-11-23T01:31:00.000Z`); business
 *   dates (trading day, statement range) are Beijing dates `YYYYMMDD`, the
 *   form callers key in on a telephone.
 * - Failures are BackOfficeError with a `code` (see backoffice-error.ts).
 *
 * Authentication returns a session token; every customer call takes it, so
 * an adapter passes it as a bearer token and never sees a password again.
 */
export { BackOfficeError, isBackOfficeError } from './backoffice-error.ts';
export type { BackOfficeErrorCode, BackOfficeErrorDetails } from './backoffice-error.ts';

/** Integer fen (0.01 CNY). */
export type Fen = number;
/** Beijing business date, `YYYYMMDD`. */
export type YyyyMmDd = string;
/** ISO 8601 instant. */
export type IsoInstant = string;

export type Market = 'SH' | 'SZ';
export type SessionKind = 'securities' | 'fund' | 'bank';

export interface Session {
  readonly token: string;
  readonly kind: SessionKind;
  readonly customerId: string;
  readonly customerName: string;
  /** The fund account (securities, fund) or card number (bank) that logged in. */
  readonly account: string;
  readonly issuedAt: IsoInstant;
}

export interface Branch {
  /** Four digits. */
  readonly code: string;
  /** 营业部 name. */
  readonly name: string;
}

/** CRM-1: the trading customer's profile as the back office knows it. */
export interface CustomerProfile {
  readonly customerId: string;
  readonly name: string;
  readonly gender: 'M' | 'F';
  readonly branch: Branch;
  /** Mobile and other phones, most used first. */
  readonly phones: readonly string[];
  readonly email?: string;
  /** ID number with the middle masked. */
  readonly idNumberMasked: string;
  readonly riskLevel: 'C1' | 'C2' | 'C3' | 'C4' | 'C5';
  readonly fundAccounts: readonly string[];
  readonly cardNumbers: readonly string[];
  readonly openedOn: YyyyMmDd;
}

/** CRM-1 / CTI-6: a fund account as the agent sees it: usable, or locked by wrong passwords. */
export type AccountStatus = 'normal' | 'locked';
/** A bank card: usable, locked by wrong PINs, or reported lost. */
export type CardStatus = 'normal' | 'locked' | 'lost';
/** 客户类别: the broker's customer class by total assets (VIP first in routing, ACD-8). */
export type CustomerClass = 'standard' | 'gold' | 'vip';

export interface FundAccountOverview {
  readonly fundAccount: string;
  readonly status: AccountStatus;
  readonly shareholderAccounts: readonly ShareholderAccount[];
  /** Orders of the current trading day still open (pending or partially filled). */
  readonly openOrders: number;
  /** Fund purchases and redemptions submitted and not yet confirmed. */
  readonly fundRequestsInProgress: number;
}

export interface CardOverview {
  readonly cardNumber: string;
  readonly status: CardStatus;
}

/**
 * CRM-1, CTI-6, CRM-5: what the agent's screen pop shows about a customer the
 * IVR authenticated: the profile, the customer class, each fund account's and
 * card's status with its shareholder accounts and open business. Read on the
 * trusted agent side (no password, no balances: an agent needs no session to
 * see them, and secrets never cross).
 */
export interface CustomerOverview {
  readonly profile: CustomerProfile;
  readonly customerClass: CustomerClass;
  readonly fundAccounts: readonly FundAccountOverview[];
  readonly cards: readonly CardOverview[];
  /** Month and day of birth, `MMDD` (birthday reminders, CRM-5); absent when unknown. */
  readonly birthday?: string;
}

export interface ShareholderAccount {
  /** Shanghai A: 'A' + 9 digits; Shenzhen: '0' + 9 digits. */
  readonly id: string;
  readonly market: Market;
  /** 1-based position in the fund account's list (the IVR announces it). */
  readonly index: number;
}

export interface Balance {
  readonly currency: 'CNY';
  /** Usable for orders and transfers out. */
  readonly available: Fen;
  /** Held for open buy orders. */
  readonly frozen: Fen;
  /** available + frozen. */
  readonly cash: Fen;
  /** Positions at the last price. */
  readonly marketValue: Fen;
  /** cash + marketValue. */
  readonly totalAssets: Fen;
}

export interface Position {
  readonly shareholderAccount: string;
  readonly code: string;
  readonly name: string;
  readonly quantity: number;
  /** Not frozen by open sell orders. */
  readonly available: number;
  /** Average cost per share, fen. */
  readonly costPrice: Fen;
  readonly lastPrice: Fen;
  readonly marketValue: Fen;
}

export interface Quote {
  readonly code: string;
  readonly name: string;
  readonly market: Market;
  /** The trading day the figures belong to. */
  readonly tradingDay: YyyyMmDd;
  readonly last: Fen;
  readonly open: Fen;
  readonly high: Fen;
  readonly low: Fen;
  readonly previousClose: Fen;
  readonly limitUp: Fen;
  readonly limitDown: Fen;
  /** Shares traded so far today. */
  readonly volume: number;
  readonly at: IsoInstant;
}

export type OrderSide = 'buy' | 'sell';
export type OrderStatus = 'pending' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected';

export interface OrderRequest {
  readonly side: OrderSide;
  readonly code: string;
  /** Limit price, fen. */
  readonly limitPrice: Fen;
  /** Shares, a positive multiple of 100. */
  readonly quantity: number;
  /** Which shareholder account; default: the first one of the code's market. */
  readonly shareholderAccount?: string;
}

export interface Order {
  readonly orderId: string;
  readonly shareholderAccount: string;
  readonly side: OrderSide;
  readonly code: string;
  readonly name: string;
  readonly limitPrice: Fen;
  readonly quantity: number;
  readonly filledQuantity: number;
  /** Average fill price, fen; 0 when nothing filled. */
  readonly averageFillPrice: Fen;
  readonly status: OrderStatus;
  /** Why it was cancelled by the system or rejected, e.g. 'expired at close'. */
  readonly reason?: string;
  readonly placedAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

export type TransferDirection = 'bank-to-securities' | 'securities-to-bank';

export interface BankSecuritiesTransferRequest {
  readonly direction: TransferDirection;
  readonly amount: Fen;
  /** Required for bank-to-securities: the linked bank account's password. */
  readonly bankPassword?: string;
}

export interface TransferReceipt {
  readonly transferId: string;
  readonly amount: Fen;
  readonly at: IsoInstant;
  /** Balance of the debited or credited account after the move (securities cash or bank). */
  readonly balanceAfter: Fen;
}

export type StatementKind = 'buy' | 'sell' | 'transfer-in' | 'transfer-out' | 'dividend' | 'interest';

export interface StatementEntry {
  readonly date: YyyyMmDd;
  readonly at: IsoInstant;
  readonly kind: StatementKind;
  /** Signed cash movement, fen. */
  readonly amount: Fen;
  /** Cash after the movement, fen. */
  readonly balanceAfter: Fen;
  readonly code?: string;
  readonly name?: string;
  readonly quantity?: number;
  readonly price?: Fen;
  readonly description: string;
}

export interface DateRange {
  readonly from: YyyyMmDd;
  readonly to: YyyyMmDd;
}

// ---- funds (SEC-8) ----

export interface FundNav {
  readonly fundCode: string;
  readonly name: string;
  /** The business day the NAV belongs to. */
  readonly date: YyyyMmDd;
  /** Unit NAV in 1/10000 yuan (1.2345 yuan = 12345). */
  readonly navMilli4: number;
  /** Accumulated NAV in 1/10000 yuan. */
  readonly accumulatedNavMilli4: number;
  /** Day change in basis points (1/100 percent). */
  readonly dayChangeBp: number;
}

export interface FundHolding {
  readonly fundCode: string;
  readonly name: string;
  /** Units in hundredths. */
  readonly units: number;
  readonly navMilli4: number;
  readonly marketValue: Fen;
}

export type FundRequestKind = 'purchase' | 'redemption';
export type FundRequestStatus = 'submitted' | 'confirmed' | 'paid' | 'failed';

export interface FundRequest {
  readonly requestId: string;
  readonly kind: FundRequestKind;
  readonly fundCode: string;
  readonly name: string;
  /** Purchase: fen paid in. Redemption: fen paid out once confirmed, else 0. */
  readonly amount: Fen;
  /** Redemption: units in hundredths; purchase: units allotted once confirmed, else 0. */
  readonly units: number;
  readonly status: FundRequestStatus;
  readonly submittedAt: IsoInstant;
  /** Business day the NAV is applied (T). */
  readonly tradeDate: YyyyMmDd;
  /** Purchase: T+1 confirmation; redemption: T+1 confirmation, money on T+3. */
  readonly expectedCompletion: YyyyMmDd;
}

// ---- bank (SEC-7) ----

export type BankAccountType = 'current' | 'savings' | 'credit';

export interface BankAccount {
  /** Own account number under the card. */
  readonly accountId: string;
  readonly type: BankAccountType;
  readonly balance: Fen;
  readonly available: Fen;
}

export type BankTransactionKind =
  | 'deposit'
  | 'withdrawal'
  | 'salary'
  | 'purchase'
  | 'transfer-in'
  | 'transfer-out'
  | 'bill-payment'
  | 'interest';

export interface BankTransaction {
  readonly transactionId: string;
  readonly accountId: string;
  readonly date: YyyyMmDd;
  readonly at: IsoInstant;
  readonly kind: BankTransactionKind;
  /** Signed, fen. */
  readonly amount: Fen;
  readonly balanceAfter: Fen;
  readonly description: string;
}

export type BillPayee = 'electricity' | 'water' | 'gas' | 'telephone' | 'mobile';

export interface BillPaymentRequest {
  readonly fromAccount: string;
  readonly payee: BillPayee;
  /** The utility's customer or bill number, digits. */
  readonly billNumber: string;
  readonly amount: Fen;
}

export interface OwnTransferRequest {
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly amount: Fen;
}

export interface BackOffice {
  // -- authentication --
  /** Securities or fund login by fund account and trading password. */
  loginWithFundAccount(kind: 'securities' | 'fund', fundAccount: string, password: string): Promise<Session>;
  /** Bank login by card number and PIN. */
  loginWithCard(cardNumber: string, pin: string): Promise<Session>;
  logout(token: string): Promise<void>;

  // -- customers (CRM-1) --
  /** The profile behind a session (the IVR's customer). */
  getProfile(token: string): Promise<CustomerProfile>;
  /** Screen pop: the profile behind a fund account or card number, no password (trusted agent side). */
  findCustomerByAccount(account: string): Promise<CustomerProfile>;
  /** Screen pop (CTI-6, CRM-5): profile, class, account and card status behind a fund account or card number (trusted agent side). */
  getCustomerOverview(account: string): Promise<CustomerOverview>;

  // -- securities (SEC-1, SEC-2) --
  listShareholderAccounts(token: string): Promise<ShareholderAccount[]>;
  getBalance(token: string): Promise<Balance>;
  /** Positions of all shareholder accounts, or of one. */
  getPositions(token: string, shareholderAccount?: string): Promise<Position[]>;
  /** Public market data, no session needed. */
  getQuote(code: string): Promise<Quote>;
  placeOrder(token: string, order: OrderRequest): Promise<Order>;
  getOrder(token: string, orderId: string): Promise<Order>;
  /** Orders of the current trading day, newest first. */
  listOrders(token: string): Promise<Order[]>;
  cancelOrder(token: string, orderId: string): Promise<Order>;
  transferBankSecurities(token: string, request: BankSecuritiesTransferRequest): Promise<TransferReceipt>;
  /** Cash statement, oldest first, both ends inclusive. */
  getStatement(token: string, range: DateRange): Promise<StatementEntry[]>;

  // -- funds (SEC-8) --
  /** Latest published NAV; public. */
  getFundNav(fundCode: string): Promise<FundNav>;
  listFundHoldings(token: string): Promise<FundHolding[]>;
  /** Purchases and redemptions with their status, newest first. */
  listFundRequests(token: string): Promise<FundRequest[]>;
  purchaseFund(token: string, fundCode: string, amount: Fen): Promise<FundRequest>;
  redeemFund(token: string, fundCode: string, units: number): Promise<FundRequest>;

  // -- bank (SEC-7) --
  listBankAccounts(token: string): Promise<BankAccount[]>;
  /** Transactions of one own account (or all), oldest first, both ends inclusive. */
  getBankTransactions(token: string, range: DateRange, accountId?: string): Promise<BankTransaction[]>;
  /** Report the session's card lost: it stops authenticating at once. */
  reportCardLoss(token: string): Promise<{ cardNumber: string; reportedAt: IsoInstant }>;
  changePin(token: string, oldPin: string, newPin: string): Promise<void>;
  transferBetweenOwnAccounts(token: string, request: OwnTransferRequest): Promise<BankTransaction>;
  payBill(token: string, request: BillPaymentRequest): Promise<BankTransaction>;
}

/**
 * The built-in back office (SEC-1, SEC-7, SEC-8, CRM-1): the BackOffice port
 * over a seeded in-memory world. Same seed and clock, same answers.
 */
import type { Clock } from '../../shared/clock.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import type {
  BackOffice, BankAccount, CustomerClass, CustomerOverview, BankSecuritiesTransferRequest, BankTransaction, Balance, BillPaymentRequest, CustomerProfile, DateRange,
  FundHolding, FundNav, FundRequest, Order, OrderRequest, OwnTransferRequest, Position, Quote, Session, SessionKind, ShareholderAccount,
  StatementEntry, TransferReceipt,
} from '../port.ts';
import { BankDesk } from './bank-desk.ts';
import { isValidDate } from './beijing-time.ts';
import { FundDesk } from './fund-desk.ts';
import { QuoteEngine } from './quote-engine.ts';
import { buildWorld, type World } from './seed-world.ts';
import { requireRange, SecuritiesDesk } from './securities-desk.ts';
import { buildUniverse, type Listing } from './stock-universe.ts';
import type { CardRec, CustomerRec, FundAccountRec } from './world.ts';
import { SessionRegistry } from './session-registry.ts';

export interface SimulatorOptions {
  readonly seed: number;
  /** Generated customers on top of the demo accounts. */
  readonly customers: number;
  /** Wrong passwords in a row that lock an account. */
  readonly maxWrongPasswords: number;
  readonly sessionIdleTimeoutMs: number;
  /** Most shares one order fills per trading minute (larger orders fill partially). */
  readonly maxFillPerMinute: number;
}

const DEFAULTS: SimulatorOptions = { seed: 20_240_101, customers: 300, maxWrongPasswords: 3, sessionIdleTimeoutMs: 30 * 60_000, maxFillPerMinute: 100_000 };

/** 客户类别 by total assets: VIP from 1,000,000 yuan, gold from 200,000 yuan (fen). */
export const CLASS_THRESHOLDS = { vip: 100_000_000, gold: 20_000_000 } as const;

function classOf(assetsFen: number): CustomerClass {
  return assetsFen >= CLASS_THRESHOLDS.vip ? 'vip' : assetsFen >= CLASS_THRESHOLDS.gold ? 'gold' : 'standard';
}

export class SimulatedBackOffice implements BackOffice {
  readonly options: SimulatorOptions;
  private readonly world: World;
  private readonly sessions: SessionRegistry;
  private readonly securities: SecuritiesDesk;
  private readonly fundDesk: FundDesk;
  private readonly bank: BankDesk;
  private readonly quotes: QuoteEngine;
  private readonly stocks: Map<string, Listing>;

  constructor(private readonly clock: Clock, options: Partial<SimulatorOptions> = {}) {
    const o = { ...DEFAULTS, ...options };
    if (!Number.isInteger(o.maxWrongPasswords) || o.maxWrongPasswords < 1) throw new RangeError('maxWrongPasswords must be >= 1');
    if (!Number.isInteger(o.maxFillPerMinute) || o.maxFillPerMinute < 100) throw new RangeError('maxFillPerMinute must be >= 100');
    this.options = o;
    this.stocks = buildUniverse(o.seed);
    this.quotes = new QuoteEngine(o.seed);
    this.world = buildWorld(o.seed, o.customers, clock.now(), this.stocks);
    this.sessions = new SessionRegistry(clock, o.maxWrongPasswords, o.sessionIdleTimeoutMs);
    this.securities = new SecuritiesDesk(clock, this.stocks, this.quotes, o.maxFillPerMinute);
    this.fundDesk = new FundDesk(clock, o.seed, this.world.funds);
    this.bank = new BankDesk(clock);
  }

  // ---- administration (not part of the port) ----

  /** Unlocks a fund account or card locked by wrong passwords; false if unknown. */
  unlock(account: string): boolean {
    const target = this.world.fundAccounts.get(account) ?? this.world.cards.get(account);
    if (!target) return false;
    target.locked = false;
    target.failedAttempts = 0;
    return true;
  }

  stockCodes(): string[] {
    return [...this.stocks.keys()];
  }

  fundCodes(): string[] {
    return [...this.world.funds.keys()];
  }

  customerCount(): number {
    return this.world.customers.size;
  }

  // ---- authentication ----

  async loginWithFundAccount(kind: 'securities' | 'fund', fundAccount: string, password: string): Promise<Session> {
    if (kind !== 'securities' && kind !== 'fund') throw new BackOfficeError('invalid-argument', 'kind must be securities or fund');
    const acct = this.world.fundAccounts.get(fundAccount);
    if (!acct) throw new BackOfficeError('unknown-account', `no fund account ${fundAccount}`);
    this.sessions.verify(acct, acct.password, password, `fund account ${fundAccount}`);
    return this.sessions.open(kind, acct.customerId, this.customer(acct.customerId).name, fundAccount);
  }

  async loginWithCard(cardNumber: string, pin: string): Promise<Session> {
    const card = this.world.cards.get(cardNumber);
    if (!card) throw new BackOfficeError('unknown-account', 'no such card');
    if (card.lost) throw new BackOfficeError('card-lost', 'the card was reported lost');
    this.sessions.verify(card, card.pin, pin, 'card');
    return this.sessions.open('bank', card.customerId, this.customer(card.customerId).name, cardNumber);
  }

  async logout(token: string): Promise<void> {
    this.sessions.close(token);
  }

  // ---- customers ----

  async getProfile(token: string): Promise<CustomerProfile> {
    return this.profile(this.customer(this.sessions.use(token, ['securities', 'fund', 'bank']).customerId));
  }

  async findCustomerByAccount(account: string): Promise<CustomerProfile> {
    const owner = this.world.fundAccounts.get(account)?.customerId ?? this.world.cards.get(account)?.customerId;
    if (!owner) throw new BackOfficeError('unknown-account', `no fund account or card ${account}`);
    return this.profile(this.customer(owner));
  }

  async getCustomerOverview(account: string): Promise<CustomerOverview> {
    const owner = typeof account === 'string' ? (this.world.fundAccounts.get(account)?.customerId ?? this.world.cards.get(account)?.customerId) : undefined;
    if (!owner) throw new BackOfficeError('unknown-account', `no fund account or card ${String(account)}`);
    const c = this.customer(owner);
    let assets = 0;
    const fundAccounts = c.fundAccounts.flatMap((id) => {
      const a = this.world.fundAccounts.get(id);
      if (!a) return [];
      assets += this.securities.balance(a).totalAssets + this.fundDesk.holdings(a).reduce((s, h) => s + h.marketValue, 0);
      const open = this.securities.list(a).filter((o) => o.status === 'pending' || o.status === 'partially-filled').length;
      const inProgress = this.fundDesk.requests(a).filter((r) => r.status === 'submitted').length;
      return [{ fundAccount: id, status: a.locked ? 'locked' as const : 'normal' as const, shareholderAccounts: a.shareholders.map((x) => ({ ...x })), openOrders: open, fundRequestsInProgress: inProgress }];
    });
    const cards = c.cardNumbers.flatMap((n) => {
      const card = this.world.cards.get(n);
      if (!card) return [];
      for (const acc of card.accounts) assets += Math.max(0, acc.balance);
      return [{ cardNumber: n, status: card.lost ? 'lost' as const : card.locked ? 'locked' as const : 'normal' as const }];
    });
    const birth = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(c.idNumber);
    return {
      profile: this.profile(c), customerClass: classOf(assets), fundAccounts, cards,
      ...(birth ? { birthday: `${birth[2]}${birth[3]}` } : {}),
    };
  }

  // ---- securities ----

  async listShareholderAccounts(token: string): Promise<ShareholderAccount[]> {
    return this.fundAccount(token, ['securities']).shareholders.map((s) => ({ ...s }));
  }

  async getBalance(token: string): Promise<Balance> {
    return this.securities.balance(this.fundAccount(token, ['securities', 'fund']));
  }

  async getPositions(token: string, shareholderAccount?: string): Promise<Position[]> {
    return this.securities.positions(this.fundAccount(token, ['securities']), shareholderAccount);
  }

  async getQuote(code: string): Promise<Quote> {
    return this.quotes.quote(this.securities.listing(code), this.clock.now());
  }

  async placeOrder(token: string, order: OrderRequest): Promise<Order> {
    return this.securities.place(this.fundAccount(token, ['securities']), order);
  }

  async getOrder(token: string, orderId: string): Promise<Order> {
    return this.securities.get(this.fundAccount(token, ['securities']), orderId);
  }

  async listOrders(token: string): Promise<Order[]> {
    return this.securities.list(this.fundAccount(token, ['securities']));
  }

  async cancelOrder(token: string, orderId: string): Promise<Order> {
    return this.securities.cancel(this.fundAccount(token, ['securities']), orderId);
  }

  async transferBankSecurities(token: string, request: BankSecuritiesTransferRequest): Promise<TransferReceipt> {
    return this.securities.transfer(this.fundAccount(token, ['securities']), request);
  }

  async getStatement(token: string, range: DateRange): Promise<StatementEntry[]> {
    const acct = this.fundAccount(token, ['securities', 'fund']);
    requireRange(range, isValidDate);
    return this.securities.statement(acct, range);
  }

  // ---- funds ----

  async getFundNav(fundCode: string): Promise<FundNav> {
    return this.fundDesk.latestNav(fundCode);
  }

  async listFundHoldings(token: string): Promise<FundHolding[]> {
    return this.fundDesk.holdings(this.fundAccount(token, ['fund']));
  }

  async listFundRequests(token: string): Promise<FundRequest[]> {
    return this.fundDesk.requests(this.fundAccount(token, ['fund']));
  }

  async purchaseFund(token: string, fundCode: string, amount: number): Promise<FundRequest> {
    return this.fundDesk.purchase(this.fundAccount(token, ['fund']), fundCode, amount);
  }

  async redeemFund(token: string, fundCode: string, units: number): Promise<FundRequest> {
    return this.fundDesk.redeem(this.fundAccount(token, ['fund']), fundCode, units);
  }

  // ---- bank ----

  async listBankAccounts(token: string): Promise<BankAccount[]> {
    return this.bank.accounts(this.card(token));
  }

  async getBankTransactions(token: string, range: DateRange, accountId?: string): Promise<BankTransaction[]> {
    const card = this.card(token);
    requireRange(range, isValidDate);
    return this.bank.transactions(card, range, accountId);
  }

  async reportCardLoss(token: string): Promise<{ cardNumber: string; reportedAt: string }> {
    const card = this.card(token);
    const now = this.clock.now();
    card.lost = true;
    card.lostAtMs = now;
    this.sessions.closeAccount(card.cardNumber);
    return { cardNumber: card.cardNumber, reportedAt: new Date(now).toISOString() };
  }

  async changePin(token: string, oldPin: string, newPin: string): Promise<void> {
    this.bank.changePin(this.card(token), oldPin, newPin);
  }

  async transferBetweenOwnAccounts(token: string, request: OwnTransferRequest): Promise<BankTransaction> {
    return this.bank.transfer(this.card(token), request);
  }

  async payBill(token: string, request: BillPaymentRequest): Promise<BankTransaction> {
    return this.bank.payBill(this.card(token), request);
  }

  // ---- helpers ----

  private fundAccount(token: string, kinds: readonly SessionKind[]): FundAccountRec {
    const s = this.sessions.use(token, kinds);
    const acct = this.world.fundAccounts.get(s.account);
    if (!acct) throw new Error(`session for missing fund account ${s.account}`);
    if (acct.locked) throw new BackOfficeError('account-locked', 'the account is locked');
    return acct;
  }

  private card(token: string): CardRec {
    const s = this.sessions.use(token, ['bank']);
    const card = this.world.cards.get(s.account);
    if (!card) throw new Error(`session for missing card ${s.account}`);
    if (card.lost) throw new BackOfficeError('card-lost', 'the card was reported lost');
    return card;
  }

  private customer(id: string): CustomerRec {
    const c = this.world.customers.get(id);
    if (!c) throw new Error(`missing customer ${id}`);
    return c;
  }

  private profile(c: CustomerRec): CustomerProfile {
    return {
      customerId: c.id, name: c.name, gender: c.gender, branch: { ...c.branch }, phones: [...c.phones], ...(c.email ? { email: c.email } : {}),
      idNumberMasked: c.idNumber.slice(0, 6) + '********' + c.idNumber.slice(-4), riskLevel: c.riskLevel,
      fundAccounts: [...c.fundAccounts], cardNumbers: [...c.cardNumbers], openedOn: c.openedOn,
    };
  }
}

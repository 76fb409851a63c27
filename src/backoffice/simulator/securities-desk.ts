/**
 * Securities side of the simulator (SEC-1): balances, positions, limit orders
 * matched minute by minute against the simulated quote, bank-securities
 * transfers and the cash statement. Buy orders freeze limit × quantity and
 * release the difference on fill or the rest on cancel; sell orders freeze
 * shares. Matching is lazy but clock-driven: each call replays the trading
 * minutes elapsed since an order was last matched, so results depend on
 * time, not on how often anyone asks. Unfilled orders expire at the close.
 * No fees, no T+1 restriction on selling shares bought today.
 */
import type { Clock } from '../../shared/clock.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import type { Balance, BankSecuritiesTransferRequest, DateRange, Order, OrderRequest, Position, StatementEntry, StatementKind, TransferReceipt } from '../port.ts';
import { beijingParts, currentTradingDay, isTradingTime, TRADING_MINUTES, tradingMinutesElapsed } from './beijing-time.ts';
import { isOpen, orderTransition } from './order-state.ts';
import type { QuoteEngine } from './quote-engine.ts';
import type { Listing } from './stock-universe.ts';
import type { FundAccountRec, OrderRec, PositionRec } from './world.ts';

export function requireAmount(amount: number, what = 'amount'): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new BackOfficeError('invalid-argument', `${what} must be a positive integer`);
}

/** Guards a request object from an untyped caller (JSON body, IVR script). */
export function requireObject(x: unknown, what: string): void {
  if (typeof x !== 'object' || x === null) throw new BackOfficeError('invalid-argument', `${what} must be an object`);
}

export function requireRange(range: DateRange, valid: (s: string) => boolean): void {
  requireObject(range, 'date range');
  if (!valid(range.from) || !valid(range.to) || range.from > range.to) throw new BackOfficeError('invalid-argument', 'date range must be YYYYMMDD..YYYYMMDD, from <= to');
}

export class SecuritiesDesk {
  private readonly orders = new Map<string, OrderRec>();
  private seq = 0;
  private transferSeq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly stocks: Map<string, Listing>,
    private readonly quotes: QuoteEngine,
    private readonly maxFillPerMinute: number,
  ) {}

  listing(code: string): Listing {
    const l = this.stocks.get(code);
    if (!l) throw new BackOfficeError('unknown-code', `no stock ${code}`);
    return l;
  }

  balance(acct: FundAccountRec): Balance {
    this.sync(acct);
    const marketValue = this.positions(acct).reduce((s, p) => s + p.marketValue, 0);
    const cash = acct.available + acct.frozen;
    return { currency: 'CNY', available: acct.available, frozen: acct.frozen, cash, marketValue, totalAssets: cash + marketValue };
  }

  positions(acct: FundAccountRec, shareholderAccount?: string): Position[] {
    this.sync(acct);
    if (shareholderAccount !== undefined && !acct.shareholders.some((s) => s.id === shareholderAccount)) {
      throw new BackOfficeError('unknown-shareholder-account', `no shareholder account ${shareholderAccount}`);
    }
    const now = this.clock.now();
    const out: Position[] = [];
    for (const p of acct.positions.values()) {
      if (p.quantity <= 0 || (shareholderAccount !== undefined && p.shareholderAccount !== shareholderAccount)) continue;
      const l = this.listing(p.code);
      const last = this.quotes.quote(l, now).last;
      out.push({ shareholderAccount: p.shareholderAccount, code: p.code, name: l.name, quantity: p.quantity, available: p.quantity - p.frozen, costPrice: Math.round(p.cost / p.quantity), lastPrice: last, marketValue: last * p.quantity });
    }
    return out;
  }

  place(acct: FundAccountRec, req: OrderRequest): Order {
    requireObject(req, 'order');
    this.sync(acct);
    if (req.side !== 'buy' && req.side !== 'sell') throw new BackOfficeError('invalid-argument', 'side must be buy or sell');
    const l = this.listing(req.code);
    if (!Number.isSafeInteger(req.quantity) || req.quantity <= 0 || req.quantity % 100 !== 0) throw new BackOfficeError('bad-lot', 'quantity must be a positive multiple of 100 shares');
    if (!Number.isSafeInteger(req.limitPrice) || req.limitPrice <= 0) throw new BackOfficeError('invalid-argument', 'limit price must be a positive integer of fen');
    const holder = req.shareholderAccount === undefined ? acct.shareholders.find((s) => s.market === l.market) : acct.shareholders.find((s) => s.id === req.shareholderAccount);
    if (!holder || holder.market !== l.market) throw new BackOfficeError('unknown-shareholder-account', `no ${l.market} shareholder account for ${req.code}`);
    const now = this.clock.now();
    if (!isTradingTime(now)) throw new BackOfficeError('market-closed', 'orders are taken 09:30-11:30 and 13:00-15:00 Beijing time on trading days');
    const day = currentTradingDay(now);
    const { limitUp, limitDown } = this.quotes.limits(l, day);
    if (req.limitPrice > limitUp || req.limitPrice < limitDown) throw new BackOfficeError('price-outside-limit', `limit price must be within ${limitDown}..${limitUp} fen`, { limitDown, limitUp });
    if (req.side === 'buy') {
      const need = req.limitPrice * req.quantity;
      if (need > acct.available) throw new BackOfficeError('insufficient-funds', `needs ${need} fen`, { available: acct.available });
      acct.available -= need;
      acct.frozen += need;
    } else {
      const p = acct.positions.get(`${holder.id}:${l.code}`);
      const free = p ? p.quantity - p.frozen : 0;
      if (!p || free < req.quantity) throw new BackOfficeError('insufficient-position', `only ${free} shares available`, { available: free });
      p.frozen += req.quantity;
    }
    const elapsed = tradingMinutesElapsed(beijingParts(now).minuteOfDay);
    const order: OrderRec = {
      orderId: `${day}${String(++this.seq).padStart(6, '0')}`, fundAccount: acct.fundAccount, shareholderAccount: holder.id, market: l.market,
      side: req.side, code: l.code, limitPrice: req.limitPrice, quantity: req.quantity, tradingDay: day, placedMs: now, updatedMs: now,
      filled: 0, fillValue: 0, status: 'pending', matchedThrough: elapsed - 1,
    };
    this.orders.set(order.orderId, order);
    this.matchOrder(acct, order);
    return this.view(order);
  }

  get(acct: FundAccountRec, orderId: string): Order {
    this.sync(acct);
    return this.view(this.own(acct, orderId));
  }

  list(acct: FundAccountRec): Order[] {
    this.sync(acct);
    const day = currentTradingDay(this.clock.now());
    return [...this.orders.values()].filter((o) => o.fundAccount === acct.fundAccount && o.tradingDay === day).reverse().map((o) => this.view(o));
  }

  cancel(acct: FundAccountRec, orderId: string): Order {
    this.sync(acct);
    const o = this.own(acct, orderId);
    o.status = orderTransition(o.status, 'cancel', o.orderId);
    this.release(acct, o);
    o.updatedMs = this.clock.now();
    return this.view(o);
  }

  transfer(acct: FundAccountRec, req: BankSecuritiesTransferRequest): TransferReceipt {
    requireObject(req, 'transfer');
    requireAmount(req.amount);
    const now = this.clock.now();
    if (req.direction === 'bank-to-securities') {
      if (req.bankPassword !== acct.bank.password) throw new BackOfficeError('wrong-password', 'wrong bank password');
      if (acct.bank.balance < req.amount) throw new BackOfficeError('insufficient-funds', 'bank balance too low', { available: acct.bank.balance });
      acct.bank.balance -= req.amount;
      acct.available += req.amount;
      this.record(acct, now, 'transfer-in', req.amount, '银行转证券');
    } else if (req.direction === 'securities-to-bank') {
      if (acct.available < req.amount) throw new BackOfficeError('insufficient-funds', 'available cash too low', { available: acct.available });
      acct.available -= req.amount;
      acct.bank.balance += req.amount;
      this.record(acct, now, 'transfer-out', -req.amount, '证券转银行');
    } else {
      throw new BackOfficeError('invalid-argument', 'direction must be bank-to-securities or securities-to-bank');
    }
    return { transferId: `T${++this.transferSeq}`, amount: req.amount, at: new Date(now).toISOString(), balanceAfter: acct.available + acct.frozen };
  }

  statement(acct: FundAccountRec, range: DateRange): StatementEntry[] {
    this.sync(acct);
    return acct.statement.filter((e) => e.date >= range.from && e.date <= range.to).map((e) => ({ ...e }));
  }

  /** Matches every open order of the account up to now and expires those of past days. */
  sync(acct: FundAccountRec): void {
    for (const o of this.orders.values()) if (o.fundAccount === acct.fundAccount && isOpen(o.status)) this.matchOrder(acct, o);
  }

  private matchOrder(acct: FundAccountRec, o: OrderRec): void {
    const now = this.clock.now();
    const today = currentTradingDay(now);
    const parts = beijingParts(now);
    const upTo = o.tradingDay !== today || parts.date !== today ? TRADING_MINUTES : tradingMinutesElapsed(parts.minuteOfDay);
    const l = this.listing(o.code);
    for (let m = o.matchedThrough + 1; m <= upTo && isOpen(o.status); m++) {
      const price = this.quotes.priceAt(l, o.tradingDay, m);
      o.matchedThrough = m;
      if (o.side === 'buy' ? o.limitPrice < price : o.limitPrice > price) continue;
      this.fill(acct, o, Math.min(o.quantity - o.filled, this.maxFillPerMinute), price, now);
    }
    // Every minute of its day matched (after 15:00, or a later day): unfilled remainder expires.
    if (isOpen(o.status) && o.matchedThrough >= TRADING_MINUTES) {
      o.status = orderTransition(o.status, 'cancel', o.orderId);
      o.reason = 'expired at close';
      this.release(acct, o);
      o.updatedMs = now;
    }
  }

  private fill(acct: FundAccountRec, o: OrderRec, qty: number, price: number, now: number): void {
    const key = `${o.shareholderAccount}:${o.code}`;
    const value = qty * price;
    if (o.side === 'buy') {
      acct.frozen -= qty * o.limitPrice;
      acct.available += qty * (o.limitPrice - price);
      const p: PositionRec = acct.positions.get(key) ?? { shareholderAccount: o.shareholderAccount, code: o.code, quantity: 0, frozen: 0, cost: 0 };
      p.quantity += qty;
      p.cost += value;
      acct.positions.set(key, p);
    } else {
      const p = acct.positions.get(key);
      if (!p) throw new Error(`sell order ${o.orderId} without a position`);
      p.cost = p.quantity === qty ? 0 : Math.round((p.cost * (p.quantity - qty)) / p.quantity);
      p.quantity -= qty;
      p.frozen -= qty;
      acct.available += value;
    }
    o.filled += qty;
    o.fillValue += value;
    o.status = orderTransition(o.status, o.filled === o.quantity ? 'fill' : 'partial-fill', o.orderId);
    o.updatedMs = now;
    const name = this.listing(o.code).name;
    this.record(acct, now, o.side, o.side === 'buy' ? -value : value, `${o.side === 'buy' ? '证券买入' : '证券卖出'} ${name}`, { code: o.code, name, quantity: qty, price });
  }

  private release(acct: FundAccountRec, o: OrderRec): void {
    const rest = o.quantity - o.filled;
    if (o.side === 'buy') {
      acct.frozen -= rest * o.limitPrice;
      acct.available += rest * o.limitPrice;
    } else {
      const p = acct.positions.get(`${o.shareholderAccount}:${o.code}`);
      if (p) p.frozen -= rest;
    }
  }

  private record(acct: FundAccountRec, now: number, kind: StatementKind, amount: number, description: string, extra: Partial<StatementEntry> = {}): void {
    acct.statement.push({ date: beijingParts(now).date, at: new Date(now).toISOString(), kind, amount, balanceAfter: acct.available + acct.frozen, description, ...extra });
  }

  private own(acct: FundAccountRec, orderId: string): OrderRec {
    const o = this.orders.get(orderId);
    if (!o || o.fundAccount !== acct.fundAccount) throw new BackOfficeError('unknown-order', `no order ${orderId}`);
    return o;
  }

  private view(o: OrderRec): Order {
    return {
      orderId: o.orderId, shareholderAccount: o.shareholderAccount, side: o.side, code: o.code, name: this.listing(o.code).name,
      limitPrice: o.limitPrice, quantity: o.quantity, filledQuantity: o.filled, averageFillPrice: o.filled ? Math.round(o.fillValue / o.filled) : 0,
      status: o.status, ...(o.reason ? { reason: o.reason } : {}), placedAt: new Date(o.placedMs).toISOString(), updatedAt: new Date(o.updatedMs).toISOString(),
    };
  }
}

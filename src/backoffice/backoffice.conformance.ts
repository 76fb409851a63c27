/**
 * One conformance suite for every BackOffice implementation (SEC-1, SEC-7,
 * SEC-8, CRM-1): the simulator in-process now, the HTTP adapter over the
 * simulator later. The factory starts a fresh back office whose clock reads
 * `startMs` and can be moved forward; fixtures name accounts and codes the
 * implementation holds (simulatorFixtures() for the built-in one).
 */
import { describe, expect, it } from 'vitest';
import { BackOfficeError, type BackOfficeErrorCode } from './backoffice-error.ts';
import type { BackOffice } from './port.ts';

export interface BackOfficeHarness {
  readonly backOffice: BackOffice;
  /** Moves the back office's clock forward. */
  advance(ms: number): void | Promise<void>;
  close?(): Promise<void>;
}

export interface ConformanceFixtures {
  /** Rich account: cash, ≥2 shareholder accounts (SH and SZ), positions, linked bank. */
  readonly rich: { fundAccount: string; password: string; bankPassword: string };
  /** An account with at most a few thousand yuan. */
  readonly poor: { fundAccount: string; password: string };
  /** An account with ten shareholder accounts. */
  readonly ten: { fundAccount: string; password: string };
  readonly fundInvestor: { fundAccount: string; password: string; heldFund: string };
  readonly card: { cardNumber: string; pin: string; currentAccount: string; savingsAccount: string };
  /** A Shanghai code the rich account holds in its first SH shareholder account. */
  readonly heldCode: string;
  readonly unknownCode: string;
  readonly unknownFund: string;
}

/** Monday 2026-11-23, Beijing time. */
const bj = (h: number, m: number, day = 23) => Date.UTC(2026, 10, day, h - 8, m);
export const IN_SESSION = bj(10, 0);
export const LUNCH = bj(12, 0);
export const BEFORE_OPEN = bj(9, 0);
export const AFTER_CLOSE = bj(15, 30);
export const SUNDAY = bj(10, 0, 22);
const MINUTE = 60_000;
const DAY = 86_400_000;

async function rejects(p: Promise<unknown>, code: BackOfficeErrorCode): Promise<BackOfficeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BackOfficeError);
    expect((e as BackOfficeError).code).toBe(code);
    return e as BackOfficeError;
  }
  throw new Error(`expected ${code}, got success`);
}

export function backOfficeConformance(name: string, factory: (startMs: number) => Promise<BackOfficeHarness>, fx: ConformanceFixtures): void {
  const withBo = (startMs: number, fn: (h: BackOfficeHarness, bo: BackOffice) => Promise<void>) => async () => {
    const h = await factory(startMs);
    try {
      await fn(h, h.backOffice);
    } finally {
      await h.close?.();
    }
  };
  const login = (bo: BackOffice, a: { fundAccount: string; password: string }) => bo.loginWithFundAccount('securities', a.fundAccount, a.password).then((s) => s.token);

  describe(`BackOffice conformance: ${name}`, () => {
    describe('authentication (SEC-1, SEC-7)', () => {
      it('logs in with fund account and trading password', withBo(IN_SESSION, async (_h, bo) => {
        const s = await bo.loginWithFundAccount('securities', fx.rich.fundAccount, fx.rich.password);
        expect(s).toMatchObject({ kind: 'securities', account: fx.rich.fundAccount });
        expect(s.token.length).toBeGreaterThan(8);
        expect(new Date(s.issuedAt).getTime()).toBe(IN_SESSION);
      }));
      it('counts wrong passwords down and locks after three, even for the right one', withBo(IN_SESSION, async (_h, bo) => {
        const e1 = await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, '000000'), 'wrong-password');
        expect(e1.details.attemptsLeft).toBe(2);
        const e2 = await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, '000001'), 'wrong-password');
        expect(e2.details.attemptsLeft).toBe(1);
        await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, '000002'), 'account-locked');
        await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, fx.rich.password), 'account-locked');
      }));
      it('a good login resets the wrong-password count', withBo(IN_SESSION, async (_h, bo) => {
        await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, 'x'), 'wrong-password');
        await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, 'y'), 'wrong-password');
        await login(bo, fx.rich);
        const e = await rejects(bo.loginWithFundAccount('securities', fx.rich.fundAccount, 'z'), 'wrong-password');
        expect(e.details.attemptsLeft).toBe(2);
      }));
      it('refuses unknown accounts and dead tokens', withBo(IN_SESSION, async (_h, bo) => {
        await rejects(bo.loginWithFundAccount('securities', '99999999', '1'), 'unknown-account');
        await rejects(bo.loginWithCard('6200000000000000', '1'), 'unknown-account');
        await rejects(bo.getBalance('no-such-token'), 'not-authenticated');
        const t = await login(bo, fx.rich);
        await bo.logout(t);
        await rejects(bo.getBalance(t), 'not-authenticated');
      }));
      it('bank login by card and PIN; a bank session cannot trade', withBo(IN_SESSION, async (_h, bo) => {
        await rejects(bo.loginWithCard(fx.card.cardNumber, '999999'), 'wrong-password');
        const s = await bo.loginWithCard(fx.card.cardNumber, fx.card.pin);
        expect(s.kind).toBe('bank');
        await rejects(bo.getBalance(s.token), 'not-permitted');
        const sec = await login(bo, fx.rich);
        await rejects(bo.listBankAccounts(sec), 'not-permitted');
      }));
    });

    describe('customers (CRM-1)', () => {
      it('profile by session and by account agree', withBo(IN_SESSION, async (_h, bo) => {
        const s = await bo.loginWithFundAccount('securities', fx.rich.fundAccount, fx.rich.password);
        const p = await bo.getProfile(s.token);
        expect(p.name).toBe(s.customerName);
        expect(p.fundAccounts).toContain(fx.rich.fundAccount);
        expect(p.branch.name.length).toBeGreaterThan(0);
        expect(await bo.findCustomerByAccount(fx.rich.fundAccount)).toEqual(p);
        expect((await bo.findCustomerByAccount(fx.card.cardNumber)).cardNumbers).toContain(fx.card.cardNumber);
        await rejects(bo.findCustomerByAccount('nobody'), 'unknown-account');
      }));
      it('screen-pop overview: profile, class, shareholder accounts, open orders, birthday; no secrets (CTI-6)', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const o = await bo.getCustomerOverview(fx.rich.fundAccount);
        expect(o.profile).toEqual(await bo.getProfile(t));
        expect(['standard', 'gold', 'vip']).toContain(o.customerClass);
        const acct = o.fundAccounts.find((a) => a.fundAccount === fx.rich.fundAccount);
        expect(acct?.status).toBe('normal');
        expect(acct?.shareholderAccounts).toEqual(await bo.listShareholderAccounts(t));
        const q = await bo.getQuote(fx.heldCode);
        await bo.placeOrder(t, { side: 'buy', code: fx.heldCode, limitPrice: q.limitDown, quantity: 100 });
        const open = (await bo.listOrders(t)).filter((x) => x.status === 'pending' || x.status === 'partially-filled').length;
        expect((await bo.getCustomerOverview(fx.rich.fundAccount)).fundAccounts.find((a) => a.fundAccount === fx.rich.fundAccount)?.openOrders).toBe(open);
        if (o.birthday !== undefined) expect(o.birthday).toMatch(/^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
        expect(JSON.stringify(o)).not.toContain(fx.rich.password);
        expect(JSON.stringify(o)).not.toContain(fx.rich.bankPassword);
        await rejects(bo.getCustomerOverview('nobody'), 'unknown-account');
      }));
      it('screen-pop overview shows a locked account and a lost card (CTI-6, CRM-5)', withBo(IN_SESSION, async (_h, bo) => {
        for (const pw of ['000000', '000001', '000002']) await bo.loginWithFundAccount('securities', fx.rich.fundAccount, pw).catch(() => undefined);
        const o = await bo.getCustomerOverview(fx.rich.fundAccount);
        expect(o.fundAccounts.find((a) => a.fundAccount === fx.rich.fundAccount)?.status).toBe('locked');
        const s = await bo.loginWithCard(fx.card.cardNumber, fx.card.pin);
        expect((await bo.getCustomerOverview(fx.card.cardNumber)).cards.find((c) => c.cardNumber === fx.card.cardNumber)?.status).toBe('normal');
        await bo.reportCardLoss(s.token);
        const c = await bo.getCustomerOverview(fx.card.cardNumber);
        expect(c.cards.find((x) => x.cardNumber === fx.card.cardNumber)?.status).toBe('lost');
        expect(c.profile.cardNumbers).toContain(fx.card.cardNumber);
      }));
    });

    describe('accounts, balances, positions (SEC-1, SEC-2)', () => {
      it('lists shareholder accounts in both markets with the right formats; up to ten', withBo(IN_SESSION, async (_h, bo) => {
        const list = await bo.listShareholderAccounts(await login(bo, fx.rich));
        expect(list.length).toBeGreaterThanOrEqual(2);
        for (const a of list) expect(a.id).toMatch(a.market === 'SH' ? /^A\d{9}$/ : /^0\d{9}$/);
        expect(new Set(list.map((a) => a.market))).toEqual(new Set(['SH', 'SZ']));
        const ten = await bo.listShareholderAccounts(await login(bo, fx.ten));
        expect(ten.map((a) => a.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }));
      it('balance adds up and positions carry prices', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const b = await bo.getBalance(t);
        const pos = await bo.getPositions(t);
        expect(b.cash).toBe(b.available + b.frozen);
        expect(b.marketValue).toBe(pos.reduce((s, p) => s + p.marketValue, 0));
        expect(b.totalAssets).toBe(b.cash + b.marketValue);
        const held = pos.find((p) => p.code === fx.heldCode);
        expect(held?.quantity).toBeGreaterThan(0);
        expect(held?.marketValue).toBe((held?.lastPrice ?? 0) * (held?.quantity ?? 0));
        const first = pos[0]?.shareholderAccount ?? '';
        expect((await bo.getPositions(t, first)).every((p) => p.shareholderAccount === first)).toBe(true);
        await rejects(bo.getPositions(t, 'A999999999'), 'unknown-shareholder-account');
      }));
    });

    describe('quotes (SEC-1)', () => {
      it('a known code has a consistent quote inside the daily limit', withBo(IN_SESSION, async (_h, bo) => {
        const q = await bo.getQuote(fx.heldCode);
        expect(q.code).toBe(fx.heldCode);
        expect(q.name.length).toBeGreaterThan(0);
        expect(q.tradingDay).toBe('20261123');
        expect(q.limitUp).toBe(Math.round(q.previousClose * 1.1));
        expect(q.limitDown).toBe(Math.round(q.previousClose * 0.9));
        expect(q.limitDown).toBeLessThanOrEqual(q.low);
        expect(q.low).toBeLessThanOrEqual(q.last);
        expect(q.last).toBeLessThanOrEqual(q.high);
        expect(q.high).toBeLessThanOrEqual(q.limitUp);
        expect(q.volume).toBeGreaterThan(0);
      }));
      it('prices move with the clock and volume grows', withBo(IN_SESSION, async (h, bo) => {
        const before = await bo.getQuote(fx.heldCode);
        await h.advance(60 * MINUTE);
        const after = await bo.getQuote(fx.heldCode);
        expect(after.volume).toBeGreaterThan(before.volume);
        expect(after.high).toBeGreaterThanOrEqual(before.high);
        expect(after.low).toBeLessThanOrEqual(before.low);
        expect(after.open).toBe(before.open);
      }));
      it('an unknown code is refused', withBo(IN_SESSION, async (_h, bo) => {
        await rejects(bo.getQuote(fx.unknownCode), 'unknown-code');
      }));
    });

    describe('orders (SEC-1, SEC-2)', () => {
      it('a buy at the limit-up price fills against the quote, moving cash and shares', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const q = await bo.getQuote(fx.heldCode);
        const b0 = await bo.getBalance(t);
        const p0 = (await bo.getPositions(t)).find((p) => p.code === fx.heldCode)?.quantity ?? 0;
        const o = await bo.placeOrder(t, { side: 'buy', code: fx.heldCode, limitPrice: q.limitUp, quantity: 200 });
        expect(o.status).toBe('filled');
        expect(o.filledQuantity).toBe(200);
        expect(o.averageFillPrice).toBe(q.last);
        const b1 = await bo.getBalance(t);
        expect(b1.available).toBe(b0.available - 200 * q.last);
        expect(b1.frozen).toBe(b0.frozen);
        expect((await bo.getPositions(t)).find((p) => p.code === fx.heldCode)?.quantity).toBe(p0 + 200);
        expect((await bo.getOrder(t, o.orderId)).status).toBe('filled');
        await rejects(bo.cancelOrder(t, o.orderId), 'order-not-cancellable');
      }));
      it('a buy below the market waits with funds frozen; cancel releases them', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const q = await bo.getQuote(fx.heldCode);
        const b0 = await bo.getBalance(t);
        const o = await bo.placeOrder(t, { side: 'buy', code: fx.heldCode, limitPrice: q.limitDown, quantity: 100 });
        expect(o.status).toBe('pending');
        const b1 = await bo.getBalance(t);
        expect(b1.frozen).toBe(b0.frozen + 100 * q.limitDown);
        expect(b1.available).toBe(b0.available - 100 * q.limitDown);
        expect((await bo.listOrders(t)).map((x) => x.orderId)).toContain(o.orderId);
        const c = await bo.cancelOrder(t, o.orderId);
        expect(c.status).toBe('cancelled');
        expect(await bo.getBalance(t)).toMatchObject({ frozen: b0.frozen, available: b0.available });
        await rejects(bo.cancelOrder(t, o.orderId), 'order-not-cancellable');
      }));
      it('a sell at the limit-down price fills; selling more than held is refused', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const held = (await bo.getPositions(t)).find((p) => p.code === fx.heldCode);
        const q = await bo.getQuote(fx.heldCode);
        const e = await rejects(bo.placeOrder(t, { side: 'sell', code: fx.heldCode, limitPrice: q.last, quantity: (held?.available ?? 0) + 100 }), 'insufficient-position');
        expect(e.details.available).toBe(held?.available);
        const o = await bo.placeOrder(t, { side: 'sell', code: fx.heldCode, limitPrice: q.limitDown, quantity: 100 });
        expect(o.status).toBe('filled');
      }));
      it('an unfilled order expires at the close', withBo(IN_SESSION, async (h, bo) => {
        const t = await login(bo, fx.rich);
        const q = await bo.getQuote(fx.heldCode);
        const o = await bo.placeOrder(t, { side: 'buy', code: fx.heldCode, limitPrice: q.limitDown, quantity: 100 });
        await h.advance(AFTER_CLOSE - IN_SESSION);
        const t2 = await login(bo, fx.rich);
        const later = await bo.getOrder(t2, o.orderId);
        // Filled if the walk touched the limit-down price during the day, else expired.
        if (later.filledQuantity === 100) expect(later.status).toBe('filled');
        else expect(later).toMatchObject({ status: 'cancelled', filledQuantity: 0, reason: 'expired at close' });
        expect((await bo.getBalance(t2)).frozen).toBe(0);
      }));
      it.each([
        ['bad lot', { quantity: 150 }, 'bad-lot'],
        ['zero lot', { quantity: 0 }, 'bad-lot'],
        ['above limit up', { priceDelta: 1 }, 'price-outside-limit'],
        ['unknown code', { code: 'unknown' }, 'unknown-code'],
      ] as const)('refuses %s', (_label, over, code) => withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const q = await bo.getQuote(fx.heldCode);
        const o = over as { quantity?: number; priceDelta?: number; code?: string };
        await rejects(bo.placeOrder(t, {
          side: 'buy', code: o.code === 'unknown' ? fx.unknownCode : fx.heldCode,
          limitPrice: q.limitUp + (o.priceDelta ?? 0), quantity: o.quantity ?? 100,
        }), code);
      })());
      it('refuses a buy beyond the available cash', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.poor);
        const q = await bo.getQuote(fx.heldCode);
        const b = await bo.getBalance(t);
        const e = await rejects(bo.placeOrder(t, { side: 'buy', code: fx.heldCode, limitPrice: q.limitUp, quantity: 100 * (Math.floor(b.available / (q.limitUp * 100)) + 1) }), 'insufficient-funds');
        expect(e.details.available).toBe(b.available);
      }));
      it('unknown order ids are refused', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        await rejects(bo.getOrder(t, 'nope'), 'unknown-order');
        await rejects(bo.cancelOrder(t, 'nope'), 'unknown-order');
      }));
      it.each([
        ['before the open', BEFORE_OPEN],
        ['at lunch', LUNCH],
        ['after the close', AFTER_CLOSE],
        ['on Sunday', SUNDAY],
      ])('market closed %s', (_label, at) => withBo(at, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const q = await bo.getQuote(fx.heldCode);
        await rejects(bo.placeOrder(t, { side: 'buy', code: fx.heldCode, limitPrice: q.limitUp, quantity: 100 }), 'market-closed');
      })());
    });

    describe('transfers and statements (SEC-1, SEC-2)', () => {
      it('moves money both ways and shows it in the statement', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const b0 = await bo.getBalance(t);
        await rejects(bo.transferBankSecurities(t, { direction: 'bank-to-securities', amount: 100_00, bankPassword: 'wrong' }), 'wrong-password');
        const r = await bo.transferBankSecurities(t, { direction: 'bank-to-securities', amount: 1_000_00, bankPassword: fx.rich.bankPassword });
        expect(r.amount).toBe(1_000_00);
        expect((await bo.getBalance(t)).available).toBe(b0.available + 1_000_00);
        await bo.transferBankSecurities(t, { direction: 'securities-to-bank', amount: 400_00 });
        expect((await bo.getBalance(t)).available).toBe(b0.available + 600_00);
        await rejects(bo.transferBankSecurities(t, { direction: 'securities-to-bank', amount: b0.available + 600_01 }), 'insufficient-funds');
        await rejects(bo.transferBankSecurities(t, { direction: 'securities-to-bank', amount: -5 }), 'invalid-argument');
        const today = await bo.getStatement(t, { from: '20261123', to: '20261123' });
        expect(today.map((e) => [e.kind, e.amount])).toEqual([['transfer-in', 1_000_00], ['transfer-out', -400_00]]);
        expect(today[1]?.balanceAfter).toBe(b0.cash + 600_00);
      }));
      it('statement respects the date range and refuses bad dates', withBo(IN_SESSION, async (_h, bo) => {
        const t = await login(bo, fx.rich);
        const month = await bo.getStatement(t, { from: '20261001', to: '20261122' });
        expect(month.length).toBeGreaterThan(0);
        for (const e of month) {
          expect(e.date >= '20261001' && e.date <= '20261122').toBe(true);
          expect(e.date).toMatch(/^\d{8}$/);
        }
        expect(await bo.getStatement(t, { from: '20200101', to: '20200131' })).toEqual([]);
        await rejects(bo.getStatement(t, { from: '20261301', to: '20261302' }), 'invalid-argument');
        await rejects(bo.getStatement(t, { from: '20261122', to: '20261101' }), 'invalid-argument');
      }));
    });

    describe('funds (SEC-8)', () => {
      it('NAV of a known fund; unknown fund refused', withBo(IN_SESSION, async (_h, bo) => {
        const nav = await bo.getFundNav(fx.fundInvestor.heldFund);
        expect(nav.date).toBe('20261120');
        expect(nav.navMilli4).toBeGreaterThan(0);
        expect(Number.isInteger(nav.dayChangeBp)).toBe(true);
        await rejects(bo.getFundNav(fx.unknownFund), 'unknown-fund');
      }));
      it('purchase confirms on T+1, redemption pays on T+3', withBo(IN_SESSION, async (h, bo) => {
        const t = (await bo.loginWithFundAccount('fund', fx.fundInvestor.fundAccount, fx.fundInvestor.password)).token;
        const held = (await bo.listFundHoldings(t)).find((x) => x.fundCode === fx.fundInvestor.heldFund);
        expect(held?.units).toBeGreaterThan(0);
        const p = await bo.purchaseFund(t, fx.fundInvestor.heldFund, 1_000_00);
        expect(p).toMatchObject({ status: 'submitted', tradeDate: '20261123', expectedCompletion: '20261124' });
        const r = await bo.redeemFund(t, fx.fundInvestor.heldFund, 100_00);
        expect(r).toMatchObject({ status: 'submitted', expectedCompletion: '20261126' });
        await rejects(bo.redeemFund(t, fx.fundInvestor.heldFund, 10 ** 12), 'insufficient-position');
        await h.advance(DAY);
        const t2 = (await bo.loginWithFundAccount('fund', fx.fundInvestor.fundAccount, fx.fundInvestor.password)).token;
        const mid = await bo.listFundRequests(t2);
        expect(mid.find((x) => x.requestId === p.requestId)?.status).toBe('confirmed');
        expect(mid.find((x) => x.requestId === p.requestId)?.units).toBeGreaterThan(0);
        expect(mid.find((x) => x.requestId === r.requestId)?.status).toBe('confirmed');
        await h.advance(3 * DAY);
        const t3 = (await bo.loginWithFundAccount('fund', fx.fundInvestor.fundAccount, fx.fundInvestor.password)).token;
        expect((await bo.listFundRequests(t3)).find((x) => x.requestId === r.requestId)?.status).toBe('paid');
      }));
    });

    describe('wire shape (for the HTTP adapter)', () => {
      it('every answer is plain JSON data with integer money', withBo(IN_SESSION, async (_h, bo) => {
        const s = await bo.loginWithFundAccount('securities', fx.rich.fundAccount, fx.rich.password);
        const q = await bo.getQuote(fx.heldCode);
        const answers: unknown[] = [
          s, await bo.getProfile(s.token), await bo.getBalance(s.token), await bo.getPositions(s.token), q,
          await bo.placeOrder(s.token, { side: 'buy', code: fx.heldCode, limitPrice: q.limitDown, quantity: 100 }),
          await bo.getStatement(s.token, { from: '20261001', to: '20261123' }), await bo.getFundNav(fx.fundInvestor.heldFund),
        ];
        for (const a of answers) expect(JSON.parse(JSON.stringify(a))).toEqual(a);
        const b = await bo.getBalance(s.token);
        for (const v of [b.available, b.frozen, b.totalAssets, q.last, q.limitUp, q.previousClose]) expect(Number.isSafeInteger(v)).toBe(true);
        const e = await rejects(bo.getQuote(fx.unknownCode), 'unknown-code');
        expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: 'unknown-code' });
      }));
    });

    describe('bank (SEC-7)', () => {
      const card = async (bo: BackOffice) => (await bo.loginWithCard(fx.card.cardNumber, fx.card.pin)).token;
      it('balances, transaction details by range', withBo(IN_SESSION, async (_h, bo) => {
        const t = await card(bo);
        const accounts = await bo.listBankAccounts(t);
        expect(accounts.map((a) => a.accountId).sort()).toEqual([fx.card.currentAccount, fx.card.savingsAccount].sort());
        const tx = await bo.getBankTransactions(t, { from: '20260901', to: '20261122' }, fx.card.currentAccount);
        expect(tx.length).toBeGreaterThan(0);
        expect(tx.at(-1)?.balanceAfter).toBe(accounts.find((a) => a.accountId === fx.card.currentAccount)?.balance);
        await rejects(bo.getBankTransactions(t, { from: '2026-09-01', to: '20261122' }), 'invalid-argument');
        await rejects(bo.getBankTransactions(t, { from: '20260901', to: '20261122' }, 'nope'), 'unknown-account');
      }));
      it('transfers between own accounts and pays bills', withBo(IN_SESSION, async (_h, bo) => {
        const t = await card(bo);
        const bal = async (id: string) => (await bo.listBankAccounts(t)).find((a) => a.accountId === id)?.balance ?? NaN;
        const cur = await bal(fx.card.currentAccount);
        const sav = await bal(fx.card.savingsAccount);
        const tx = await bo.transferBetweenOwnAccounts(t, { fromAccount: fx.card.savingsAccount, toAccount: fx.card.currentAccount, amount: 500_00 });
        expect(tx.amount).toBe(-500_00);
        expect(await bal(fx.card.savingsAccount)).toBe(sav - 500_00);
        expect(await bal(fx.card.currentAccount)).toBe(cur + 500_00);
        await rejects(bo.transferBetweenOwnAccounts(t, { fromAccount: fx.card.currentAccount, toAccount: fx.card.savingsAccount, amount: cur + 500_01 }), 'insufficient-funds');
        const bill = await bo.payBill(t, { fromAccount: fx.card.currentAccount, payee: 'electricity', billNumber: '123456789', amount: 88_50 });
        expect(bill).toMatchObject({ kind: 'bill-payment', amount: -88_50, balanceAfter: cur + 500_00 - 88_50, date: '20261123' });
        await rejects(bo.payBill(t, { fromAccount: fx.card.currentAccount, payee: 'electricity', billNumber: 'abc', amount: 1 }), 'invalid-argument');
      }));
      it('PIN change takes effect', withBo(IN_SESSION, async (_h, bo) => {
        const t = await card(bo);
        await rejects(bo.changePin(t, '000000', '654321'), 'wrong-password');
        await rejects(bo.changePin(t, fx.card.pin, '12ab'), 'invalid-argument');
        await bo.changePin(t, fx.card.pin, '654321');
        await rejects(bo.loginWithCard(fx.card.cardNumber, fx.card.pin), 'wrong-password');
        expect((await bo.loginWithCard(fx.card.cardNumber, '654321')).kind).toBe('bank');
      }));
      it('a card reported lost stops at once', withBo(IN_SESSION, async (_h, bo) => {
        const t = await card(bo);
        const r = await bo.reportCardLoss(t);
        expect(r.cardNumber).toBe(fx.card.cardNumber);
        await rejects(bo.listBankAccounts(t), 'not-authenticated');
        await rejects(bo.loginWithCard(fx.card.cardNumber, fx.card.pin), 'card-lost');
      }));
    });
  });
}

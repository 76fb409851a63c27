import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { backOfficeConformance, IN_SESSION } from '../backoffice.conformance.ts';
import { DEMO, simulatorFixtures } from './simulator-fixtures.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import { SimulatedBackOffice } from './simulated-back-office.ts';

backOfficeConformance('simulator in-process', async (startMs) => {
  const clock = new FakeClock(startMs);
  return { backOffice: new SimulatedBackOffice(clock), advance: (ms) => clock.advance(ms) };
}, simulatorFixtures());

const { rich, card } = DEMO;

describe('SimulatedBackOffice (SEC-1, CRM-1)', () => {
  it('is deterministic for a seed', async () => {
    const a = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    const b = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    expect(a.stockCodes()).toEqual(b.stockCodes());
    expect(await a.getQuote('002001')).toEqual(await b.getQuote('002001'));
    expect(await a.findCustomerByAccount('10001005')).toEqual(await b.findCustomerByAccount('10001005'));
    const c = new SimulatedBackOffice(new FakeClock(IN_SESSION), { seed: 7 });
    expect((await c.getQuote('600000')).name).not.toBe((await a.getQuote('600000')).name);
  });

  it('holds a few hundred customers and about 300 stocks of the right boards', () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    expect(bo.customerCount()).toBeGreaterThanOrEqual(300);
    const codes = bo.stockCodes();
    expect(codes.length).toBe(300);
    for (const c of codes) expect(c).toMatch(/^(600|601|603|000|002|300)\d{3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('exposes the README demo account 10000001 / 135790', async () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    const s = await bo.loginWithFundAccount('securities', '10000001', '135790');
    expect(s.customerName).toBe(rich.name);
    expect((await bo.getPositions(s.token)).length).toBe(rich.positions.length);
    expect((await bo.getBalance(s.token)).available).toBe(rich.cash);
  });

  it('admin unlock; lock threshold is configurable', async () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION), { maxWrongPasswords: 5 });
    for (let i = 0; i < 4; i++) await expect(bo.loginWithFundAccount('securities', '10000001', 'x')).rejects.toMatchObject({ code: 'wrong-password' });
    await expect(bo.loginWithFundAccount('securities', '10000001', 'x')).rejects.toMatchObject({ code: 'account-locked' });
    expect(bo.unlock('10000001')).toBe(true);
    expect(bo.unlock('nope')).toBe(false);
    expect((await bo.loginWithFundAccount('securities', '10000001', '135790')).kind).toBe('securities');
  });

  it('large orders fill partially per minute and finish as time passes', async () => {
    const clock = new FakeClock(IN_SESSION);
    const bo = new SimulatedBackOffice(clock, { maxFillPerMinute: 100 });
    const t = (await bo.loginWithFundAccount('securities', '10000001', '135790')).token;
    const q = await bo.getQuote('600000');
    const o = await bo.placeOrder(t, { side: 'buy', code: '600000', limitPrice: q.limitUp, quantity: 300 });
    expect(o).toMatchObject({ status: 'partially-filled', filledQuantity: 100 });
    clock.advance(2 * 60_000);
    expect(await bo.getOrder(t, o.orderId)).toMatchObject({ status: 'filled', filledQuantity: 300 });
    expect((await bo.getBalance(t)).frozen).toBe(0);
  });

  it('sessions expire after the idle timeout', async () => {
    const clock = new FakeClock(IN_SESSION);
    const bo = new SimulatedBackOffice(clock, { sessionIdleTimeoutMs: 60_000 });
    const t = (await bo.loginWithFundAccount('securities', '10000001', '135790')).token;
    clock.advance(30_000);
    await bo.getBalance(t);
    clock.advance(59_000);
    await bo.getBalance(t);
    clock.advance(61_000);
    await expect(bo.getBalance(t)).rejects.toMatchObject({ code: 'not-authenticated' });
  });

  it('an order left open on Friday expires, and its funds come back, by Sunday', async () => {
    const friday = Date.UTC(2026, 10, 27, 14 - 8, 0);
    const clock = new FakeClock(friday);
    const bo = new SimulatedBackOffice(clock);
    const t = (await bo.loginWithFundAccount('securities', '10000001', '135790')).token;
    const q = await bo.getQuote('601001');
    const o = await bo.placeOrder(t, { side: 'buy', code: '601001', limitPrice: q.limitDown, quantity: 100 });
    expect(o.status).toBe('pending');
    clock.advance(2 * 86_400_000);
    const t2 = (await bo.loginWithFundAccount('securities', '10000001', '135790')).token;
    const later = await bo.getOrder(t2, o.orderId);
    expect(later.status === 'filled' || later.reason === 'expired at close').toBe(true);
    expect((await bo.getBalance(t2)).frozen).toBe(0);
  });

  it('bank card history never goes negative and ends at the balance', async () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    const s = await bo.loginWithCard(card.cardNumber, card.pin);
    const tx = await bo.getBankTransactions(s.token, { from: '20260101', to: '20261231' }, card.currentAccount);
    expect(tx.length).toBeGreaterThan(5);
    for (const x of tx) expect(x.balanceAfter).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < tx.length; i++) expect(tx[i]?.balanceAfter).toBe((tx[i - 1]?.balanceAfter ?? 0) + (tx[i]?.amount ?? 0));
    expect(tx.at(-1)?.balanceAfter).toBe(card.currentBalance);
  });
});

describe('SimulatedBackOffice refuses garbage with typed errors, never a crash (SEC-1)', () => {
  const junk: unknown[] = [undefined, null, 42, 'x', {}, { side: 'buy' }, { from: 1, to: null }, []];
  it('for every method and every junk argument', async () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    const sec = (await bo.loginWithFundAccount('securities', DEMO.rich.fundAccount, DEMO.rich.password)).token;
    const fund = (await bo.loginWithFundAccount('fund', DEMO.investor.fundAccount, DEMO.investor.password)).token;
    const bank = (await bo.loginWithCard(DEMO.card.cardNumber, DEMO.card.pin)).token;
    const any = bo as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const calls: Array<[string, (j: unknown) => unknown[]]> = [
      ['getQuote', (j) => [j]],
      ['getFundNav', (j) => [j]],
      ['findCustomerByAccount', (j) => [j]],
      ['getCustomerOverview', (j) => [j]],
      ['loginWithCard', (j) => [j, j]],
      ['placeOrder', (j) => [sec, j]],
      ['getOrder', (j) => [sec, j]],
      ['cancelOrder', (j) => [sec, j]],
      ['getPositions', (j) => [sec, j]],
      ['transferBankSecurities', (j) => [sec, j]],
      ['getStatement', (j) => [sec, j]],
      ['purchaseFund', (j) => [fund, j, j]],
      ['redeemFund', (j) => [fund, j, j]],
      ['getBankTransactions', (j) => [bank, j]],
      ['transferBetweenOwnAccounts', (j) => [bank, j]],
      ['payBill', (j) => [bank, j]],
      ['changePin', (j) => [bank, j, j]],
      ['getBalance', (j) => [j]],
    ];
    let refused = 0;
    for (const [method, args] of calls) {
      for (const j of junk) {
        const fn = any[method];
        if (!fn) throw new Error(`no method ${method}`);
        const outcome = await fn.apply(bo, args(j)).then(() => 'ok', (e: unknown) => e);
        if (outcome === 'ok') continue;
        expect(outcome, `${method}(${JSON.stringify(j)})`).toBeInstanceOf(BackOfficeError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(calls.length * junk.length - 20);
  });
});

describe('simulator seed data (SEC-1, CRM-1)', () => {
  it('every demo account starts with exactly its declared cash, and statements chain to it', async () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    for (const d of [DEMO.rich, DEMO.ten, DEMO.poor]) {
      const t = (await bo.loginWithFundAccount('securities', d.fundAccount, d.password)).token;
      expect((await bo.getBalance(t)).available).toBe(d.cash);
      const st = await bo.getStatement(t, { from: '20260101', to: '20261231' });
      for (let i = 1; i < st.length; i++) expect(st[i]?.balanceAfter).toBe((st[i - 1]?.balanceAfter ?? 0) + (st[i]?.amount ?? 0));
      if (st.length > 0) expect(st.at(-1)?.balanceAfter).toBe(d.cash);
      for (const e of st) expect(e.balanceAfter).toBeGreaterThanOrEqual(0);
    }
  });

  it('generated customers have Chinese names, branches, valid-looking ID numbers', async () => {
    const bo = new SimulatedBackOffice(new FakeClock(IN_SESSION));
    const branches = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = await bo.findCustomerByAccount(String(10_001_000 + i));
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(p.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(p.phones[0]).toMatch(/^1[3589]\d{9}$/);
      branches.add(p.branch.name);
    }
    expect(branches.size).toBeGreaterThanOrEqual(4);
  });
});

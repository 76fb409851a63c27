/**
 * Fund side of the simulator (SEC-8): a daily NAV per fund drawn around its
 * base level (published at 15:00 Beijing time for the day), purchases
 * (cash debited at once, units allotted at T's NAV on T+1) and redemptions
 * (units taken at once, money on T+3). T is today before 15:00 on a trading
 * day, else the next trading day. Statuses follow the clock.
 */
import type { Clock } from '../../shared/clock.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import type { FundHolding, FundNav, FundRequest, YyyyMmDd } from '../port.ts';
import { AFTERNOON_CLOSE, beijingParts, currentTradingDay, isWeekday, nextTradingDay, previousTradingDay } from './beijing-time.ts';
import { SeededRandom } from './seeded-random.ts';
import { requireAmount } from './securities-desk.ts';
import type { FundAccountRec, FundListing, FundRequestRec } from './world.ts';

export class FundDesk {
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly seed: number,
    private readonly funds: Map<string, FundListing>,
  ) {}

  fund(code: string): FundListing {
    const f = this.funds.get(code);
    if (!f) throw new BackOfficeError('unknown-fund', `no fund ${code}`);
    return f;
  }

  navOn(f: FundListing, day: YyyyMmDd): number {
    const rng = SeededRandom.forKey(this.seed, `nav:${f.code}:${day}`);
    return Math.round(f.baseNav * (0.95 + rng.next() * 0.1));
  }

  latestNav(code: string): FundNav {
    const f = this.fund(code);
    const now = this.clock.now();
    const p = beijingParts(now);
    const today = currentTradingDay(now);
    const date = p.date === today && p.minuteOfDay >= AFTERNOON_CLOSE ? today : previousTradingDay(today);
    const nav = this.navOn(f, date);
    const before = this.navOn(f, previousTradingDay(date));
    return { fundCode: f.code, name: f.name, date, navMilli4: nav, accumulatedNavMilli4: nav + Math.round(f.baseNav * 0.2), dayChangeBp: Math.round(((nav - before) / before) * 10_000) };
  }

  holdings(acct: FundAccountRec): FundHolding[] {
    this.settle(acct);
    return [...acct.fundUnits].filter(([, u]) => u > 0).map(([code, units]) => {
      const nav = this.latestNav(code);
      return { fundCode: code, name: nav.name, units, navMilli4: nav.navMilli4, marketValue: Math.round((units * nav.navMilli4) / 10_000) };
    });
  }

  requests(acct: FundAccountRec): FundRequest[] {
    this.settle(acct);
    return acct.fundRequests.map((r) => this.view(r)).reverse();
  }

  purchase(acct: FundAccountRec, code: string, amount: number): FundRequest {
    this.fund(code);
    requireAmount(amount);
    if (amount > acct.available) throw new BackOfficeError('insufficient-funds', 'available cash too low', { available: acct.available });
    acct.available -= amount;
    return this.submit(acct, 'purchase', code, amount, 0);
  }

  redeem(acct: FundAccountRec, code: string, units: number): FundRequest {
    this.fund(code);
    requireAmount(units, 'units');
    const held = acct.fundUnits.get(code) ?? 0;
    if (units > held) throw new BackOfficeError('insufficient-position', `only ${held} hundredth units held`, { available: held });
    acct.fundUnits.set(code, held - units);
    return this.submit(acct, 'redemption', code, 0, units);
  }

  private submit(acct: FundAccountRec, kind: 'purchase' | 'redemption', fundCode: string, amount: number, units: number): FundRequest {
    const now = this.clock.now();
    const p = beijingParts(now);
    const tradeDate = isWeekday(p.weekday) && p.minuteOfDay < AFTERNOON_CLOSE ? p.date : nextTradingDay(p.date);
    const r: FundRequestRec = { requestId: `F${++this.seq}`, kind, fundCode, submittedMs: now, tradeDate, amount, units, settled: false, paid: false };
    acct.fundRequests.push(r);
    return this.view(r);
  }

  /** Applies confirmations (T+1) and redemption payouts (T+3) due by now. */
  private settle(acct: FundAccountRec): void {
    const today = beijingParts(this.clock.now()).date;
    for (const r of acct.fundRequests) {
      const nav = this.navOn(this.fund(r.fundCode), r.tradeDate);
      if (!r.settled && today >= nextTradingDay(r.tradeDate, 1)) {
        r.settled = true;
        if (r.kind === 'purchase') {
          r.units = Math.floor((r.amount * 10_000) / nav);
          acct.fundUnits.set(r.fundCode, (acct.fundUnits.get(r.fundCode) ?? 0) + r.units);
        } else {
          r.amount = Math.floor((r.units * nav) / 10_000);
        }
      }
      if (r.kind === 'redemption' && r.settled && !r.paid && today >= nextTradingDay(r.tradeDate, 3)) {
        r.paid = true;
        acct.available += r.amount;
      }
    }
  }

  private view(r: FundRequestRec): FundRequest {
    const status = r.paid ? 'paid' : r.settled ? 'confirmed' : 'submitted';
    return {
      requestId: r.requestId, kind: r.kind, fundCode: r.fundCode, name: this.fund(r.fundCode).name, amount: r.amount, units: r.units, status,
      submittedAt: new Date(r.submittedMs).toISOString(), tradeDate: r.tradeDate, expectedCompletion: nextTradingDay(r.tradeDate, r.kind === 'purchase' ? 1 : 3),
    };
  }
}

/**
 * Intraday quotes as a seeded random walk inside the ±10% daily limit
 * (SEC-1). A day's path is a pure function of (seed, code, trading day): 241
 * minute prices from the open at 09:30 to the close, so the quote at any
 * instant depends only on the clock, never on who asked before. Before the
 * open the last price is the previous close; over lunch and after the close
 * it stays where the session left it; weekends show Friday.
 *
 * Simplifications: the previous close is drawn per day around the listing's
 * base price (consecutive days are not chained), every board uses ±10%
 * (ChiNext's ±20% is not modelled), and there is no call auction.
 */
import type { Quote, YyyyMmDd } from '../port.ts';
import { beijingParts, currentTradingDay, MORNING_OPEN, previousTradingDay, TRADING_MINUTES, tradingMinutesElapsed } from './beijing-time.ts';
import { SeededRandom } from './seeded-random.ts';
import type { Listing } from './stock-universe.ts';

interface DayPath {
  readonly previousClose: number;
  readonly limitUp: number;
  readonly limitDown: number;
  /** prices[i]: last price after i trading minutes (0 = the open). */
  readonly prices: Int32Array;
  readonly highs: Int32Array;
  readonly lows: Int32Array;
  readonly volumes: Float64Array;
}

const CACHE_LIMIT = 4_000;

export class QuoteEngine {
  private readonly cache = new Map<string, DayPath>();

  constructor(private readonly seed: number) {}

  limits(listing: Listing, day: YyyyMmDd): { previousClose: number; limitUp: number; limitDown: number } {
    return this.path(listing, day);
  }

  /** Price after `elapsed` trading minutes of `day`. */
  priceAt(listing: Listing, day: YyyyMmDd, elapsed: number): number {
    return this.path(listing, day).prices[Math.max(0, Math.min(TRADING_MINUTES, elapsed))] ?? 0;
  }

  quote(listing: Listing, ms: number): Quote {
    const day = currentTradingDay(ms);
    const parts = beijingParts(ms);
    const p = this.path(listing, day);
    const base = { code: listing.code, name: listing.name, market: listing.market, tradingDay: day, previousClose: p.previousClose, limitUp: p.limitUp, limitDown: p.limitDown, at: new Date(ms).toISOString() };
    const preOpen = parts.date === day && parts.minuteOfDay < MORNING_OPEN;
    if (preOpen) {
      return { ...base, last: p.previousClose, open: p.previousClose, high: p.previousClose, low: p.previousClose, volume: 0 };
    }
    const i = parts.date === day ? tradingMinutesElapsed(parts.minuteOfDay) : TRADING_MINUTES;
    return { ...base, last: p.prices[i] ?? 0, open: p.prices[0] ?? 0, high: p.highs[i] ?? 0, low: p.lows[i] ?? 0, volume: Math.round(p.volumes[i] ?? 0) };
  }

  private path(listing: Listing, day: YyyyMmDd): DayPath {
    const key = `${listing.code}:${day}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const made = this.generate(listing, day);
    this.cache.set(key, made);
    return made;
  }

  private generate(listing: Listing, day: YyyyMmDd): DayPath {
    const prevRng = SeededRandom.forKey(this.seed, `close:${listing.code}:${previousTradingDay(day)}`);
    const previousClose = Math.max(100, Math.round(listing.basePrice * (0.92 + prevRng.next() * 0.16)));
    const limitUp = Math.round(previousClose * 1.1);
    const limitDown = Math.round(previousClose * 0.9);
    const rng = SeededRandom.forKey(this.seed, `day:${listing.code}:${day}`);
    const clamp = (x: number) => Math.min(limitUp, Math.max(limitDown, Math.round(x)));
    const prices = new Int32Array(TRADING_MINUTES + 1);
    const highs = new Int32Array(TRADING_MINUTES + 1);
    const lows = new Int32Array(TRADING_MINUTES + 1);
    const volumes = new Float64Array(TRADING_MINUTES + 1);
    const drift = (rng.next() - 0.5) * 0.0006;
    let price = clamp(previousClose * (1 + (rng.next() - 0.5) * 0.04));
    let high = price;
    let low = price;
    let volume = rng.int(1, 50) * 100;
    const lotsPerMinute = Math.max(20, Math.round(2_000_000 / previousClose));
    for (let i = 0; i <= TRADING_MINUTES; i++) {
      if (i > 0) {
        const step = (rng.next() + rng.next() + rng.next() - 1.5) * 0.004 + drift;
        price = clamp(price * (1 + step));
        high = Math.max(high, price);
        low = Math.min(low, price);
        volume += rng.int(1, lotsPerMinute) * 100;
      }
      prices[i] = price;
      highs[i] = high;
      lows[i] = low;
      volumes[i] = volume;
    }
    return { previousClose, limitUp, limitDown, prices, highs, lows, volumes };
  }
}

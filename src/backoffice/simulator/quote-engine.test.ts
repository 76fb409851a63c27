import { describe, expect, it } from 'vitest';
import { beijingToEpoch } from './beijing-time.ts';
import { QuoteEngine } from './quote-engine.ts';
import { buildUniverse, marketOfCode } from './stock-universe.ts';

const stocks = buildUniverse(1);
const listings = [...stocks.values()];
const at = (date: string, h: number, m: number) => beijingToEpoch(date, h * 60 + m);

describe('simulated quotes (SEC-1)', () => {
  it('the universe has 300 unique codes and names on the Shanghai and Shenzhen boards', () => {
    expect(listings.length).toBe(300);
    expect(new Set(listings.map((l) => l.name)).size).toBe(300);
    for (const l of listings) expect(marketOfCode(l.code)).toBe(l.market);
    for (const c of ['600000', '600001', '601001', '000001', '300001']) expect(stocks.has(c)).toBe(true);
  });

  it('every minute of a day stays inside ±10% of the previous close', () => {
    const q = new QuoteEngine(1);
    for (const l of listings.slice(0, 50)) {
      const { previousClose, limitUp, limitDown } = q.limits(l, '20261123');
      expect(limitUp).toBe(Math.round(previousClose * 1.1));
      expect(limitDown).toBe(Math.round(previousClose * 0.9));
      for (let m = 0; m <= 240; m++) {
        const p = q.priceAt(l, '20261123', m);
        expect(p).toBeGreaterThanOrEqual(limitDown);
        expect(p).toBeLessThanOrEqual(limitUp);
      }
    }
  });

  it('is a pure function of seed, code and time', () => {
    const l = stocks.get('600000');
    if (!l) throw new Error('600000 missing');
    const t = at('20261123', 10, 17);
    expect(new QuoteEngine(1).quote(l, t)).toEqual(new QuoteEngine(1).quote(l, t));
    expect(new QuoteEngine(2).quote(l, t).last === new QuoteEngine(1).quote(l, t).last && new QuoteEngine(2).quote(l, at('20261123', 14, 0)).last === new QuoteEngine(1).quote(l, at('20261123', 14, 0)).last).toBe(false);
  });

  it('pre-open shows the previous close, lunch and weekend hold still', () => {
    const q = new QuoteEngine(1);
    const l = stocks.get('000001');
    if (!l) throw new Error('000001 missing');
    const pre = q.quote(l, at('20261123', 9, 0));
    expect(pre).toMatchObject({ last: pre.previousClose, volume: 0 });
    const morningClose = q.quote(l, at('20261123', 11, 30));
    expect(q.quote(l, at('20261123', 12, 30))).toMatchObject({ last: morningClose.last, volume: morningClose.volume });
    const fridayClose = q.quote(l, at('20261127', 15, 0));
    const sunday = q.quote(l, at('20261129', 10, 0));
    expect(sunday).toMatchObject({ tradingDay: '20261127', last: fridayClose.last, volume: fridayClose.volume });
  });

  it('the walk moves: most stocks change price within an hour', () => {
    const q = new QuoteEngine(1);
    const moved = listings.filter((l) => q.quote(l, at('20261123', 10, 0)).last !== q.quote(l, at('20261123', 11, 0)).last);
    expect(moved.length).toBeGreaterThan(200);
  });
});

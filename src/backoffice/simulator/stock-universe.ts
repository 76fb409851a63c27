/**
 * The simulated listing: about 300 Shanghai (600/601/603) and Shenzhen
 * (000/002/300) stocks with generated names and base prices. 600000, 000001
 * 300001 and 601001 always exist (the demo accounts hold them): the first two codes of each prefix are consecutive.
 */
import type { Market } from '../port.ts';
import { stockName } from './names.ts';
import { SeededRandom } from './seeded-random.ts';

export interface Listing {
  readonly code: string;
  readonly name: string;
  readonly market: Market;
  /** Reference price in fen around which daily closes wander. */
  readonly basePrice: number;
}

const PREFIXES: ReadonlyArray<{ prefix: string; market: Market; count: number }> = [
  { prefix: '600', market: 'SH', count: 60 },
  { prefix: '601', market: 'SH', count: 40 },
  { prefix: '603', market: 'SH', count: 50 },
  { prefix: '000', market: 'SZ', count: 50 },
  { prefix: '002', market: 'SZ', count: 60 },
  { prefix: '300', market: 'SZ', count: 40 },
];

export function buildUniverse(seed: number): Map<string, Listing> {
  const rng = SeededRandom.forKey(seed, 'stocks');
  const names = new Set<string>();
  const out = new Map<string, Listing>();
  for (const { prefix, market, count } of PREFIXES) {
    // 000000 is not a valid code; Shenzhen main board starts at 000001.
    let n = prefix === '000' || prefix === '300' ? 1 : 0;
    for (let i = 0; i < count; i++) {
      const code = prefix + String(n).padStart(3, '0');
      const basePrice = rng.int(250, 8_000);
      out.set(code, { code, market, name: stockName(rng, names), basePrice });
      n += i === 0 ? 1 : rng.int(1, 9);
    }
  }
  return out;
}

export function marketOfCode(code: string): Market | undefined {
  if (/^60[013]\d{3}$/.test(code)) return 'SH';
  if (/^(000|002|300)\d{3}$/.test(code)) return 'SZ';
  return undefined;
}

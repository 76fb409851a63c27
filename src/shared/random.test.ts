import { describe, expect, it } from 'vitest';
import { randomBytesPooled, randomHex } from './random.ts';

describe('pooled random identifiers', () => {
  it('gives the asked length and never repeats across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const h = randomHex(8);
      expect(h).toMatch(/^[0-9a-f]{16}$/);
      seen.add(h);
    }
    expect(seen.size).toBe(5000);
    expect(randomBytesPooled(32).length).toBe(32);
    expect(() => randomBytesPooled(300)).toThrow(RangeError);
  });
});

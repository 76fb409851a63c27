import { describe, expect, it } from 'vitest';
import { NumberMap } from './number-map.ts';

describe('NumberMap: the jitter buffer\'s held packets by extended timestamp (issue 3)', () => {
  it('answers as a Map<number, V> does through adds, overwrites and deletes, growing when needed', () => {
    let seed = 777;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const ref = new Map<number, number>();
    const m = new NumberMap<number>(4);
    let next = 4294967296 - 160 * 20; // extended timestamps run past 2^32
    for (let k = 0; k < 20000; k++) {
      const r = rand(10);
      if (r < 5) {
        // the usual: a new frame, sometimes a reordered one, sometimes far ahead or below zero
        const key = r === 0 ? next + 160 * rand(300) : r === 1 ? -160 * rand(50) : next;
        if (r >= 2) next += 160;
        ref.set(key, k);
        m.set(key, k);
      } else {
        const keys = [...ref.keys()];
        const key = keys.length && r < 9 ? keys[rand(keys.length)]! : next + 80;
        expect(m.delete(key)).toBe(ref.delete(key));
      }
      expect(m.size).toBe(ref.size);
      if (k % 50 === 0) {
        for (const [key, v] of ref) expect(m.get(key)).toBe(v);
        expect(m.minKey()).toBe(ref.size ? Math.min(...ref.keys()) : undefined);
        expect(m.has(next + 7)).toBe(ref.has(next + 7));
      }
    }
    const seen: number[] = [];
    m.forEachValue((v) => seen.push(v));
    expect(seen.sort((a, b) => a - b)).toEqual([...ref.values()].sort((a, b) => a - b));
    m.clear();
    expect([m.size, m.minKey(), m.get(next - 160)]).toEqual([0, undefined, undefined]);
  });
});

/**
 * A map from integer keys (up to 2^53) to values, in preallocated arrays:
 * open addressing, linear probing, backward-shift deletion (no tombstones).
 * It does what a Map<number, V> does for the jitter buffer's held packets
 * without the churn a Map has there: a long-lived Map lives in V8's old
 * generation, and every time its adds and deletes fill its table V8
 * allocates the new table directly in the old generation too, so a leg
 * receiving 50 packets a second made old-space garbage all the time, and the
 * media worker ran a full (mark-compact) collection every second or two. The
 * table only grows (doubling, when half full), which a steady stream never
 * needs after its first seconds.
 */
export class NumberMap<V> {
  private keys: Float64Array;
  private vals: Array<V | undefined>;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 64) {
    if (capacity < 2 || capacity & (capacity - 1)) throw new RangeError('capacity must be a power of two');
    this.keys = new Float64Array(capacity);
    this.vals = new Array<V | undefined>(capacity).fill(undefined);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  has(key: number): boolean {
    return this.used[this.find(key)] === 1;
  }

  get(key: number): V | undefined {
    const i = this.find(key);
    return this.used[i] === 1 ? this.vals[i] : undefined;
  }

  set(key: number, value: V): void {
    let i = this.find(key);
    if (this.used[i] === 1) {
      this.vals[i] = value;
      return;
    }
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      i = this.find(key);
    }
    this.used[i] = 1;
    this.keys[i] = key;
    this.vals[i] = value;
    this.count++;
  }

  delete(key: number): boolean {
    let i = this.find(key);
    if (this.used[i] !== 1) return false;
    const { keys, vals, used, mask } = this;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (used[j] !== 1) break;
      const home = slotOf(keys[j]!, mask);
      // the entry at j may move back into the gap at i unless its home lies cyclically in (i, j]
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        keys[i] = keys[j]!;
        vals[i] = vals[j];
        i = j;
      }
    }
    used[i] = 0;
    vals[i] = undefined;
    this.count--;
    return true;
  }

  clear(): void {
    this.used.fill(0);
    this.vals.fill(undefined);
    this.count = 0;
  }

  /** The smallest key (undefined when empty). */
  minKey(): number | undefined {
    let min: number | undefined;
    for (let i = 0; i <= this.mask; i++) if (this.used[i] === 1 && (min === undefined || this.keys[i]! < min)) min = this.keys[i];
    return min;
  }

  /** Calls `fn` with every value (in no particular order). */
  forEachValue(fn: (v: V) => void): void {
    for (let i = 0; i <= this.mask; i++) if (this.used[i] === 1) fn(this.vals[i]!);
  }

  private find(key: number): number {
    const { keys, used, mask } = this;
    let i = slotOf(key, mask);
    while (used[i] === 1 && keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { keys, vals, used } = this;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Float64Array(capacity);
    this.vals = new Array<V | undefined>(capacity).fill(undefined);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.set(keys[i]!, vals[i]!);
  }
}

/** Home slot of an integer key: its low 32 bits, hashed multiplicatively. */
function slotOf(key: number, mask: number): number {
  const lo = key % 4294967296 | 0;
  return (Math.imul(lo, 0x9e3779b1) >>> 12) & mask;
}

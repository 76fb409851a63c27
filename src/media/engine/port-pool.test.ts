import { describe, expect, it } from 'vitest';
import { EngineError } from './engine-error.ts';
import { PortPool } from './port-pool.ts';

describe('PortPool: RTP ports from the configured range - TEL-6', () => {
  it('hands out even ports round-robin and fails with no-ports when exhausted', () => {
    const pool = new PortPool(20001, 20008);
    expect([pool.allocate(), pool.allocate(), pool.allocate()]).toEqual([20002, 20004, 20006]);
    pool.release(20002);
    expect(pool.allocate()).toBe(20008);
    expect(pool.allocate()).toBe(20002);
    expect(() => pool.allocate()).toThrow(EngineError);
    try {
      pool.allocate();
    } catch (e) {
      expect((e as EngineError).code).toBe('no-ports');
    }
  });
  it.each([
    [0, 10],
    [10, 5],
    [1000, 70000],
  ])('rejects range %i-%i', (a, b) => expect(() => new PortPool(a, b)).toThrow(RangeError));
});

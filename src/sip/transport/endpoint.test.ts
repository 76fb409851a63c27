import { describe, expect, it } from 'vitest';
import { endpointKey, expandIPv6, normalizeAddress, sameAddress } from './endpoint.ts';

describe('endpoint helpers (TEL-2)', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['Example.COM', 'example.com'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });

  it('expands IPv6 with a dotted tail to eight groups', () => {
    expect(expandIPv6('::ffff:10.1.2.3')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203]);
    expect(expandIPv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
  });

  it('compares and keys endpoints in one spelling', () => {
    expect(sameAddress('[0::1]', '::1')).toBe(true);
    expect(sameAddress('10.0.0.1', '10.0.0.2')).toBe(false);
    expect(endpointKey({ address: '::ffff:10.0.0.1', port: 5060 })).toBe('10.0.0.1:5060');
    expect(endpointKey({ address: '0:0::1', port: 5061 })).toBe('[::1]:5061');
  });
});

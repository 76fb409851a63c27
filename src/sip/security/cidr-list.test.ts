import { describe, expect, it } from 'vitest';
import { CidrError, CidrList } from './cidr-list.ts';
import { canonicalAddress, parseIp } from './ip-address.ts';

describe('IP addresses and CIDR lists (OPS-2 trusted networks)', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['[2001:DB8:0:0:0:0:0:1]', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
    ['not-an-ip', 'not-an-ip'],
  ])('canonical form of %s is %s', (input, out) => {
    expect(canonicalAddress(input)).toBe(out);
  });

  it.each(['256.1.1.1', '1.2.3', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', ''])('%s is not an address', (s) => {
    expect(parseIp(s)).toBeUndefined();
  });

  it.each([
    [['10.0.0.0/8'], '10.200.1.1', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['192.168.1.128/25'], '192.168.1.200', true],
    [['192.168.1.128/25'], '192.168.1.100', false],
    [['203.0.113.7'], '203.0.113.7', true],
    [['203.0.113.7'], '203.0.113.8', false],
    [['2001:db8::/32'], '2001:db8:ffff::1', true],
    [['2001:db8::/32'], '2001:db9::1', false],
    [['10.0.0.0/8'], '::ffff:10.1.2.3', true],
    [['::ffff:10.0.0.0/104'], '10.9.9.9', true],
    [['0.0.0.0/0'], '8.8.8.8', true],
    [['0.0.0.0/0'], '::1', false],
    [['::/0'], '2001:db8::1', true],
    [[], '127.0.0.1', false],
    [['10.0.0.0/8'], 'garbage', false],
  ] as const)('%j contains %s: %s', (nets, addr, yes) => {
    expect(new CidrList(nets).contains(addr)).toBe(yes);
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', 'x/8', '10.0.0.0/', '10.0.0.0/-1'])('rejects %s', (c) => {
    expect(() => new CidrList([c])).toThrow(CidrError);
  });
});

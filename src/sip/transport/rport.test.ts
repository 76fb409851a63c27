import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../protocol/sip/errors.ts';
import { responseTarget, stampVia } from './rport.ts';
import type { Flow } from './transport.ts';

const udp = (address: string, port: number): Flow => ({ protocol: 'udp', local: { address: '203.0.113.1', port: 5060 }, remote: { address, port } });
const tcp = (address: string, port: number, connectionId = 'tcp-9'): Flow => ({ ...udp(address, port), protocol: 'tcp', connectionId });

describe('stampVia: received and rport (TEL-2, RFC 3261 18.2.1, RFC 3581, OPS-2)', () => {
  it.each([
    ['same host, no rport: unchanged', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1', udp('192.0.2.10', 5060), 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1'],
    ['NATed host: received added', 'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1', udp('198.51.100.7', 40123), 'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;received=198.51.100.7'],
    ['host name: received added', 'SIP/2.0/UDP phone.example.com;branch=z9hG4bK1', udp('198.51.100.7', 5060), 'SIP/2.0/UDP phone.example.com;branch=z9hG4bK1;received=198.51.100.7'],
    ['rport flag: filled, received even when equal', 'SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bK1', udp('192.0.2.10', 5062), 'SIP/2.0/UDP 192.0.2.10:5060;rport=5062;branch=z9hG4bK1;received=192.0.2.10'],
    ['rport behind NAT (RFC 3581 example)', 'SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff', udp('192.0.2.1', 9988), 'SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1'],
    ['spoofed received dropped', 'SIP/2.0/UDP 192.0.2.10;received=203.0.113.66;branch=z9hG4bK1', udp('192.0.2.10', 5060), 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1'],
    ['spoofed received replaced', 'SIP/2.0/UDP 10.0.0.5;received=203.0.113.66;branch=z9hG4bK1', udp('198.51.100.7', 5060), 'SIP/2.0/UDP 10.0.0.5;received=198.51.100.7;branch=z9hG4bK1'],
    ['IPv6 equal in another spelling', 'SIP/2.0/TCP [2001:DB8::0:1]:5060;branch=z9hG4bK1', tcp('2001:db8::1', 5060), 'SIP/2.0/TCP [2001:DB8::0:1]:5060;branch=z9hG4bK1'],
    ['IPv6 received without brackets', 'SIP/2.0/TCP [2001:db8::9];branch=z9hG4bK1', tcp('2001:db8::1', 33000), 'SIP/2.0/TCP [2001:db8::9];branch=z9hG4bK1;received=2001:db8::1'],
    ['IPv4-mapped source', 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1', udp('::ffff:192.0.2.10', 5060), 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1'],
  ])('%s', (_name, via, flow, expected) => {
    expect(stampVia(via, flow)).toBe(expected);
  });

  it('stamps only the first value of a field line', () => {
    expect(stampVia('SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.6;branch=z9hG4bK2', udp('198.51.100.7', 5060))).toBe(
      'SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1;received=198.51.100.7, SIP/2.0/UDP 10.0.0.6;branch=z9hG4bK2',
    );
  });

  it('throws a typed parse error on a malformed Via', () => {
    expect(() => stampVia('garbage', udp('192.0.2.1', 5060))).toThrow(SipParseError);
    expect(() => responseTarget('SIP/2.0/UDP', udp('192.0.2.1', 5060))).toThrow(SipParseError);
  });
});

describe('responseTarget (TEL-2, RFC 3261 18.2.2, RFC 3581 section 4)', () => {
  it.each([
    ['UDP, same host: sent-by port', 'SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK1', udp('192.0.2.10', 5070), { protocol: 'udp', remote: { address: '192.0.2.10', port: 5070 } }],
    ['UDP, default port 5060', 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1', udp('192.0.2.10', 5060), { protocol: 'udp', remote: { address: '192.0.2.10', port: 5060 } }],
    ['UDP, NAT without rport: received + sent-by port', 'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1', udp('198.51.100.7', 40123), { protocol: 'udp', remote: { address: '198.51.100.7', port: 5060 } }],
    ['UDP, NAT with rport: received + rport', 'SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1', udp('198.51.100.7', 40123), { protocol: 'udp', remote: { address: '198.51.100.7', port: 40123 } }],
    ['UDP, already stamped Via', 'SIP/2.0/UDP 10.0.0.5:5060;rport=40123;received=198.51.100.7;branch=z9hG4bK1', udp('198.51.100.7', 40123), { protocol: 'udp', remote: { address: '198.51.100.7', port: 40123 } }],
    ['UDP, maddr wins', 'SIP/2.0/UDP 10.0.0.5:5062;maddr=239.255.255.1;ttl=16;rport;branch=z9hG4bK1', udp('198.51.100.7', 40123), { protocol: 'udp', remote: { address: '239.255.255.1', port: 5062 }, ttl: 16 }],
    ['TCP: same connection, fallback received + sent-by port', 'SIP/2.0/TCP 10.0.0.5:5080;rport;branch=z9hG4bK1', tcp('198.51.100.7', 40123), { protocol: 'tcp', remote: { address: '198.51.100.7', port: 5080 }, connectionId: 'tcp-9' }],
    ['TLS: default port 5061', 'SIP/2.0/TLS phone.example.com;branch=z9hG4bK1', { ...tcp('198.51.100.7', 40123, 'tls-3'), protocol: 'tls' as const }, { protocol: 'tls', remote: { address: '198.51.100.7', port: 5061 }, connectionId: 'tls-3' }],
    ['WSS: the connection and its remote only', 'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK1', { ...tcp('198.51.100.7', 50000, 'wss-1'), protocol: 'wss' as const }, { protocol: 'wss', remote: { address: '198.51.100.7', port: 50000 }, connectionId: 'wss-1' }],
  ])('%s', (_name, via, flow, expected) => {
    expect(responseTarget(via, flow)).toEqual(expected);
  });
});

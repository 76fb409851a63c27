import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { createRequest } from './message.ts';
import { formatVia, hasMagicCookie, parseVia, topVia, viaBranch, viaReceived, viaRport } from './via.ts';

describe('TEL-1 Via', () => {
  it('parses folded, spaced values and several per line (RFC 4475 wsinv)', () => {
    const vs = parseVia('SIP  / 2.0  / TCP     spindle.example.com   ;  branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239');
    expect(vs).toHaveLength(2);
    expect(vs[0]).toMatchObject({ protocol: 'SIP/2.0', transport: 'TCP', host: 'spindle.example.com' });
    expect(viaBranch(vs[0]!)).toBe('z9hG4bK9ikj8');
    expect(vs[1]).toMatchObject({ transport: 'UDP', host: '192.168.255.111' });
    expect(viaBranch(vs[1]!)).toBe('z9hG4bK30239');
  });

  it('handles IPv6, ports, rport flag and bracketed received (RFC 5118 4.5, 4.9)', () => {
    const [v] = parseVia('SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbzt;rport;received=[2001:db8::9:255]');
    expect(v).toMatchObject({ host: '[::ffff:192.0.2.10]', port: 19823 });
    expect(viaRport(v!)).toBeNull();
    expect(viaReceived(v!)).toBe('2001:db8::9:255');
    expect(hasMagicCookie(v!)).toBe(true);
  });

  it('reads rport with a value and upper-cases transports', () => {
    const [v] = parseVia('SIP/2.0/wss abc.invalid;rport=5062;branch=z9hG4bKx');
    expect(v!.transport).toBe('WSS');
    expect(viaRport(v!)).toBe(5062);
    expect(formatVia(v!)).toBe('SIP/2.0/WSS abc.invalid;rport=5062;branch=z9hG4bKx');
  });

  it.each([
    'SIP/2.0/UDP 192.0.2.15;;,;,,',
    'SIP/2.0 host',
    'SIP/2.0/UDP',
    'SIP/2.0/UDP host:99999',
    'SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1',
    'SIP/2.0/UDP a b',
  ])('rejects %j', (v) => {
    expect(() => parseVia(v)).toThrow(SipParseError);
  });

  it('topVia takes the first value of the first line and throws when missing', () => {
    const req = createRequest('OPTIONS', 'sip:a@b', [['Via', 'SIP/2.0/UDP h1;branch=z9hG4bK1, SIP/2.0/TCP h2'], ['v', 'SIP/2.0/UDP h3']]);
    expect(topVia(req).host).toBe('h1');
    expect(() => topVia(createRequest('OPTIONS', 'sip:a@b'))).toThrow(SipParseError);
  });
});

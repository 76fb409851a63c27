import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { decodedUser, formatUri, isSipUri, parseUri, type SipUri } from './uri.ts';

describe('TEL-1 SIP URIs (RFC 3261 19.1, RFC 4475, RFC 5118)', () => {
  it.each([
    ['sip:alice@atlanta.example.com', { scheme: 'sip', user: 'alice', host: 'atlanta.example.com' }],
    ['SIPS:bob:secret@[2001:db8::10]:5071;transport=tcp;LR', { scheme: 'sips', user: 'bob', password: 'secret', host: '[2001:db8::10]', port: 5071 }],
    ['sip:user;par=u%40example.net@example.com', { user: 'user;par=u%40example.net', host: 'example.com' }],
    ['sip:[2001:db8::10:5070]', { host: '[2001:db8::10:5070]' }],
    ['sip:user@[2001:db8:::192.0.2.1]', { host: '[2001:db8:::192.0.2.1]' }],
  ])('parses %s', (s, expected) => {
    expect(parseUri(s)).toMatchObject(expected);
  });

  it('keeps params, headers and round-trips', () => {
    const u = parseUri('sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31?Subject=hi&Priority=urgent') as SipUri;
    expect([...u.params]).toEqual([['%6c%72', null], ['n%61me', 'v%61lue%25%34%31']]);
    expect([...u.headers]).toEqual([['Subject', 'hi'], ['Priority', 'urgent']]);
    expect(decodedUser(u)).toBe('caller');
    expect(formatUri(parseUri('sip:a%20b@h:5060;transport=udp?x=1'))).toBe('sip:a%20b@h:5060;transport=udp?x=1');
  });

  it('decodes escaped NULs and spaces', () => {
    expect(decodedUser(parseUri('sip:null-%00-null@example.com') as SipUri)).toBe('null-\0-null');
    expect(decodedUser(parseUri('sip:I%20have%20spaces@example.net') as SipUri)).toBe('I have spaces');
  });

  it('parses tel and unknown schemes', () => {
    expect(parseUri('tel:+1-201-555-0123;ext=12')).toMatchObject({ scheme: 'tel', number: '+1-201-555-0123', global: true });
    expect(parseUri('tel:7042;phone-context=example.com')).toMatchObject({ global: false });
    expect(parseUri('soap.beep://192.0.2.103:3002')).toEqual({ scheme: 'soap.beep', raw: 'soap.beep://192.0.2.103:3002' });
    expect(isSipUri(parseUri('isbn:2983792873'))).toBe(false);
  });

  it.each([
    'sip:2001:db8::10',
    '<sip:user@example.com>',
    'sip:user@example.com; lr',
    'sip:@host',
    'sip:us er@host',
    'sip:user@host;=x',
    'sip:user@host?',
    'tel:7042',
    'tel:+',
    'nocolon',
    'x:a"b',
    'sip:u@h:70000',
  ])('rejects %j', (s) => {
    expect(() => parseUri(s)).toThrow(SipParseError);
  });
});

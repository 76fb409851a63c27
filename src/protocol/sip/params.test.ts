import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { formatParams, parseParams, quote, splitList, unquote } from './params.ts';
import { parseCSeq } from './cseq.ts';

describe('TEL-1 SIP generic parameters', () => {
  it.each([
    [';branch=z9hG4bK1;rport', [['branch', 'z9hG4bK1'], ['rport', null]]],
    ['  ;  Tag  =  abc ; LR', [['tag', 'abc'], ['lr', null]]],
    [';x="a;b\\"c"', [['x', '"a;b\\"c"']]],
    ['', []],
  ])('parses %j', (input, expected) => {
    expect([...parseParams(input)]).toEqual(expected);
  });

  it.each([';;', ';=x', ';a;;b', ';x="open'])('rejects %j', (input) => {
    expect(() => parseParams(input)).toThrow(SipParseError);
  });

  it('formats back', () => {
    expect(formatParams(parseParams(';a=1;b;c="x y"'))).toBe(';a=1;b;c="x y"');
  });

  it('quotes and unquotes', () => {
    expect(unquote(quote('J "R" \\'))).toBe('J "R" \\');
    expect(unquote('"J Rosenberg \\\\\\""')).toBe('J Rosenberg \\"');
  });

  it('splits lists outside quotes and angle brackets', () => {
    expect(splitList('"a,b" <sip:x@y;p=1,2>, <sip:z@w>')).toEqual(['"a,b" <sip:x@y;p=1,2>', '<sip:z@w>']);
  });
});

describe('TEL-1 CSeq', () => {
  it('parses with LWS', () => {
    expect(parseCSeq(' 0009  INVITE ')).toEqual({ seq: 9, method: 'INVITE' });
  });
  it.each(['36893488147419103232 REGISTER', '2147483648 INVITE', 'x INVITE', '1', '-1 BYE'])('rejects %j', (v) => {
    expect(() => parseCSeq(v)).toThrow(SipParseError);
  });
  it('accepts the largest scalar', () => {
    expect(parseCSeq('2147483647 BYE').seq).toBe(2147483647);
  });
});

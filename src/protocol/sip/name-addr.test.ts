import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { createRequest } from './message.ts';
import { callId, formatNameAddr, fromTag, parseContactList, parseNameAddr, parseNameAddrList, toTag } from './name-addr.ts';

describe('TEL-1 name-addr and addr-spec', () => {
  it.each([
    ['"J Rosenberg \\\\\\""       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8', { displayName: 'J Rosenberg \\"', uri: 'sip:jdrosen@example.com', tag: '98asjd8' }],
    ['caller<sip:caller@example.com>;tag=323', { displayName: 'caller', uri: 'sip:caller@example.com', tag: '323' }],
    ['sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n', { uri: 'sip:vivekg@chair-dnrc.example.com', tag: '1918181833n' }],
    ['token1~` token2\'+_ token3*%!.- <sip:mundane@example.com>;tag=_token', { displayName: "token1~` token2'+_ token3*%!.-", tag: '_token' }],
    ['isbn:2983792873', { uri: 'isbn:2983792873' }],
    ['sip:+19725552222@gw1.example.net;unknownparam', { uri: 'sip:+19725552222@gw1.example.net' }],
  ])('parses %j', (v, exp: { displayName?: string; uri?: string; tag?: string }) => {
    const na = parseNameAddr(v);
    if (exp.uri !== undefined) expect(na.uri).toBe(exp.uri);
    expect(na.displayName).toBe('displayName' in exp ? exp.displayName : undefined);
    if ('tag' in exp) expect(na.params.get('tag')).toBe(exp.tag);
  });

  it.each([
    ['"Mr. J. User <sip:j.user@example.com>', 'unterminated quote (quotbal)'],
    ['sip:user@example.com?Route=%3Csip:sip.example.com%3E', 'addr-spec with ? (regbadct)'],
    ['"Watson, Thomas" < sip:t.watson@example.org >', 'spaces in <> (badaspec)'],
    ['Bell, Alexander <sip:a.g.bell@example.com>;tag=43', 'comma in display name (baddn)'],
    ['"Joe" <sip:joe@example.org>;;;;', 'empty params (badinv01)'],
    ['<sip:a@b> junk', 'text after >'],
    ['', 'empty'],
  ])('rejects %j (%s)', (v) => {
    expect(() => parseNameAddr(v)).toThrow(SipParseError);
  });

  it('parses lists and star', () => {
    expect(parseNameAddrList('<sip:a@b;lr>, "x, y" <sip:c@d>;q=0.5').map((n) => n.uri)).toEqual(['sip:a@b;lr', 'sip:c@d']);
    expect(parseContactList(' * ')).toBe('*');
    expect(() => parseNameAddrList('<sip:a@b>,,<sip:c@d>')).toThrow(SipParseError);
  });

  it('formats with brackets and quoting', () => {
    expect(formatNameAddr(parseNameAddr('"A \\"B\\"" <sip:a@b>;tag=1'))).toBe('"A \\"B\\"" <sip:a@b>;tag=1');
    expect(formatNameAddr(parseNameAddr('sip:a@b;tag=1'))).toBe('<sip:a@b>;tag=1');
    expect(formatNameAddr({ displayName: 'Alice', uri: 'sip:a@b', params: new Map() })).toBe('Alice <sip:a@b>');
  });

  it('reads tags and Call-ID from a message', () => {
    const m = createRequest('BYE', 'sip:a@b', [['f', '<sip:a@b>;tag=x1'], ['t', 'sip:c@d'], ['i', ' abc@h ']]);
    expect(fromTag(m)).toBe('x1');
    expect(toTag(m)).toBeUndefined();
    expect(callId(m)).toBe('abc@h');
    expect(() => callId(createRequest('BYE', 'sip:a@b'))).toThrow(SipParseError);
  });
});

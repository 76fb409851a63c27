import { describe, expect, it } from 'vitest';
import {
  DigestParseError,
  computeDigestResponse,
  computeHa1,
  formatDigestChallenge,
  formatDigestCredentials,
  parseAuthElements,
  parseChallenges,
  parseDigestCredentials,
  toDigestChallenge,
  toDigestCredentials,
  type DigestAlgorithm,
} from './digest.ts';

// RFC 7616 section 3.9.1 and RFC 2617 section 3.5 published examples.
const RFC7616 = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  uri: '/dir/index.html',
  nc: '00000001',
};

describe('digest math (RFC 7616, RFC 2617; TEL-2, OPS-1)', () => {
  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const)('RFC 7616 3.9.1 example with %s', (alg, expected) => {
    const ha1 = computeHa1(alg, RFC7616.username, RFC7616.realm, RFC7616.password);
    const r = computeDigestResponse({ algorithm: alg, ha1, nonce: RFC7616.nonce, method: 'GET', uri: RFC7616.uri, qop: 'auth', nc: RFC7616.nc, cnonce: RFC7616.cnonce });
    expect(r).toBe(expected);
  });

  it('RFC 2617 3.5 example', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const r = computeDigestResponse({
      algorithm: 'MD5',
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    expect(r).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('RFC 2069 form (no qop) is H(HA1:nonce:HA2)', () => {
    const ha1 = computeHa1('MD5', 'u', 'r', 'p');
    const noQop = computeDigestResponse({ algorithm: 'MD5', ha1, nonce: 'n', method: 'REGISTER', uri: 'sip:x' });
    const withQop = computeDigestResponse({ algorithm: 'MD5', ha1, nonce: 'n', method: 'REGISTER', uri: 'sip:x', qop: 'auth', nc: '00000001', cnonce: 'c' });
    expect(noQop).toMatch(/^[0-9a-f]{32}$/);
    expect(noQop).not.toBe(withQop);
  });

  it('-sess variants and auth-int depend on cnonce and body', () => {
    const base = { ha1: computeHa1('SHA-256', 'u', 'r', 'p'), nonce: 'n', method: 'INVITE', uri: 'sip:x', nc: '00000001', cnonce: 'c' };
    const plain = computeDigestResponse({ ...base, algorithm: 'SHA-256', qop: 'auth' });
    const sess = computeDigestResponse({ ...base, algorithm: 'SHA-256-sess', qop: 'auth' });
    const sess2 = computeDigestResponse({ ...base, cnonce: 'd', algorithm: 'SHA-256-sess', qop: 'auth' });
    const int1 = computeDigestResponse({ ...base, algorithm: 'SHA-256', qop: 'auth-int', body: Buffer.from('v=0') });
    const int2 = computeDigestResponse({ ...base, algorithm: 'SHA-256', qop: 'auth-int', body: Buffer.from('v=1') });
    expect(new Set([plain, sess, sess2, int1, int2]).size).toBe(5);
    expect(() => computeDigestResponse({ ...base, cnonce: undefined, algorithm: 'MD5-sess' } as never)).toThrow(DigestParseError);
  });

  it('SHA-512-256 produces 64 hex digits', () => {
    expect(computeHa1('SHA-512-256', 'u', 'r', 'p')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('authentication header grammar (RFC 7235, RFC 3261 25.1; TEL-2)', () => {
  it('parses the RFC 7616 challenge pair in one header, SHA-256 first', () => {
    const v =
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}",` +
      ` Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`;
    const chs = parseAuthElements(v).map(toDigestChallenge);
    expect(chs.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    expect(chs[0]).toMatchObject({ realm: RFC7616.realm, nonce: RFC7616.nonce, opaque: RFC7616.opaque, qop: ['auth', 'auth-int'], stale: false });
  });

  it('parses escapes, bare tokens, odd spacing and other schemes (RFC 7235 4.1 example)', () => {
    const els = parseAuthElements('Newauth realm="apps", type=1,\r\n  title="Login to \\"apps\\"", Basic realm="simple"');
    expect(els.map((e) => e.scheme)).toEqual(['Newauth', 'Basic']);
    expect(els[0]!.params.get('title')).toBe('Login to "apps"');
    expect(els[0]!.params.get('type')).toBe('1');
    expect(els[1]!.params.get('realm')).toBe('simple');
  });

  it('reads `Digest realm=` as a scheme with a token68, as RFC 7235 allows', () => {
    expect(parseAuthElements('Digest realm=')[0]).toMatchObject({ scheme: 'Digest', token68: 'realm=' });
  });

  it('parses token68 credentials and empty list elements', () => {
    const els = parseAuthElements(' , Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== ,, Digest realm = "r" , nonce=abc');
    expect(els[0]).toMatchObject({ scheme: 'Basic', token68: 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==' });
    expect(els[1]!.params.get('realm')).toBe('r');
    expect(els[1]!.params.get('nonce')).toBe('abc');
  });

  it.each([
    ['unterminated quote', 'Digest realm="abc'],
    ['param before scheme', 'realm="x"'],
    ['garbage', 'Digest @@@'],
    ['missing comma', 'Digest realm="a" nonce="b"'],
    ['empty value', 'Digest realm="a", nonce='],
  ])('rejects %s with a typed error', (_name, v) => {
    expect(() => parseAuthElements(v)).toThrow(DigestParseError);
  });

  it('reads credentials as a SIP phone sends them (unquoted qop, nc, algorithm)', () => {
    const cr = parseDigestCredentials(
      'Digest username="8001",realm="hotline",nonce="abc",uri="sip:pbx.example.com",response="0123",algorithm=MD5,cnonce="x1",qop=auth,nc=0000000a',
    );
    expect(cr).toMatchObject({ username: '8001', realm: 'hotline', nonce: 'abc', uri: 'sip:pbx.example.com', qop: 'auth', nc: '0000000a', cnonce: 'x1', algorithm: 'MD5' });
  });

  it.each([
    ['missing response', 'missing-param', 'Digest username="a", realm="r", nonce="n", uri="sip:x"'],
    ['qop without nc', 'missing-param', 'Digest username="a", realm="r", nonce="n", uri="sip:x", response="1", qop=auth, cnonce="c"'],
    ['bad nc', 'bad-param', 'Digest username="a", realm="r", nonce="n", uri="sip:x", response="1", qop=auth, cnonce="c", nc=1'],
    ['unknown algorithm', 'bad-param', 'Digest username="a", realm="r", nonce="n", uri="sip:x", response="1", algorithm=SHA-1'],
    ['other scheme', 'not-digest', 'Basic QWxhZGRpbg=='],
  ])('credentials with %s fail with code %s', (_n, code, v) => {
    try {
      parseDigestCredentials(v);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DigestParseError);
      expect((e as DigestParseError).code).toBe(code);
    }
  });

  it.each(['MD5', 'SHA-256', 'SHA-256-sess'] as DigestAlgorithm[])('challenge and credentials round-trip (%s)', (alg) => {
    const ch = { realm: 'a "quoted" realm', nonce: 'n/+=', algorithm: alg, qop: ['auth'], opaque: 'o', stale: true };
    const back = toDigestChallenge(parseChallenges([formatDigestChallenge(ch)])[0]!);
    expect(back).toEqual(ch);
    const cr = { username: 'u\\x', realm: 'r', nonce: 'n', uri: 'sip:a@b;transport=tcp', response: 'ff', algorithm: alg, qop: 'auth' as const, nc: '00000002', cnonce: 'c', opaque: 'o' };
    expect(toDigestCredentials(parseAuthElements(formatDigestCredentials(cr))[0]!)).toEqual(cr);
  });
});

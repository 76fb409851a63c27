import { pino } from 'pino';
import { DigestAuthentication, LoggerFactory } from 'sip.js/lib/core/index.js';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  computeDigestResponse,
  computeHa1,
  formatDigestCredentials,
  parseChallenges,
  toDigestChallenge,
  type DigestAlgorithm,
  type DigestChallenge,
} from '../../protocol/sip/digest.ts';
import { createRequest, type SipRequest } from '../../protocol/sip/message.ts';
import { FakeClock } from '../../shared/clock.ts';
import { MemorySipAccountStore } from '../memory-stores.ts';
import type { MessageSource } from '../security/message-source.ts';
import type { AuthDecision, AuthObserver } from './auth-types.ts';
import { DigestAuthenticator } from './digest-authenticator.ts';
import { EphemeralCredentials } from './ephemeral-credentials.ts';
import { createSipAccount } from './sip-account-factory.ts';

const REALM = 'hotline.test';
const RURI = 'sip:hotline.test';
const SRC: MessageSource = { transport: 'udp', address: '192.0.2.10', port: 5060 };
const logger = pino({ level: 'silent' });

function register(auth?: string, header = 'Authorization'): SipRequest {
  const h: Array<[string, string]> = [
    ['Via', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1'],
    ['From', '<sip:8001@hotline.test>;tag=a'],
    ['To', '<sip:8001@hotline.test>'],
    ['Call-ID', 'c1'],
    ['CSeq', '1 REGISTER'],
  ];
  if (auth) h.push([header, auth]);
  return createRequest('REGISTER', RURI, h);
}

function challengesOf(d: AuthDecision): DigestChallenge[] {
  if (d.kind !== 'challenge') throw new Error(`expected a challenge, got ${d.kind}`);
  return parseChallenges(d.challenges).map(toDigestChallenge);
}

interface Answer {
  username?: string;
  password?: string;
  nc?: string;
  uri?: string;
  method?: string;
}

function answer(ch: DigestChallenge, a: Answer = {}): string {
  const username = a.username ?? '8001';
  const alg: DigestAlgorithm = ch.algorithm;
  const ha1 = computeHa1(alg.startsWith('SHA') ? 'SHA-256' : 'MD5', username, ch.realm, a.password ?? 'demo-8001');
  const uri = a.uri ?? RURI;
  const nc = a.nc ?? '00000001';
  const response = computeDigestResponse({ algorithm: alg, ha1, nonce: ch.nonce, method: a.method ?? 'REGISTER', uri, qop: 'auth', nc, cnonce: 'cn0' });
  return formatDigestCredentials({ username, realm: ch.realm, nonce: ch.nonce, uri, response, algorithm: alg, qop: 'auth', nc, cnonce: 'cn0' });
}

class RecordingObserver implements AuthObserver {
  readonly calls: string[] = [];
  recordAuthFailure(_s: MessageSource, u: string, d: string): void {
    this.calls.push(`failure:${u}:${d}`);
  }
  recordAuthSuccess(_s: MessageSource, u: string): void {
    this.calls.push(`success:${u}`);
  }
  recordNonceReplay(_s: MessageSource, u: string): void {
    this.calls.push(`replay:${u}`);
  }
}

describe('DigestAuthenticator (TEL-2, OPS-1, OPS-2)', () => {
  let clock: FakeClock;
  let accounts: MemorySipAccountStore;
  let observer: RecordingObserver;
  let auth: DigestAuthenticator;

  beforeEach(() => {
    clock = new FakeClock();
    observer = new RecordingObserver();
    accounts = new MemorySipAccountStore([
      createSipAccount({ username: '8001', realm: REALM, password: 'demo-8001', createdAt: new Date(clock.now()) }),
      createSipAccount({ username: '8009', realm: REALM, password: 'demo-8009', createdAt: new Date(clock.now()), enabled: false }),
    ]);
    auth = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, secret: Buffer.alloc(32, 7), nonceLifetimeMs: 60_000, observer });
  });

  it('challenges with SHA-256 first, then MD5, qop=auth (RFC 8760)', async () => {
    const d = await auth.authenticate(register(), SRC, { expectedUser: '8001' });
    expect(d).toMatchObject({ kind: 'challenge', status: 401, headerName: 'WWW-Authenticate', cause: 'no-credentials' });
    const chs = challengesOf(d);
    expect(chs.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    expect(chs[0]).toMatchObject({ realm: REALM, qop: ['auth'], stale: false });
  });

  it('over WebSocket MD5 is the only challenge (browser stacks answer one challenge, only MD5, and SIP.js reads the last); the answer is accepted', async () => {
    for (const transport of ['ws', 'wss']) {
      const ws = { ...SRC, transport };
      const chs = challengesOf(await auth.authenticate(register(), ws));
      expect(chs.map((c) => c.algorithm)).toEqual(['MD5']);
      expect((await auth.authenticate(register(answer(chs[0]!)), ws)).kind).toBe('authorized');
    }
    expect(challengesOf(await auth.authenticate(register(), { ...SRC, transport: 'tls' })).map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    const shaOnly = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, algorithms: ['SHA-256'] });
    expect(challengesOf(await shaOnly.authenticate(register(), { ...SRC, transport: 'ws' })).map((c) => c.algorithm)).toEqual(['SHA-256']);
  });

  it('accepts a short-lived browser-phone credential (MD5 HA1 of a random secret) for its user only, until it expires', async () => {
    const eph = new EphemeralCredentials(REALM, clock, 60_000);
    const withEph = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, secret: Buffer.alloc(32, 7), ephemeral: eph });
    const issued = eph.issue('8001');
    const byHa1 = (ch: DigestChallenge, username: string, ha1: string) => {
      const response = computeDigestResponse({ algorithm: 'MD5', ha1, nonce: ch.nonce, method: 'REGISTER', uri: RURI, qop: 'auth', nc: '00000001', cnonce: 'cn0' });
      return formatDigestCredentials({ username, realm: ch.realm, nonce: ch.nonce, uri: RURI, response, algorithm: 'MD5', qop: 'auth', nc: '00000001', cnonce: 'cn0' });
    };
    const md5 = async () => challengesOf(await withEph.authenticate(register(), SRC)).find((c) => c.algorithm === 'MD5')!;
    expect((await withEph.authenticate(register(byHa1(await md5(), '8001', issued.ha1Md5)), SRC)).kind).toBe('authorized');
    // The account's own password still works; another user cannot borrow the credential.
    expect((await withEph.authenticate(register(answer(await md5())), SRC)).kind).toBe('authorized');
    const other = createRequest('REGISTER', RURI, [['Via', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-2'], ['From', '<sip:8002@hotline.test>;tag=b'], ['To', '<sip:8002@hotline.test>'], ['Call-ID', 'c2'], ['CSeq', '1 REGISTER'], ['Authorization', byHa1(await md5(), '8002', issued.ha1Md5)]]);
    expect(await withEph.authenticate(other, SRC)).toMatchObject({ kind: 'challenge' });
    clock.advance(60_001);
    expect(await withEph.authenticate(register(byHa1(await md5(), '8001', issued.ha1Md5)), SRC)).toMatchObject({ kind: 'challenge', cause: 'wrong-password' });
  });

  it('uses 407 and Proxy-Authorization in proxy mode', async () => {
    const d = await auth.authenticate(register(), SRC, { proxy: true });
    expect(d).toMatchObject({ kind: 'challenge', status: 407, headerName: 'Proxy-Authenticate' });
    const ok = await auth.authenticate(register(answer(challengesOf(d)[0]!), 'Proxy-Authorization'), SRC, { proxy: true });
    expect(ok.kind).toBe('authorized');
  });

  it.each([0, 1])('round trip succeeds with challenge %i (SHA-256, MD5)', async (i) => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[i]!;
    const d = await auth.authenticate(register(answer(ch)), SRC, { expectedUser: '8001' });
    expect(d).toMatchObject({ kind: 'authorized', username: '8001' });
    expect(observer.calls).toEqual(['success:8001']);
  });

  it('accepts a response computed by the sip.js client (independent implementation, MD5)', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC)).find((c) => c.algorithm === 'MD5')!;
    const client = new DigestAuthentication(new LoggerFactory(), undefined, '8001', 'demo-8001');
    expect(client.authenticate({ method: 'REGISTER', ruri: RURI } as never, { algorithm: 'MD5', realm: ch.realm, nonce: ch.nonce, qop: ch.qop } as never)).toBe(true);
    const d = await auth.authenticate(register(client.toString()), SRC, { expectedUser: '8001' });
    expect(d.kind).toBe('authorized');
  });

  it('unknown user and wrong password both get a fresh 401 and are reported as failures', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    const wrong = await auth.authenticate(register(answer(ch, { password: 'guess' })), SRC);
    const unknown = await auth.authenticate(register(answer(ch, { username: '7777', password: 'x' })), SRC);
    for (const d of [wrong, unknown]) {
      expect(d).toMatchObject({ kind: 'challenge', status: 401 });
      expect(challengesOf(d)[0]!.nonce).not.toBe(ch.nonce);
    }
    expect(observer.calls).toEqual(['failure:8001:wrong-password', 'failure:7777:unknown-user']);
  });

  it('a correct answer to an expired nonce gets stale=true and is not a failure', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    clock.advance(61_000);
    const d = await auth.authenticate(register(answer(ch)), SRC);
    expect(d).toMatchObject({ kind: 'challenge', cause: 'stale-nonce' });
    expect(challengesOf(d).every((c) => c.stale)).toBe(true);
    expect(observer.calls).toEqual([]);
    // A wrong password with an expired nonce is a failure, without stale.
    const bad = await auth.authenticate(register(answer(ch, { password: 'x' })), SRC);
    expect(challengesOf(bad)[0]!.stale).toBe(false);
  });

  it('rejects a replayed nonce-count and accepts an increasing one', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    expect((await auth.authenticate(register(answer(ch, { nc: '00000001' })), SRC)).kind).toBe('authorized');
    const replay = await auth.authenticate(register(answer(ch, { nc: '00000001' })), SRC);
    expect(replay).toMatchObject({ kind: 'challenge', cause: 'nonce-replay' });
    expect((await auth.authenticate(register(answer(ch, { nc: '00000002' })), SRC)).kind).toBe('authorized');
    expect(observer.calls).toEqual(['success:8001', 'replay:8001', 'success:8001']);
  });

  it('treats nonces issued before a restart as stale (their counts are unknown)', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    clock.advance(1);
    const restarted = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, secret: Buffer.alloc(32, 7), nonceLifetimeMs: 60_000 });
    expect(await restarted.authenticate(register(answer(ch)), SRC)).toMatchObject({ kind: 'challenge', cause: 'stale-nonce' });
  });

  it('refuses forged nonces with a plain challenge', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    const other = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, secret: Buffer.alloc(32, 9) });
    const forged = { ...ch, nonce: challengesOf(await other.authenticate(register(), SRC))[0]!.nonce };
    expect(await auth.authenticate(register(answer(forged)), SRC)).toMatchObject({ kind: 'challenge', cause: 'bad-nonce' });
  });

  it.each([
    ['username not the AOR user', { username: '8002', password: 'demo-8002' }, '8001', 403, 'user-mismatch'],
    ['disabled account with the right password', { username: '8009', password: 'demo-8009' }, '8009', 403, 'account-disabled'],
  ] as const)('%s -> %i', async (_n, a, expectedUser, status, cause) => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    const d = await auth.authenticate(register(answer(ch, a)), SRC, { expectedUser });
    expect(d).toMatchObject({ kind: 'reject', status, cause });
  });

  it('checks the digest uri against the Request-URI only when configured (SIPp sends the server address)', async () => {
    const strict = new DigestAuthenticator({ realm: REALM, accounts, clock, logger, checkDigestUri: true });
    const ch = challengesOf(await strict.authenticate(register(), SRC))[0]!;
    const other = register(answer(ch, { uri: 'sip:127.0.0.1:5060' }));
    expect(await strict.authenticate(other, SRC)).toMatchObject({ kind: 'reject', status: 400, cause: 'uri-mismatch' });
    const ch2 = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    expect((await auth.authenticate(register(answer(ch2, { uri: 'sip:127.0.0.1:5060' })), SRC)).kind).toBe('authorized');
  });

  it('a disabled account with a wrong password looks like any failure (401)', async () => {
    const ch = challengesOf(await auth.authenticate(register(), SRC))[0]!;
    const d = await auth.authenticate(register(answer(ch, { username: '8009', password: 'x' })), SRC, { expectedUser: '8009' });
    expect(d).toMatchObject({ kind: 'challenge', status: 401 });
  });

  it.each([
    ['unknown scheme (RFC 4475 regaut01)', 'NoOneKnowsThisScheme opaque-data=here'],
    ['other realm', 'Digest username="8001", realm="elsewhere", nonce="n", uri="sip:hotline.test", response="00", qop=auth, nc=00000001, cnonce="c"'],
    ['algorithm not offered', 'Digest username="8001", realm="hotline.test", nonce="n", uri="sip:hotline.test", response="00", algorithm=SHA-512-256, qop=auth, nc=00000001, cnonce="c"'],
    ['no qop (RFC 2069)', 'Digest username="8001", realm="hotline.test", nonce="n", uri="sip:hotline.test", response="00"'],
  ])('%s -> normal 401 challenge', async (_n, value) => {
    const d = await auth.authenticate(register(value), SRC);
    expect(d).toMatchObject({ kind: 'challenge', status: 401 });
    expect(observer.calls).toEqual([]);
  });

  it.each([
    ['unterminated quote', 'Digest username="8001, realm="hotline.test"'],
    ['missing response', 'Digest username="8001", realm="hotline.test", nonce="n", uri="sip:hotline.test"'],
  ])('malformed credentials (%s) -> 400', async (_n, value) => {
    expect(await auth.authenticate(register(value), SRC)).toMatchObject({ kind: 'reject', status: 400 });
  });
});

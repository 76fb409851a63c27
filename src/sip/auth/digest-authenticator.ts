/**
 * Server side of SIP digest authentication (RFC 3261 section 22, RFC 7616,
 * RFC 8760; TEL-2, OPS-1, OPS-2).
 *
 * - Challenges offer SHA-256 first, then MD5 (RFC 8760 section 2.4), each on
 *   its own WWW-Authenticate (or Proxy-Authenticate) line, qop="auth";
 *   answers with qop=auth-int are verified over the body too.
 * - Nonces are self-validating (NonceManager); a correct answer to an
 *   expired nonce gets a new challenge with stale=true and is not a failure.
 * - A nonce-count that does not increase is a replay: refused with a fresh
 *   challenge and reported to the observer (security event `nonce-replay`).
 * - Unknown users and wrong passwords look the same to the caller: a fresh
 *   401, with the same work done (a dummy hash for unknown users).
 *
 * When 403 is right (documented choice):
 * - the digest username is not the user of the AOR being registered
 *   (`expectedUser`): checked before the password, so it reveals nothing
 *   about accounts; counted as an authentication failure;
 * - the credentials are correct but the account is disabled: only someone
 *   holding the password learns the account exists.
 * 400 is for credentials that cannot be read (missing or malformed digest
 * parameters) and, when `checkDigestUri` is set, for a digest `uri` that is
 * not the Request-URI.
 * Credentials in an unknown scheme or for another realm are ignored and
 * answered with a normal challenge (RFC 4475 regaut01).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  DigestParseError,
  baseAlgorithm,
  computeDigestResponse,
  formatDigestChallenge,
  parseAuthElements,
  toDigestCredentials,
  type AuthElement,
  type DigestAlgorithm,
  type DigestCredentials,
} from '../../protocol/sip/digest.ts';
import type { SipRequest } from '../../protocol/sip/message.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SipAccount, SipAccountStore } from '../ports.ts';
import type { MessageSource } from '../security/message-source.ts';
import type { AuthCause, AuthDecision, AuthObserver, AuthenticateOptions } from './auth-types.ts';
import type { EphemeralCredentials } from './ephemeral-credentials.ts';
import { NonceManager } from './nonce-manager.ts';

/** Algorithms whose HA1 the account store keeps (SipAccount.ha1Md5, ha1Sha256), and their -sess forms. */
export type OfferedAlgorithm = 'SHA-256' | 'MD5' | 'SHA-256-sess' | 'MD5-sess';

export interface DigestAuthenticatorOptions {
  realm: string;
  accounts: SipAccountStore;
  clock: Clock;
  logger: Logger;
  /** Nonce HMAC key, at least 16 bytes (random per process when omitted: nonces then die with the process). */
  secret: Uint8Array;
  /** Nonce lifetime in ms (default 300 000). */
  nonceLifetimeMs: number;
  /** Offered in this order (default SHA-256 then MD5). */
  algorithms: OfferedAlgorithm[];
  /** Accept RFC 2069 answers without qop (no replay protection). Default false. */
  allowNoQop: boolean;
  /**
   * Require the digest `uri` to equal the Request-URI (RFC 7616 section
   * 3.4.6 SHOULD). Default false: SIPp puts the server's address there, and
   * ALGs rewrite Request-URIs; the response is verified over the uri as sent,
   * and the nonce-count check already stops reuse of a captured answer.
   */
  checkDigestUri: boolean;
  observer?: AuthObserver;
  /** Short-lived MD5 credentials (browser phones) accepted beside the account's own. */
  ephemeral?: EphemeralCredentials;
}

type Required = 'realm' | 'accounts' | 'clock' | 'logger';

export class DigestAuthenticator {
  private readonly opts: DigestAuthenticatorOptions;
  private readonly nonces: NonceManager;
  private readonly dummyHa1: string;

  constructor(options: Partial<DigestAuthenticatorOptions> & Pick<DigestAuthenticatorOptions, Required>) {
    this.opts = {
      secret: randomBytes(32),
      nonceLifetimeMs: 300_000,
      algorithms: ['SHA-256', 'MD5'],
      allowNoQop: false,
      checkDigestUri: false,
      ...options,
    };
    if (this.opts.realm.length === 0) throw new Error('digest realm must not be empty');
    if (this.opts.algorithms.length === 0) throw new Error('at least one digest algorithm must be offered');
    this.nonces = new NonceManager({ clock: this.opts.clock, secret: this.opts.secret, realm: this.opts.realm, lifetimeMs: this.opts.nonceLifetimeMs });
    this.dummyHa1 = randomBytes(32).toString('hex');
  }

  get realm(): string {
    return this.opts.realm;
  }

  /** Set or replace the observer (the security guard) after construction. */
  setObserver(observer: AuthObserver | undefined): void {
    if (observer) this.opts.observer = observer;
    else delete this.opts.observer;
  }

  /** A fresh challenge without looking at the request (e.g. for a request that must always be challenged). */
  challenge(proxy = false, cause: AuthCause = 'no-credentials', stale = false, transport?: string): AuthDecision & { kind: 'challenge' } {
    const nonce = this.nonces.issue();
    const challenges = this.algorithmsFor(transport).map((algorithm) => formatDigestChallenge({ realm: this.opts.realm, nonce, algorithm, qop: ['auth'], stale }));
    return {
      kind: 'challenge',
      status: proxy ? 407 : 401,
      reason: proxy ? 'Proxy Authentication Required' : 'Unauthorized',
      headerName: proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate',
      challenges,
      cause,
    };
  }

  /**
   * Browser SIP stacks answer one challenge and only MD5, and not all pick
   * the same one: SIP.js 0.21 reads the last WWW-Authenticate and gives up
   * when it is not MD5. Over WebSocket, when MD5 is configured at all, it is
   * therefore the only challenge; other transports get the configured order.
   */
  private algorithmsFor(transport: string | undefined): OfferedAlgorithm[] {
    const a = this.opts.algorithms;
    if ((transport !== 'ws' && transport !== 'wss') || !a.includes('MD5')) return a;
    return ['MD5'];
  }

  async authenticate(req: SipRequest, source: MessageSource, options: AuthenticateOptions = {}): Promise<AuthDecision> {
    const proxy = options.proxy === true;
    const picked = this.pickCredentials(req, proxy);
    if (picked.kind === 'none') return this.challenge(proxy, picked.cause, false, source.transport);
    if (picked.kind === 'malformed') return this.reject(400, 'Bad Request - malformed credentials', 'malformed-credentials', source, picked.username);
    const cr = picked.credentials;

    if (options.expectedUser !== undefined && cr.username !== options.expectedUser) {
      this.opts.observer?.recordAuthFailure?.(source, cr.username, 'user-mismatch');
      return this.reject(403, 'Forbidden', 'user-mismatch', source, cr.username);
    }
    if (!this.opts.algorithms.includes(cr.algorithm as OfferedAlgorithm)) return this.challenge(proxy, 'algorithm-not-offered', false, source.transport);
    if (cr.qop === undefined && !this.opts.allowNoQop) return this.challenge(proxy, 'qop-required', false, source.transport);
    if (this.opts.checkDigestUri && cr.uri.toLowerCase() !== req.uri.toLowerCase()) {
      return this.reject(400, 'Bad Request - digest uri does not match Request-URI', 'uri-mismatch', source, cr.username);
    }
    const nonceState = this.nonces.check(cr.nonce);
    if (nonceState === 'invalid') return this.challenge(proxy, 'bad-nonce', false, source.transport);

    const account = await this.opts.accounts.get(cr.username);
    const usable = account !== undefined && account.realm === this.opts.realm;
    if (account && !usable) this.opts.logger.warn({ username: cr.username, accountRealm: account.realm, realm: this.opts.realm }, 'SIP account hashed for another realm');
    const ha1 = usable ? ha1For(account, cr.algorithm) : this.dummyHa1;
    const expected = computeDigestResponse({ algorithm: cr.algorithm, ha1, nonce: cr.nonce, method: req.method, uri: cr.uri, body: req.body, ...optional(cr) });
    const ok = usable && (sameHex(expected, cr.response) || this.ephemeralMatches(req, cr));
    if (!ok) {
      const cause: AuthCause = usable ? 'wrong-password' : 'unknown-user';
      this.opts.observer?.recordAuthFailure?.(source, cr.username, cause);
      this.log(cause, source, cr.username);
      return this.challenge(proxy, cause, false, source.transport);
    }
    if (nonceState === 'stale') return this.challenge(proxy, 'stale-nonce', true, source.transport);
    if (cr.qop !== undefined && !this.nonces.use(cr.nonce, cr.nc!)) {
      this.opts.observer?.recordNonceReplay?.(source, cr.username);
      this.log('nonce-replay', source, cr.username);
      return this.challenge(proxy, 'nonce-replay', false, source.transport);
    }
    if (!account.enabled) return this.reject(403, 'Forbidden', 'account-disabled', source, cr.username);
    this.opts.observer?.recordAuthSuccess?.(source, cr.username);
    return { kind: 'authorized', account, username: cr.username };
  }

  /** An answer computed with one of the user's live short-lived credentials (MD5 only). */
  private ephemeralMatches(req: SipRequest, cr: DigestCredentials): boolean {
    if (cr.algorithm !== 'MD5' || !this.opts.ephemeral) return false;
    return this.opts.ephemeral
      .ha1sFor(cr.username)
      .some((ha1) => sameHex(computeDigestResponse({ algorithm: 'MD5', ha1, nonce: cr.nonce, method: req.method, uri: cr.uri, body: req.body, ...optional(cr) }), cr.response));
  }

  private pickCredentials(
    req: SipRequest,
    proxy: boolean,
  ): { kind: 'none'; cause: AuthCause } | { kind: 'malformed'; username?: string } | { kind: 'ok'; credentials: DigestCredentials } {
    const lines = req.headers.getAll(proxy ? 'Proxy-Authorization' : 'Authorization');
    if (lines.length === 0) return { kind: 'none', cause: 'no-credentials' };
    let elements: AuthElement[];
    try {
      elements = lines.flatMap((l) => parseAuthElements(l));
    } catch (e) {
      if (e instanceof DigestParseError) return { kind: 'malformed' };
      throw e;
    }
    // Ours: Digest for our realm. Anything else (another scheme, another realm) is ignored.
    const mine = elements.find((el) => el.scheme.toLowerCase() === 'digest' && el.params.get('realm') === this.opts.realm);
    if (!mine) return { kind: 'none', cause: 'other-scheme-or-realm' };
    try {
      return { kind: 'ok', credentials: toDigestCredentials(mine) };
    } catch (e) {
      if (!(e instanceof DigestParseError)) throw e;
      if (e.code === 'bad-param' && /algorithm/.test(e.message)) return { kind: 'none', cause: 'algorithm-not-offered' };
      const username = mine.params.get('username');
      return username === undefined ? { kind: 'malformed' } : { kind: 'malformed', username };
    }
  }

  private reject(status: 400 | 403, reason: string, cause: AuthCause, source: MessageSource, username?: string): AuthDecision {
    this.log(cause, source, username);
    return { kind: 'reject', status, reason, cause };
  }

  private log(cause: AuthCause, source: MessageSource, username?: string): void {
    this.opts.logger.info({ cause, username, source: `${source.transport}:${source.address}:${source.port}` }, 'SIP authentication refused');
  }
}

/** Put a challenge decision's header lines on a response (one line per challenge, in order). */
export function addChallengeHeaders(headers: { append(name: string, value: string): unknown }, decision: AuthDecision & { kind: 'challenge' }): void {
  for (const ch of decision.challenges) headers.append(decision.headerName, ch);
}

function ha1For(account: SipAccount, alg: DigestAlgorithm): string {
  return baseAlgorithm(alg) === 'SHA-256' ? account.ha1Sha256 : account.ha1Md5;
}

function optional(cr: DigestCredentials): { qop?: 'auth' | 'auth-int'; nc?: string; cnonce?: string } {
  const o: { qop?: 'auth' | 'auth-int'; nc?: string; cnonce?: string } = {};
  if (cr.qop !== undefined) o.qop = cr.qop;
  if (cr.nc !== undefined) o.nc = cr.nc;
  if (cr.cnonce !== undefined) o.cnonce = cr.cnonce;
  return o;
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

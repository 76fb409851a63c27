/**
 * Client side of SIP digest authentication (RFC 3261 section 22.2, RFC
 * 7616, RFC 8760): given the 401/407 to our request and our credentials,
 * the Authorization (or Proxy-Authorization) value for the retry. SHA-256
 * is preferred to MD5 when both are offered; qop=auth when offered.
 */
import { randomHex } from '../../shared/random.ts';
import {
  computeDigestResponse,
  computeHa1,
  formatDigestCredentials,
  parseChallenges,
  toDigestChallenge,
  type DigestChallenge,
  type DigestCredentials,
} from '../../protocol/sip/digest.ts';
import type { SipRequest, SipResponse } from '../../protocol/sip/message.ts';

export interface ClientCredentials {
  username: string;
  password: string;
}

const RANK: Record<string, number> = { 'SHA-256': 0, 'SHA-256-sess': 1, MD5: 2, 'MD5-sess': 3 };

/** The challenge we answer, or undefined when the response holds none we can. */
export function pickChallenge(res: SipResponse): { header: 'Authorization' | 'Proxy-Authorization'; challenge: DigestChallenge } | undefined {
  const proxy = res.status === 407;
  const lines = res.headers.getAll(proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate');
  let best: DigestChallenge | undefined;
  let elements;
  try {
    elements = parseChallenges(lines);
  } catch {
    return undefined;
  }
  for (const el of elements) {
    let ch: DigestChallenge;
    try {
      ch = toDigestChallenge(el);
    } catch {
      continue;
    }
    if (RANK[ch.algorithm] === undefined) continue;
    if (!best || RANK[ch.algorithm]! < RANK[best.algorithm]!) best = ch;
  }
  return best ? { header: proxy ? 'Proxy-Authorization' : 'Authorization', challenge: best } : undefined;
}

/** Credentials for `req` (its method, Request-URI and body) answering `challenge`; `nc` counts uses of this nonce. */
export function answerChallenge(req: SipRequest, challenge: DigestChallenge, creds: ClientCredentials, nc = 1): string {
  const ha1 = computeHa1(challenge.algorithm, creds.username, challenge.realm, creds.password);
  const qop = challenge.qop.includes('auth') ? ('auth' as const) : undefined;
  const cr: DigestCredentials = {
    username: creds.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: req.uri,
    algorithm: challenge.algorithm,
    response: '',
  };
  const sess = challenge.algorithm.endsWith('-sess');
  if (qop || sess) cr.cnonce = randomHex(8);
  if (qop) {
    cr.qop = qop;
    cr.nc = nc.toString(16).padStart(8, '0');
  }
  if (challenge.opaque !== undefined) cr.opaque = challenge.opaque;
  const input: Parameters<typeof computeDigestResponse>[0] = { algorithm: cr.algorithm, ha1, nonce: cr.nonce, method: req.method, uri: cr.uri, body: req.body };
  if (cr.qop) input.qop = cr.qop;
  if (cr.nc) input.nc = cr.nc;
  if (cr.cnonce) input.cnonce = cr.cnonce;
  cr.response = computeDigestResponse(input);
  return formatDigestCredentials(cr);
}

/**
 * What the digest authenticator decides about a request, and the observer
 * through which it reports successes and failures to the security guard.
 */
import type { SipAccount } from '../ports.ts';
import type { MessageSource } from '../security/message-source.ts';

/** Why a request was challenged or refused; recorded in logs and security events, never sent to the client. */
export type AuthCause =
  | 'no-credentials'
  | 'other-scheme-or-realm'
  | 'unknown-user'
  | 'wrong-password'
  | 'bad-nonce'
  | 'stale-nonce'
  | 'nonce-replay'
  | 'algorithm-not-offered'
  | 'qop-required'
  | 'malformed-credentials'
  | 'uri-mismatch'
  | 'user-mismatch'
  | 'account-disabled';

export type AuthDecision =
  | { kind: 'authorized'; account: SipAccount; username: string }
  | {
      /** Answer 401 (or 407) with one header line per challenge, in order. */
      kind: 'challenge';
      status: 401 | 407;
      reason: string;
      headerName: 'WWW-Authenticate' | 'Proxy-Authenticate';
      challenges: string[];
      cause: AuthCause;
    }
  | { kind: 'reject'; status: 400 | 403; reason: string; cause: AuthCause };

/** Implemented by the security guard (OPS-2); every method is optional. */
export interface AuthObserver {
  /** Credentials were given and did not prove the user (wrong password, unknown user, wrong AOR). */
  recordAuthFailure?(source: MessageSource, username: string, detail: string): void;
  recordAuthSuccess?(source: MessageSource, username: string): void;
  /** A nonce-count that did not increase. */
  recordNonceReplay?(source: MessageSource, username: string): void;
}

export interface AuthenticateOptions {
  /** 407 / Proxy-Authorization instead of 401 / Authorization. */
  proxy?: boolean;
  /** The digest username must equal this (the AOR user for REGISTER); 403 otherwise. */
  expectedUser?: string;
}

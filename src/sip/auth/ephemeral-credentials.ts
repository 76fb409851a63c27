/**
 * Short-lived SIP credentials for browser phones: a signed-in agent's page
 * gets the MD5 HA1 of a random secret (never the account's own hash), good
 * for `ttlMs` and only for that user in this realm. The digest
 * authenticator accepts it beside the account's password while it lives.
 * Kept in memory: after a restart the page fetches a new one.
 */
import { randomBytes } from 'node:crypto';
import { computeHa1 } from '../../protocol/sip/digest.ts';
import type { Clock } from '../../shared/clock.ts';

export interface IssuedCredential {
  /** MD5 H(username:realm:secret), what SIP.js takes as authorizationHa1. */
  ha1Md5: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** At most this many live credentials per user (a few browser tabs); the oldest goes first. */
const PER_USER = 8;

export class EphemeralCredentials {
  private readonly byUser = new Map<string, IssuedCredential[]>();

  constructor(
    private readonly realm: string,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly random: () => Buffer = () => randomBytes(24),
  ) {}

  issue(username: string): IssuedCredential {
    const now = this.clock.now();
    const c: IssuedCredential = { ha1Md5: computeHa1('MD5', username, this.realm, this.random().toString('base64url')), expiresAt: now + this.ttlMs };
    const live = this.live(username, now);
    live.push(c);
    this.byUser.set(username, live.slice(-PER_USER));
    return c;
  }

  /** The user's MD5 HA1s still valid now. */
  ha1sFor(username: string): string[] {
    return this.live(username, this.clock.now()).map((c) => c.ha1Md5);
  }

  /** Forget every credential of a user (password change, account removed). */
  revoke(username: string): void {
    this.byUser.delete(username);
  }

  private live(username: string, now: number): IssuedCredential[] {
    const l = (this.byUser.get(username) ?? []).filter((c) => c.expiresAt > now);
    if (l.length === 0) this.byUser.delete(username);
    else this.byUser.set(username, l);
    return l;
  }
}

/**
 * Login sessions with an idle timeout on the injected clock, and the
 * wrong-password lock: N wrong tries in a row (default 3) lock the account
 * until an administrator unlocks it; a good login resets the count.
 */
import type { Clock } from '../../shared/clock.ts';
import { randomHex } from '../../shared/random.ts';
import { BackOfficeError } from '../backoffice-error.ts';
import type { Session, SessionKind } from '../port.ts';
import type { Lockable } from './world.ts';

interface Entry {
  session: Session;
  lastUsedMs: number;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly maxWrongPasswords: number,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Checks a secret against a lockable account; throws wrong-password or account-locked. */
  verify(target: Lockable, expected: string, given: string, label: string): void {
    if (target.locked) throw new BackOfficeError('account-locked', `${label} is locked`);
    if (expected === given) {
      target.failedAttempts = 0;
      return;
    }
    target.failedAttempts++;
    if (target.failedAttempts >= this.maxWrongPasswords) {
      target.locked = true;
      throw new BackOfficeError('account-locked', `${label} locked after ${target.failedAttempts} wrong passwords`);
    }
    throw new BackOfficeError('wrong-password', `wrong password for ${label}`, { attemptsLeft: this.maxWrongPasswords - target.failedAttempts });
  }

  open(kind: SessionKind, customerId: string, customerName: string, account: string): Session {
    const now = this.clock.now();
    const session: Session = { token: randomHex(16), kind, customerId, customerName, account, issuedAt: new Date(now).toISOString() };
    this.sessions.set(session.token, { session, lastUsedMs: now });
    return session;
  }

  /** The live session behind a token, of one of the allowed kinds. */
  use(token: string, kinds: readonly SessionKind[]): Session {
    const entry = this.sessions.get(token);
    const now = this.clock.now();
    if (!entry || now - entry.lastUsedMs > this.idleTimeoutMs) {
      if (entry) this.sessions.delete(token);
      throw new BackOfficeError('not-authenticated', 'no such session or it expired');
    }
    if (!kinds.includes(entry.session.kind)) throw new BackOfficeError('not-permitted', `a ${entry.session.kind} session cannot do this`);
    entry.lastUsedMs = now;
    return entry.session;
  }

  close(token: string): void {
    this.sessions.delete(token);
  }

  /** Ends every session on an account (card reported lost). */
  closeAccount(account: string): void {
    for (const [token, e] of this.sessions) if (e.session.account === account) this.sessions.delete(token);
  }
}

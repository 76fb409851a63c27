/**
 * Server-side state of one caller's visit to a pack, keyed by an unguessable
 * token the server puts into its own links (like a session cookie) and
 * indexed by the IVR session. Who logged in, the back-office token and the
 * failed tries live here, never in document variables.
 */
import type { Clock } from '../../src/shared/clock.ts';
import type { AgentReason, AttachedCustomer, CallAttachedData, PackName } from './call-data.ts';
import type { Locale } from './locale.ts';

export interface PackIdentity extends AttachedCustomer {
  /** Back-office session token: server side only. */
  readonly backOfficeToken: string;
}

export interface PackSession<S> {
  readonly token: string;
  readonly pack: PackName;
  /** Changes when the caller switches language (top menu key 9). */
  locale: Locale;
  readonly ivrSessionId?: string;
  readonly ani?: string;
  identity?: PackIdentity;
  failedLogins: number;
  lockedAccount?: string;
  shareholderAccount?: string;
  request?: CallAttachedData['request'];
  reason?: AgentReason;
  readonly path: string[];
  readonly inputs: Record<string, string>;
  /** The pack's own drafts (order being entered, transfer being confirmed...). */
  state: S;
  lastSeen: number;
}

const MAX_PATH = 40;

export class PackSessionStore {
  private readonly byToken = new Map<string, PackSession<unknown>>();
  private readonly byIvr = new Map<string, string>();
  private lastPurge = 0;

  constructor(
    private readonly clock: Clock,
    private readonly idleTimeoutMs: number,
    private readonly newToken: () => string,
    /** Called for each session forgotten after its idle timeout (the server logs its back-office session out). */
    private readonly onExpire: (s: PackSession<unknown>) => void = () => undefined,
  ) {}

  open<S>(pack: PackName, locale: Locale, state: S, ivrSessionId?: string, ani?: string): PackSession<S> {
    this.purge();
    const token = this.newToken();
    if (this.byToken.has(token)) throw new Error('pack session token collision');
    const s: PackSession<S> = { token, pack, locale, ivrSessionId, ani, failedLogins: 0, path: [], inputs: {}, state, lastSeen: this.clock.now() };
    this.byToken.set(token, s as PackSession<unknown>);
    // The first pack session of an IVR session keeps the index: a second bootstrap cannot take it over.
    if (ivrSessionId && !this.byIvr.has(ivrSessionId)) this.byIvr.set(ivrSessionId, token);
    return s;
  }

  /** The live session of a token for this pack and locale; undefined when unknown, idle too long or of another pack. */
  use<S>(token: string | undefined, pack: PackName, locale: Locale): PackSession<S> | undefined {
    this.purge();
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s || s.pack !== pack || s.locale !== locale) return undefined;
    if (this.expired(s)) {
      this.drop(s);
      this.onExpire(s);
      return undefined;
    }
    s.lastSeen = this.clock.now();
    return s as PackSession<S>;
  }

  visit(s: PackSession<unknown>, page: string): void {
    s.path.push(page);
    if (s.path.length > MAX_PATH) s.path.splice(0, s.path.length - MAX_PATH);
  }

  byIvrSession(ivrSessionId: string): PackSession<unknown> | undefined {
    const t = this.byIvr.get(ivrSessionId);
    return t ? this.byToken.get(t) : undefined;
  }

  size(): number {
    return this.byToken.size;
  }

  private expired(s: PackSession<unknown>): boolean {
    return this.clock.now() - s.lastSeen > this.idleTimeoutMs;
  }

  private drop(s: PackSession<unknown>): void {
    this.byToken.delete(s.token);
    if (s.ivrSessionId && this.byIvr.get(s.ivrSessionId) === s.token) this.byIvr.delete(s.ivrSessionId);
  }

  /** At most once a minute: forget sessions idle past the timeout. */
  private purge(): void {
    const now = this.clock.now();
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    for (const s of [...this.byToken.values()]) {
      if (!this.expired(s)) continue;
      this.drop(s);
      this.onExpire(s);
    }
  }
}

export function attachedData(s: PackSession<unknown>): CallAttachedData {
  const id = s.identity;
  return {
    pack: s.pack,
    locale: s.locale,
    ...(s.ivrSessionId ? { ivrSessionId: s.ivrSessionId } : {}),
    ...(s.ani ? { ani: s.ani } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    authenticated: id !== undefined,
    ...(id ? { customer: { customerId: id.customerId, name: id.name, account: id.account, kind: id.kind } } : {}),
    ...(s.lockedAccount ? { lockedAccount: s.lockedAccount } : {}),
    ...(s.shareholderAccount ? { shareholderAccount: s.shareholderAccount } : {}),
    path: [...s.path],
    inputs: { ...s.inputs },
    ...(s.request ? { request: s.request } : {}),
  };
}

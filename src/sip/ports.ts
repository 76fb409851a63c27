/**
 * Ports the signalling layer needs from storage. src/store implements them
 * over Kysely (SQLite or PostgreSQL); tests may use the in-memory versions in
 * src/sip/memory-stores.ts. Every method is async so both back ends fit.
 */

/** A SIP account allowed to register (agents, supervisors, trunks' peers). */
export interface SipAccount {
  /** User part used in REGISTER and digest `username`, e.g. "8001". */
  username: string;
  /** Digest realm the hashes below were computed for. */
  realm: string;
  /** H(username:realm:password) with MD5, hex. */
  ha1Md5: string;
  /** H(username:realm:password) with SHA-256, hex. */
  ha1Sha256: string;
  displayName?: string;
  enabled: boolean;
  createdAt: Date;
}

export interface SipAccountStore {
  get(username: string): Promise<SipAccount | undefined>;
  list(): Promise<SipAccount[]>;
  /** Insert or replace. */
  put(account: SipAccount): Promise<void>;
  /** True when an account was removed. */
  remove(username: string): Promise<boolean>;
}

/** One binding of an address-of-record to a contact (RFC 3261 section 10.3). */
export interface Registration {
  /** Address-of-record, normalised: `sip:8001@domain`. */
  aor: string;
  /** Contact URI as registered (without name-addr brackets or header params). */
  contact: string;
  /** Full Contact header value as received, parameters included. */
  contactHeader: string;
  /** q-value 0..1 (1 when absent). */
  q: number;
  callId: string;
  cseq: number;
  expiresAt: Date;
  registeredAt: Date;
  /** Transport the REGISTER came over and the source it came from (for reaching NATed phones). */
  transport: string;
  sourceAddress: string;
  sourcePort: number;
  /** Stream connection id the REGISTER came on, when it was a stream transport. */
  connectionId?: string;
  userAgent?: string;
  /** RFC 5626 instance id if given. */
  instanceId?: string;
}

export interface RegistrationStore {
  /** Current bindings of one AOR (expired ones may be included; callers filter by time). */
  list(aor: string): Promise<Registration[]>;
  /** Every binding of every AOR. */
  listAll(): Promise<Registration[]>;
  /** Insert or replace the binding identified by (aor, contact). */
  put(reg: Registration): Promise<void>;
  /** Several puts in one transaction, all or none (optional: a group commit for busy registrars). */
  putMany?(regs: Registration[]): Promise<void>;
  remove(aor: string, contact: string): Promise<void>;
  removeAll(aor: string): Promise<void>;
  /** Delete bindings that expired at or before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

export type SecurityEventKind =
  | 'auth-failure'
  | 'ban'
  | 'unban'
  | 'rate-limited'
  | 'scanner-dropped'
  | 'malformed'
  | 'nonce-replay';

export interface SecurityEvent {
  at: Date;
  kind: SecurityEventKind;
  sourceAddress: string;
  sourcePort?: number;
  transport?: string;
  username?: string;
  userAgent?: string;
  detail?: string;
}

export interface SecurityEventStore {
  append(event: SecurityEvent): Promise<void>;
  /** Newest first. */
  list(opts?: { since?: Date; kind?: SecurityEventKind; limit?: number }): Promise<SecurityEvent[]>;
}

/** A temporary ban of a source address (OPS-2). */
export interface Ban {
  address: string;
  reason: string;
  bannedAt: Date;
  until: Date;
}

export interface BanStore {
  list(): Promise<Ban[]>;
  put(ban: Ban): Promise<void>;
  remove(address: string): Promise<boolean>;
}

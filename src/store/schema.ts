/**
 * The typed database schema shared by both back ends (SQLite and PostgreSQL).
 *
 * Conventions, identical on both back ends:
 * - instants are epoch milliseconds (UTC) in integer/bigint columns (`*_at`, `until`);
 * - booleans are integers 0/1 (SQLite has no boolean type);
 * - optional values are NULL.
 */
import type { Generated } from 'kysely';

export interface SipAccountTable {
  username: string;
  realm: string;
  ha1_md5: string;
  ha1_sha256: string;
  display_name: string | null;
  enabled: number;
  created_at: number;
}

export interface RegistrationTable {
  aor: string;
  contact: string;
  contact_header: string;
  q: number;
  call_id: string;
  cseq: number;
  expires_at: number;
  registered_at: number;
  transport: string;
  source_address: string;
  source_port: number;
  connection_id: string | null;
  user_agent: string | null;
  instance_id: string | null;
}

export interface SecurityEventTable {
  id: Generated<number>;
  at: number;
  kind: string;
  source_address: string;
  source_port: number | null;
  transport: string | null;
  username: string | null;
  user_agent: string | null;
  detail: string | null;
}

export interface BanTable {
  address: string;
  reason: string;
  banned_at: number;
  until: number;
}

export interface UserTable {
  username: string;
  display_name: string | null;
  /** `scrypt$N$r$p$salt$hash` (see password-hash.ts). */
  password_hash: string;
  role: string;
  enabled: number;
  created_at: number;
}

export interface ApiTokenTable {
  id: string;
  /** SHA-256 of the bearer token, hex; the token itself is never stored. */
  token_hash: string;
  username: string;
  label: string;
  created_at: number;
  expires_at: number | null;
}

/** Small key/value facts about the database itself (e.g. when the demo was seeded). */
export interface MetaTable {
  key: string;
  value: string;
}

/** The event log: one row per event, `seq` 1, 2, 3... assigned by the one writer; `data` is the event as JSON. */
export interface EventTable {
  seq: number;
  at: number;
  type: string;
  interaction: string | null;
  data: string;
}

/** One call record per interaction: indexed columns plus the whole record as JSON in `data`. */
export interface CallRecordTable {
  interaction_id: string;
  started_at: number;
  ended_at: number | null;
  direction: string;
  customer: string;
  queue_id: string | null;
  disposition: string | null;
  status: string;
  last_seq: number;
  data: string;
}

/** One record per leg of an interaction. */
export interface LegRecordTable {
  leg_id: string;
  interaction_id: string;
  party_kind: string;
  party_id: string;
  created_at: number;
  end_at: number | null;
  last_seq: number;
  data: string;
}

/** The operation log (ADM-3): one row per agent, supervisor or admin action; `detail` is JSON. */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  /** `ok`, or the typed error code of a refused request. */
  outcome: string;
  status: number | null;
  detail: string | null;
  source_address: string | null;
}

/** A supervisor's task for one agent (SUP-4). */
export interface TaskTable {
  id: string;
  title: string;
  detail: string | null;
  due_at: number | null;
  assignee: string;
  created_by: string;
  created_at: number;
  status: string;
  updated_at: number;
}

/** A notice to one agent, a group or everyone (SUP-4); its recipients as resolved when it was sent. */
export interface NoticeTable {
  id: string;
  at: number;
  sender: string;
  /** `all`, `agent:ID` or `group:NAME`. */
  audience: string;
  title: string;
  body: string | null;
}

export interface NoticeRecipientTable {
  notice_id: string;
  agent_id: string;
  read_at: number | null;
}

export interface HotlineDatabase {
  sip_accounts: SipAccountTable;
  registrations: RegistrationTable;
  security_events: SecurityEventTable;
  bans: BanTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  meta: MetaTable;
  events: EventTable;
  call_records: CallRecordTable;
  leg_records: LegRecordTable;
  audit_log: AuditLogTable;
  tasks: TaskTable;
  notices: NoticeTable;
  notice_recipients: NoticeRecipientTable;
}

/**
 * Wire shapes the UI reads, as the API documents them (src/api/schemas.ts,
 * src/api/routes/session-routes.ts). Instants are ISO 8601 strings.
 */
export type Role = 'admin' | 'supervisor' | 'agent';

export interface Me {
  username: string;
  displayName?: string;
  role: Role;
  expiresAt?: string;
  /** ADM-1: the API areas this user may use (all their role reaches, narrowed by a custom role). */
  permissions?: string[];
  customRole?: { id: string; name: string };
}

export interface Session {
  token: string;
  expiresAt: string;
  user: Me;
}

export interface SipUser {
  ext: string;
  name?: string;
  realm: string;
  enabled: boolean;
  createdAt: string;
}

export interface CreatedSipUser extends SipUser {
  /** Present only when the server generated it. */
  password?: string;
}

export interface NewSipUser {
  ext: string;
  name?: string;
  password?: string;
  enabled?: boolean;
}

export interface Registration {
  aor: string;
  contact: string;
  q: number;
  transport: string;
  source: string;
  registeredAt: string;
  expiresAt: string;
  expiresInSec: number;
  userAgent?: string;
}

export interface Ban {
  address: string;
  reason: string;
  bannedAt: string;
  until: string;
}

export const SECURITY_EVENT_KINDS = ['auth-failure', 'ban', 'unban', 'rate-limited', 'scanner-dropped', 'malformed', 'nonce-replay'] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

export interface SecurityEvent {
  at: string;
  kind: SecurityEventKind;
  sourceAddress: string;
  sourcePort?: number;
  transport?: string;
  username?: string;
  userAgent?: string;
  detail?: string;
}

export type ComponentStatus = 'up' | 'down' | 'not-started';

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSec: number;
  components: Record<string, { status: ComponentStatus; detail?: string }>;
}

/** GET /api/v1/agents[/:id] (src/api/routes/acd-schemas.ts AgentDto). */
export interface AgentStatus {
  id: string;
  extension: string;
  name?: string;
  state: 'logged-out' | 'not-ready' | 'ready' | 'reserved' | 'talking' | 'wrap-up' | 'locked';
  since: string;
  reason?: string;
  pendingNotReady?: string;
  interactionId?: string;
  counters: {
    offered: number;
    answered: number;
    ronaCount: number;
    notReadyCount: number;
    notReadyMs: number;
    onlineMs: number;
    talkMs: number;
    wrapUpMs: number;
    transfers: number;
    consults: number;
  };
}

/** GET /api/v1/queues. */
export interface QueueStatus {
  id: string;
  name?: string;
  waiting: number;
  longestWaitSec: number;
  serviceLevel: number | null;
  serviceLevelThresholdSec: number;
  /** CTI-7: the queue's service-time limit and reminder, when it has one. */
  serviceTimeLimitSec?: number;
  serviceTimeReminderSec?: number;
  asaSec: number | null;
  ahtSec: number;
}

export type PartyKind = 'customer' | 'agent' | 'supervisor' | 'ivr' | 'external';
export type LegState = 'idle' | 'dialing' | 'ringing' | 'early' | 'connected' | 'held' | 'terminated';

export interface Leg {
  id: string;
  party: { kind: PartyKind; id: string };
  direction: 'inbound' | 'outbound';
  state: LegState;
  createdAt: number;
  ringAt?: number;
  answerAt?: number;
}

/** GET /api/v1/calls (src/api/call-schemas.ts InteractionDto), the parts the desktop reads. */
export interface Interaction {
  id: string;
  state: 'ivr' | 'queued' | 'ringing' | 'talking' | 'on-hold' | 'consulting' | 'conferencing' | 'ended';
  customer: { number: string; name?: string };
  /** The service number or entry point the call came in on. */
  entryPoint?: string;
  callData: Record<string, unknown>;
  agentId?: string;
  queueId?: string;
  legs: Leg[];
  startedAt: string;
}

/** GET /api/v1/dialling (ADM-1 may-dial-out): extensions and service numbers are inside and always allowed. */
export interface DiallingRules {
  mayDialOut: boolean;
  extensions: { from: string; to: string }[];
  serviceNumbers: string[];
}

/** ADM-1: an administrator's standing for an agent. */
export type AgentAdminStatus = 'normal' | 'frozen' | 'deregistered';

/** GET /api/v1/admin/agents */
export interface AdminAgent {
  id: string;
  extension: string;
  name?: string;
  level: number;
  skills: Record<string, number>;
  groups: string[];
  mayDialOut: boolean;
  /** ADM-1: the branch (organisation catalog). */
  branch?: string;
  status: AgentAdminStatus;
  state: string;
  /** ADM-1: the custom role of the agent's web user. */
  role?: string;
  webUser: boolean;
  sipAccount: boolean;
}

/** POST /api/v1/admin/agents */
export interface NewAgent {
  extension: string;
  name: string;
  password?: string;
  level?: number;
  skills: Record<string, number>;
  groups?: string[];
  mayDialOut?: boolean;
  branch?: string;
}

export type CreatedAgent = AdminAgent & { password?: string };

/** PATCH /api/v1/admin/agents/:id */
export interface AgentChange {
  name?: string;
  level?: number;
  skills?: Record<string, number>;
  groups?: string[];
  mayDialOut?: boolean;
  status?: AgentAdminStatus;
  password?: string;
  /** null: no branch. */
  branch?: string | null;
  /** ADM-1: an agent-based custom role; null: none. */
  role?: string | null;
}

/** ACD-7 blacklist modes: refuse before the queue, flag for the agent, answer and hang up. */
export type BlacklistMode = 'refuse' | 'flag' | 'hangup';

/** GET /api/v1/blacklist */
export interface BlacklistEntry {
  number: string;
  match: 'exact' | 'prefix';
  mode?: BlacklistMode;
  reason?: string;
  expiresAt?: string;
}

/** POST /api/v1/blacklist */
export interface NewBlacklistEntry {
  number: string;
  match?: 'exact' | 'prefix';
  mode?: BlacklistMode;
  reason?: string;
}

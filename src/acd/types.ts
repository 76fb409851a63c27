/**
 * Shared vocabulary of the routing engine (ACD-1, ACD-8). Plain data only:
 * the engine, the strategies and the treatment policy all speak it.
 */

export type AgentId = string;
export type QueueId = string;
export type EntryId = string;
export type SkillName = string;

/** Customer service levels of ACD-8, highest first. */
export const CUSTOMER_LEVELS = ['special', 'priority', 'standard'] as const;
export type CustomerLevel = (typeof CUSTOMER_LEVELS)[number];

/** Media of a queued contact; `voice` first in the default media priority. */
export const MEDIA_TYPES = ['voice', 'video', 'chat', 'callback', 'email'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Skill levels run from 1 (novice) to 10 (expert). */
export const MIN_LEVEL = 1;
export const MAX_LEVEL = 10;

export interface SkillRequirement {
  readonly skill: SkillName;
  /** Lowest acceptable agent level for the skill (1-10); 1 when omitted. */
  readonly minLevel?: number;
}

export interface GroupMembership {
  readonly group: string;
  /** 1 is the most preferred group of the agent; larger numbers rank later. */
  readonly priority: number;
}

/** Static description of an agent, as an administrator configures it. */
export interface AgentProfile {
  readonly id: AgentId;
  /** Overall grade 1-10 that ACD-8 matches against the customer level. */
  readonly level: number;
  readonly skills: Readonly<Record<SkillName, number>>;
  readonly groups: readonly GroupMembership[];
  /** ACD-3: the agent's phone answers offers by itself. */
  readonly autoAnswer: boolean;
  readonly region?: string;
  /** Media the agent may handle; all media when omitted. */
  readonly media?: readonly MediaType[];
  /** Overrides the queue's wrap-up time (ms) when set. */
  readonly wrapUpMs?: number;
  /** Overrides the queue's ring-no-answer time (ms) when set (ACD-4). */
  readonly ringTimeoutMs?: number;
}

/** ACD-8: the lowest agent grade allowed to serve each customer level. */
export type LevelMapping = Readonly<Record<CustomerLevel, number>>;

export const DEFAULT_LEVEL_MAPPING: LevelMapping = { special: 1, priority: 1, standard: 1 };

/** Base routing priority per customer level (bigger goes first). */
export type LevelPriorities = Readonly<Record<CustomerLevel, number>>;

export const DEFAULT_LEVEL_PRIORITIES: LevelPriorities = { special: 100, priority: 50, standard: 0 };

export interface QueueDefinition {
  readonly id: QueueId;
  readonly name?: string;
  readonly requiredSkills: readonly SkillRequirement[];
  /** When non-empty, only members of one of these groups may serve the queue. */
  readonly groups?: readonly string[];
  /** Service-level threshold T in ms (DESIGN.md metric definitions); 20 s by default. */
  readonly serviceLevelMs?: number;
  readonly wrapUpMs?: number;
  readonly ringTimeoutMs?: number;
  readonly levelMapping?: LevelMapping;
  /** CTI-7: talk-time limit (ms) and how long before it the reminder comes. */
  readonly serviceTimeLimitMs?: number;
  readonly serviceTimeReminderMs?: number;
}

export const DEFAULT_SERVICE_LEVEL_MS = 20_000;
export const DEFAULT_WRAP_UP_MS = 0;
export const DEFAULT_RING_TIMEOUT_MS = 15_000;

/** Call-attached data that routing reads. */
export interface ContactData {
  readonly callerNumber?: string;
  readonly dialledNumber?: string;
  readonly customerId?: string;
  readonly customerLevel: CustomerLevel;
  readonly region?: string;
  readonly media: MediaType;
  /** The agent who served this customer last, and when the contact ended (epoch ms). */
  readonly lastAgent?: AgentId;
  readonly lastContactAt?: number;
  /** ACD-7 "flag" mode: the agent's screen shows a warning and a one-click hang-up. */
  readonly blacklistWarning?: boolean;
  readonly attached?: Readonly<Record<string, string>>;
}

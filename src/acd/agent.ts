import type { Clock } from '../shared/clock.ts';
import { type AgentAction, type AgentState, transitionAgent } from './agent-state.ts';
import type { AgentId, AgentProfile, MediaType, SkillName } from './types.ts';

/** Today's per-agent figures (SUP-1, RPT-1 data). Times in ms. */
export interface AgentCounters {
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
}

export function emptyCounters(): AgentCounters {
  return {
    offered: 0,
    answered: 0,
    ronaCount: 0,
    notReadyCount: 0,
    notReadyMs: 0,
    onlineMs: 0,
    talkMs: 0,
    wrapUpMs: 0,
    transfers: 0,
    consults: 0,
  };
}

/** What strategies may read about an agent: never mutable. */
export interface AgentView {
  readonly id: AgentId;
  readonly profile: AgentProfile;
  readonly state: AgentState;
  /** When the agent last became ready after work or a pause (longest-idle). */
  readonly idleSince: number;
  readonly counters: Readonly<AgentCounters>;
  /** Order number of the agent (registration order), the final tie-break. */
  readonly ordinal: number;
  skillLevel(skill: SkillName): number;
  handlesMedia(media: MediaType): boolean;
}

/** One agent: profile, state machine and counters. The engine owns it. */
export class Agent implements AgentView {
  state: AgentState = 'logged-out';
  stateSince: number;
  /** Time up to which the counters account for the current state. */
  private accountedAt: number;
  idleSince: number;
  notReadyReason: string | undefined;
  /** A not-ready requested during a call, applied when the call's work ends. */
  pendingNotReady: string | undefined;
  counters: AgentCounters = emptyCounters();

  private skillMap: Map<SkillName, number>;

  constructor(
    private currentProfile: AgentProfile,
    readonly ordinal: number,
    private readonly clock: Clock,
  ) {
    this.skillMap = new Map(Object.entries(currentProfile.skills));
    this.stateSince = clock.now();
    this.accountedAt = this.stateSince;
    this.idleSince = this.stateSince;
  }

  get id(): AgentId {
    return this.currentProfile.id;
  }

  get profile(): AgentProfile {
    return this.currentProfile;
  }

  /** Skills are looked up on every routing decision: kept in a Map, not the profile's plain object. */
  set profile(p: AgentProfile) {
    this.currentProfile = p;
    this.skillMap = new Map(Object.entries(p.skills));
  }

  skillNames(): IterableIterator<SkillName> {
    return this.skillMap.keys();
  }

  skillLevel(skill: SkillName): number {
    return this.skillMap.get(skill) ?? 0;
  }

  handlesMedia(media: MediaType): boolean {
    return this.profile.media === undefined || this.profile.media.includes(media);
  }

  /**
   * Moves through the transition table, keeping time counters right; returns
   * the previous state. `resume`: back to a pause the agent already had
   * before a direct call (not a new not-ready, so not counted again).
   */
  apply(action: AgentAction, reason?: string, resume = false): AgentState {
    const from = this.state;
    const to = transitionAgent(this.id, from, action);
    const now = this.clock.now();
    this.account(from, now - this.accountedAt);
    if (to === 'not-ready') {
      if (from !== 'not-ready' && !resume) this.counters.notReadyCount++;
      this.notReadyReason = reason ?? 'unspecified';
    } else {
      this.notReadyReason = undefined;
    }
    if (to === 'ready' && action !== 'withdraw') this.idleSince = now;
    this.state = to;
    this.stateSince = now;
    this.accountedAt = now;
    return from;
  }

  private account(state: AgentState, ms: number): void {
    if (state !== 'logged-out' && state !== 'locked') this.counters.onlineMs += ms;
    if (state === 'not-ready') this.counters.notReadyMs += ms;
    else if (state === 'talking') this.counters.talkMs += ms;
    else if (state === 'wrap-up') this.counters.wrapUpMs += ms;
  }

  /** Counters including the time spent so far in the current state. */
  countersAt(now: number): AgentCounters {
    const saved = this.counters;
    this.counters = { ...saved };
    this.account(this.state, now - this.accountedAt);
    const out = this.counters;
    this.counters = saved;
    return out;
  }

  /** Starts a new day: counters restart, the current state's time counts from now. */
  resetCounters(now: number): void {
    this.counters = emptyCounters();
    this.accountedAt = now;
  }
}

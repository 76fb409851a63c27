/**
 * What agents, supervisors and operators may do to the running ACD (ACD-3,
 * ACD-7, ACD-9, SUP-3), and the live views they read (SUP-1 data): agent
 * states, queue figures, routing rule versions, the blacklist. The HTTP API
 * and, through it, the CLI call these; forbidden requests throw AcdError or
 * AgentStateError with a typed code.
 */
import type { Clock } from '../../shared/clock.ts';
import type { AgentDirectory } from '../../switch/runtime/ports.ts';
import type { AcdEngine, AgentSnapshot } from '../acd-engine.ts';
import { AcdError } from '../acd-error.ts';
import type { CallbackTask } from '../acd-events.ts';
import { AgentStateError } from '../agent-state.ts';
import { type Blacklist, type BlacklistEntry, blacklistEntrySchema } from '../blacklist.ts';
import type { QueueSnapshot } from '../queue-runtime.ts';
import type { ApplyResult, RuleSetStore, RuleSetVersion } from '../rule-set-store.ts';
import type { AgentId, EntryId } from '../types.ts';
import type { AcdConfig } from './acd-config.ts';

export const AGENT_ACTIONS = ['login', 'ready', 'not-ready', 'logout', 'wrap-up-done', 'lock', 'unlock'] as const;
export type AgentRequest = (typeof AGENT_ACTIONS)[number];

/** ADM-1: an administrator's standing for the agent; a frozen or deregistered agent cannot log in nor be offered calls. */
export const AGENT_ADMIN_STATUSES = ['normal', 'frozen', 'deregistered'] as const;
export type AgentAdminStatus = (typeof AGENT_ADMIN_STATUSES)[number];

export interface AgentStatus extends AgentSnapshot {
  readonly extension: string;
  readonly name?: string;
  /** The switch interaction the agent is offered, talking on or wrapping up. */
  readonly interactionId?: string;
  /** The agent is working a callback task (dials the customer back). */
  readonly callbackTask?: CallbackTask;
}

export interface QueueStatus extends QueueSnapshot {
  readonly name?: string;
  readonly serviceLevelThresholdMs: number;
  /** CTI-7: the queue's service-time limit and reminder, when it has one (a desktop reloaded mid-call rebuilds its countdown from them). */
  readonly serviceTimeLimitMs?: number;
  readonly serviceTimeReminderMs?: number;
}

export class AcdControl {
  private readonly names = new Map<AgentId, string | undefined>();
  /** Agents an administrator froze or deregistered (absent: normal). */
  private readonly disabled = new Map<AgentId, Exclude<AgentAdminStatus, 'normal'>>();
  private blacklistListeners: (() => void)[] = [];
  private readonly queueIds: { id: string; name?: string; serviceLevelMs?: number }[];
  /** Callback tasks by entry, until an agent takes them. */
  private readonly callbackTasks = new Map<EntryId, CallbackTask>();
  /** Agents working a callback (no switch interaction yet). */
  private readonly callbackWork = new Map<AgentId, CallbackTask>();

  constructor(
    private readonly engine: AcdEngine,
    config: AcdConfig,
    private readonly directory: AgentDirectory,
    private readonly rules: RuleSetStore,
    private readonly list: Blacklist,
    private readonly clock: Clock,
    private readonly interactionOf: (entryId: EntryId) => string | undefined = () => undefined,
  ) {
    for (const a of config.agents) this.names.set(a.id, a.name);
    this.queueIds = config.queues.map((q) => ({ id: q.id, ...(q.name !== undefined ? { name: q.name } : {}), ...(q.serviceLevelMs !== undefined ? { serviceLevelMs: q.serviceLevelMs } : {}) }));
  }

  /** An agent id, or the extension of one (the CLI speaks extensions). */
  resolveAgent(idOrExtension: string): AgentId {
    if (this.names.has(idOrExtension)) return idOrExtension;
    const id = this.directory.agentOfExtension(idOrExtension);
    if (id === undefined) throw new AcdError('UNKNOWN_AGENT', `no agent ${idOrExtension}`);
    return id;
  }

  agents(): AgentStatus[] {
    return [...this.names.keys()].map((id) => this.agent(id));
  }

  agent(id: AgentId): AgentStatus {
    const s = this.engine.agentSnapshot(id);
    const ix = (s.entryId !== undefined ? this.interactionOf(s.entryId) : undefined) ?? s.direct?.interactionId;
    const task = this.callbackWork.get(id);
    const name = this.names.get(id);
    return {
      ...s,
      extension: this.directory.extensionOf(id) ?? id,
      ...(name !== undefined ? { name } : {}),
      ...(ix !== undefined ? { interactionId: ix } : {}),
      ...(task ? { callbackTask: task } : {}),
    };
  }

  queues(): QueueStatus[] {
    return this.queueIds.map((q) => {
      const def = this.engine.queueDefinition(q.id);
      return {
        ...this.engine.queueSnapshot(q.id),
        ...(q.name !== undefined ? { name: q.name } : {}),
        serviceLevelThresholdMs: q.serviceLevelMs ?? 20_000,
        ...(def.serviceTimeLimitMs !== undefined && def.serviceTimeLimitMs > 0 ? { serviceTimeLimitMs: def.serviceTimeLimitMs, ...(def.serviceTimeReminderMs !== undefined ? { serviceTimeReminderMs: def.serviceTimeReminderMs } : {}) } : {}),
      };
    });
  }

  /** A queue added or changed at run time (ADM-2): listed with its new name and service-level threshold. */
  registerQueue(q: { id: string; name?: string | undefined; serviceLevelMs?: number | undefined }): void {
    const row = { id: q.id, ...(q.name !== undefined ? { name: q.name } : {}), ...(q.serviceLevelMs !== undefined ? { serviceLevelMs: q.serviceLevelMs } : {}) };
    const i = this.queueIds.findIndex((x) => x.id === q.id);
    if (i >= 0) this.queueIds[i] = row;
    else this.queueIds.push(row);
  }

  /** An agent added at run time (AcdService.addAgent) or renamed. */
  registerAgent(id: AgentId, name: string | undefined): void {
    this.names.set(id, name);
  }

  adminStatus(id: AgentId): AgentAdminStatus {
    return this.disabled.get(id) ?? 'normal';
  }

  /**
   * ADM-1: freezing or deregistering signs the agent out at once (locked: no
   * offers, no login); an agent on a call is locked when the call ends.
   * Back to normal lifts the lock; the agent logs in again.
   */
  setStatus(id: AgentId, status: AgentAdminStatus): AgentStatus {
    if (!this.names.has(id)) throw new AcdError('UNKNOWN_AGENT', `no agent ${id}`);
    if (status === 'normal') {
      const was = this.disabled.delete(id);
      if (was && this.engine.agentSnapshot(id).state === 'locked') this.engine.unlock(id);
    } else {
      this.disabled.set(id, status);
      this.enforceStatus(id);
    }
    return this.agent(id);
  }

  /** Locks a disabled agent when its state allows (not while talking). */
  enforceStatus(id: AgentId): void {
    if (!this.disabled.has(id) || !this.names.has(id)) return;
    const state = this.engine.agentSnapshot(id).state;
    if (state !== 'talking' && state !== 'locked') this.engine.lock(id);
  }

  /** ACD-3, SUP-3: one agent request; returns the agent's new status. */
  act(agentId: AgentId, action: AgentRequest, reason?: string): AgentStatus {
    const e = this.engine;
    const off = this.disabled.get(agentId);
    if (off !== undefined && (action === 'login' || action === 'ready' || action === 'unlock')) {
      throw new AcdError('AGENT_DISABLED', `agent ${agentId} is ${off}`);
    }
    switch (action) {
      case 'login':
        e.login(agentId);
        break;
      case 'ready':
        e.ready(agentId);
        break;
      case 'not-ready':
        e.notReady(agentId, reason ?? 'break');
        break;
      case 'logout':
        e.logout(agentId);
        break;
      case 'lock':
        e.lock(agentId);
        break;
      case 'unlock':
        e.unlock(agentId);
        break;
      case 'wrap-up-done':
        this.wrapUpDone(agentId);
        break;
    }
    return this.agent(agentId);
  }

  /** After-call work finished early: ready, or the pause the agent asked for during the call. */
  private wrapUpDone(agentId: AgentId): void {
    const onCallback = this.callbackWork.has(agentId) && this.engine.agentSnapshot(agentId).state === 'talking';
    if (onCallback) this.endCallback(agentId);
    const s = this.engine.agentSnapshot(agentId);
    if (onCallback && s.state !== 'wrap-up') return; // no wrap-up time configured: already free
    if (s.state !== 'wrap-up') throw new AgentStateError('INVALID_TRANSITION', agentId, s.state, 'finish-wrap-up');
    if (s.pendingNotReady !== undefined) this.engine.notReady(agentId, s.pendingNotReady);
    else this.engine.ready(agentId);
  }

  /** The switch says the agent's end of a call is over: wrap-up starts if it was the ACD's contact or a callback. */
  released(agentId: AgentId, entryId: EntryId | undefined): void {
    const s = this.engine.agentSnapshot(agentId);
    if (s.state !== 'talking') return;
    if (this.callbackWork.has(agentId)) return this.endCallback(agentId);
    if (entryId !== undefined && s.entryId === entryId) this.engine.endCall(agentId);
  }

  rememberCallback(task: CallbackTask): void {
    this.callbackTasks.set(task.entryId, task);
  }

  /** A callback reached an agent: the agent is busy with it until the call back ends (or wrap-up-done). */
  assignCallback(agentId: AgentId, entryId: EntryId, announce: (task: CallbackTask) => void): void {
    const task = this.callbackTasks.get(entryId);
    this.callbackTasks.delete(entryId);
    this.engine.answer(agentId);
    if (task) {
      this.callbackWork.set(agentId, task);
      announce(task);
    }
  }

  /** Callback tasks still waiting for an agent. */
  pendingCallbacks(): CallbackTask[] {
    return [...this.callbackTasks.values()];
  }

  private endCallback(agentId: AgentId): void {
    this.callbackWork.delete(agentId);
    this.engine.endCall(agentId);
  }

  // ---- routing rules (ACD-9) ----

  currentRules(): RuleSetVersion {
    return this.rules.current();
  }

  ruleHistory(): readonly RuleSetVersion[] {
    return this.rules.history();
  }

  /** Validated whole and applied at once, as the next version; nothing changes on any issue. */
  applyRules(input: unknown, author: string, note?: string): ApplyResult {
    return this.rules.apply(input, author, this.clock.now(), note);
  }

  rollbackRules(version: number, author: string): ApplyResult {
    return this.rules.rollback(version, author, this.clock.now());
  }

  /** Called after every rules version applied or rolled back (to keep them across restarts); returns the unsubscribe. */
  onRulesChange(listener: () => void): () => void {
    return this.rules.onApply(() => listener());
  }

  /** At start: the kept rule versions back (see RuleSetStore.restore); returns how many. */
  restoreRules(kept: readonly RuleSetVersion[]): number {
    return this.rules.restore(kept);
  }

  // ---- blacklist (ACD-7) ----

  blacklist(): ReturnType<Blacklist['list']> {
    return this.list.list();
  }

  /** Validates (ZodError on a bad entry) and adds or replaces. */
  addToBlacklist(entry: BlacklistEntry): void {
    const valid = blacklistEntrySchema.parse(entry);
    this.list.remove(valid.number);
    this.list.add(valid);
    this.blacklistChanged();
  }

  removeFromBlacklist(number: string): boolean {
    const removed = this.list.remove(number);
    if (removed) this.blacklistChanged();
    return removed;
  }

  /** Called after every blacklist change (to keep the list across restarts); returns the unsubscribe. */
  onBlacklistChange(listener: () => void): () => void {
    this.blacklistListeners.push(listener);
    return () => {
      this.blacklistListeners = this.blacklistListeners.filter((l) => l !== listener);
    };
  }

  private blacklistChanged(): void {
    for (const l of this.blacklistListeners) l();
  }
}

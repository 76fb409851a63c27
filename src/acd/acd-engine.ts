/**
 * The routing engine (ACD-1 to ACD-5, CTI-7): agents, queues, contacts and
 * the decisions between them. Pure: time comes from the injected Clock, the
 * outside world hears typed events and tells the engine what happened
 * (answered, hung up, digit pressed). The switch drives it later.
 */
import type { Clock, TimerHandle } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { AcdError } from './acd-error.ts';
import type { AcdEvent, CallbackTask } from './acd-events.ts';
import { Agent, type AgentCounters } from './agent.ts';
import { type AgentAction, type AgentState, isStaffed, transitionAgent } from './agent-state.ts';
import { DEFAULT_TIME_ZONE, nextLocalMidnight } from './center-time.ts';
import { type DirectCall, type DirectCallInfo, type DirectCallKind, isCustomerCall } from './direct-call.ts';
import { agentFitsQueue } from './eligibility.ts';
import { Emitter } from './emitter.ts';
import { checkAgentProfile, checkQueueDefinition } from './profile-check.ts';
import { QueueEntry, type EntryView } from './queue-entry.ts';
import { QueueRuntime, type QueueSnapshot } from './queue-runtime.ts';
import { ReadyIndex } from './ready-index.ts';
import type { RoutingExplanation, RoutingStrategy } from './routing-strategy.ts';
import { LongestIdleStrategy } from './strategies/longest-idle.ts';
import { type TreatmentCommand, type TreatmentConfig, TreatmentPolicy, type TreatmentProgress } from './treatment-policy.ts';
import {
  type AgentId,
  type AgentProfile,
  type ContactData,
  DEFAULT_RING_TIMEOUT_MS,
  DEFAULT_WRAP_UP_MS,
  type EntryId,
  type QueueDefinition,
  type QueueId,
} from './types.ts';
import { estimateWaitMs } from './wait-estimator.ts';

export interface AcdEngineOptions {
  readonly clock: Clock;
  /** Decides both directions unless a queue names its own (agent direction); longest-idle by default. */
  readonly strategy?: RoutingStrategy;
  readonly timeZone?: string;
  readonly logger?: Logger;
  readonly idPrefix?: string;
  /**
   * Extra time (ms) the engine's own ring-no-answer timer waits beyond the
   * ring time it tells the switch, so the switch's report (`offerFailed`)
   * normally comes first; the engine's timer stays as a backstop. 0 by default.
   */
  readonly ringGuardMs?: number;
}

export interface QueueOptions {
  readonly strategy?: RoutingStrategy;
  readonly treatment?: TreatmentConfig;
  /** Seed of the handle-time average used for wait estimates (ms). */
  readonly initialAhtMs?: number;
}

export interface AgentSnapshot {
  readonly id: AgentId;
  readonly state: AgentState;
  readonly since: number;
  readonly reason?: string;
  readonly pendingNotReady?: string;
  readonly entryId?: EntryId;
  /** A call the ACD did not route (transfer, consultation, internal or outbound call). */
  readonly direct?: { readonly interactionId: string; readonly kind: DirectCallKind };
  readonly counters: AgentCounters;
}

interface Work {
  readonly entry: QueueEntry;
  readonly queue: QueueRuntime;
  ringTimer?: TimerHandle;
  wrapTimer?: TimerHandle;
  ctiTimers: TimerHandle[];
  connectedAt?: number;
}

export class AcdEngine {
  readonly events = new Emitter<AcdEvent>();
  private readonly clock: Clock;
  private readonly strategy: RoutingStrategy;
  private readonly timeZone: string;
  private readonly logger: Logger | undefined;
  private readonly idPrefix: string;
  private readonly ringGuardMs: number;
  private readonly agents = new Map<AgentId, Agent>();
  private readonly queues = new Map<QueueId, QueueRuntime>();
  private readonly entries = new Map<EntryId, QueueEntry>();
  private readonly progress = new Map<EntryId, TreatmentProgress>();
  private readonly readyAgents = new ReadyIndex();
  private readonly work = new Map<AgentId, Work>();
  private readonly directs = new Map<AgentId, DirectCall>();
  private readonly entryTimers = new Map<EntryId, TimerHandle>();
  private readonly retryTimers = new Map<EntryId, TimerHandle>();
  private readonly queuesOfAgent = new Map<AgentId, QueueRuntime[]>();
  private seq = 0;
  private taskSeq = 0;
  private nextMidnight: number;
  private outbox: AcdEvent[] = [];
  private flushing = false;

  constructor(options: AcdEngineOptions) {
    this.clock = options.clock;
    this.strategy = options.strategy ?? new LongestIdleStrategy();
    this.timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    this.logger = options.logger;
    this.idPrefix = options.idPrefix ?? 'q';
    this.ringGuardMs = Math.max(0, options.ringGuardMs ?? 0);
    this.nextMidnight = nextLocalMidnight(this.clock.now(), this.timeZone);
  }

  // ---- configuration ----

  defineQueue(def: QueueDefinition, options: QueueOptions = {}): void {
    checkQueueDefinition(def);
    const existing = this.queues.get(def.id);
    if (existing) return this.redefineQueue(def, { ...options, treatment: options.treatment ?? existing.treatment.config, strategy: options.strategy ?? existing.strategy });
    this.queues.set(def.id, new QueueRuntime(def, new TreatmentPolicy(options.treatment), options.strategy, options.initialAhtMs));
    this.queuesOfAgent.clear();
  }

  /**
   * ADM-2: a live queue's settings replaced whole (no treatment or strategy:
   * none, the engine's strategy). Waiting contacts keep their place and are
   * treated by the new rules at once, offers in flight and calls in progress
   * go on (a call's service-time limit is the one it was connected under);
   * ready agents that now fit are offered the waiting contacts.
   */
  redefineQueue(def: QueueDefinition, options: Omit<QueueOptions, 'initialAhtMs'>): void {
    checkQueueDefinition(def);
    const rt = this.queues.get(def.id);
    if (!rt) throw new AcdError('UNKNOWN_QUEUE', `no queue ${def.id}`);
    this.run(() => {
      rt.def = def;
      rt.treatment = new TreatmentPolicy(options.treatment);
      rt.strategy = options.strategy;
      this.queuesOfAgent.clear();
      for (const e of [...rt.line]) if (e.state === 'waiting') this.treatNow(e, rt);
      for (const a of [...this.agents.values()]) if (a.state === 'ready') this.routeAgent(a);
    });
  }

  addAgent(profile: AgentProfile): void {
    checkAgentProfile(profile);
    if (this.agents.has(profile.id)) throw new AcdError('DUPLICATE_AGENT', `agent ${profile.id} exists`);
    this.agents.set(profile.id, new Agent(profile, this.agents.size + 1, this.clock));
  }

  /** New skills, groups or settings take effect at once; a ready agent is reconsidered. */
  updateAgent(profile: AgentProfile): void {
    checkAgentProfile(profile);
    const a = this.agentOf(profile.id);
    this.run(() => {
      const wasReady = a.state === 'ready';
      if (wasReady) this.readyAgents.remove(a);
      a.profile = profile;
      this.queuesOfAgent.delete(a.id);
      if (wasReady) {
        this.readyAgents.add(a);
        this.routeAgent(a);
      }
    });
  }

  // ---- agent requests (ACD-3, SUP-3) ----

  /** ACD-3: the agent chooses manual or automatic answer; the next offer carries it. */
  setAutoAnswer(agentId: AgentId, autoAnswer: boolean): void {
    const a = this.agentOf(agentId);
    a.profile = { ...a.profile, autoAnswer };
  }

  login(agentId: AgentId): void {
    this.run(() => this.move(this.agentOf(agentId), 'login', 'login'));
  }

  ready(agentId: AgentId): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      a.pendingNotReady = undefined;
      if (a.state === 'wrap-up') this.finishWork(a, false);
      else {
        this.move(a, 'ready');
        this.routeAgent(a);
      }
    });
  }

  /** During a call the pause is remembered and taken when the call's work ends. */
  notReady(agentId: AgentId, reason: string): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      if (a.state === 'talking') a.pendingNotReady = reason;
      else if (a.state === 'wrap-up') {
        a.pendingNotReady = reason;
        this.finishWork(a, false);
      } else this.move(a, 'not-ready', reason);
    });
  }

  logout(agentId: AgentId): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      if (a.state === 'wrap-up') {
        a.pendingNotReady = 'logout';
        this.finishWork(a, false);
      }
      this.move(a, 'logout');
    });
  }

  /** SUP-3: no telephony until unlocked and logged in again; a ringing offer goes to someone else. */
  lock(agentId: AgentId): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      const w = this.work.get(a.id);
      if (a.state === 'reserved' && w) {
        w.ringTimer?.cancel();
        this.work.delete(a.id);
        this.move(a, 'lock', 'supervisor');
        this.requeue(w.entry, w.queue);
        this.routeEntry(w.entry, w.queue);
        return;
      }
      if (a.state === 'wrap-up') {
        a.pendingNotReady = 'locked';
        this.finishWork(a, false);
      }
      this.move(a, 'lock', 'supervisor');
    });
  }

  unlock(agentId: AgentId): void {
    this.run(() => this.move(this.agentOf(agentId), 'unlock'));
  }

  recordTransfer(agentId: AgentId): void {
    this.agentOf(agentId).counters.transfers++;
  }

  recordConsult(agentId: AgentId): void {
    this.agentOf(agentId).counters.consults++;
  }

  // ---- calls the ACD did not route (issue 5, direct-call.ts) ----

  /** The switch connected a ready, not-ready or wrapping-up agent to a call no queue offered; AgentStateError otherwise. */
  connectDirect(agentId: AgentId, call: DirectCallInfo): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      transitionAgent(a.id, a.state, 'direct-connect'); // refuses before anything changes
      const paused = a.state === 'not-ready' ? a.notReadyReason : undefined;
      const closed = a.state === 'wrap-up' ? this.closeWork(a, false) : undefined;
      const returnReason = paused ?? closed?.returnReason;
      this.move(a, 'direct-connect', call.kind);
      if (closed?.event) this.emit(closed.event);
      if (returnReason !== undefined && a.pendingNotReady === undefined) a.pendingNotReady = returnReason;
      if (call.kind === 'transfer') a.counters.answered++;
      this.directs.set(a.id, {
        interactionId: call.interactionId,
        kind: call.kind,
        ...(call.queueId !== undefined ? { queueId: call.queueId } : {}),
        connectedAt: this.clock.now(),
        ...(returnReason !== undefined ? { returnReason } : {}),
      });
    });
  }

  /** A consultation completed as a transfer: the consulted agents still on it now handle the customer. */
  transferDirect(interactionId: string): number {
    let n = 0;
    for (const [id, d] of this.directs) {
      const a = this.agents.get(id);
      if (d.interactionId !== interactionId || d.kind !== 'consult' || a?.state !== 'talking') continue;
      d.kind = 'transfer';
      a.counters.answered++;
      n++;
    }
    return n;
  }

  /** The agent's end of a direct call is over; false when the agent had no direct call on that interaction. */
  endDirect(agentId: AgentId, interactionId: string): boolean {
    const a = this.agents.get(agentId);
    const d = this.directs.get(agentId);
    if (!a || !d || d.interactionId !== interactionId || a.state !== 'talking') return false;
    this.run(() => {
      if (isCustomerCall(d.kind)) {
        this.move(a, 'release', d.kind);
        const q = d.queueId !== undefined ? this.queues.get(d.queueId) : undefined;
        const wrapMs = a.profile.wrapUpMs ?? q?.def.wrapUpMs ?? DEFAULT_WRAP_UP_MS;
        if (wrapMs <= 0) this.finishWork(a, true);
        else d.wrapTimer = this.clock.setTimeout(() => this.run(() => this.finishWork(a, true)), wrapMs);
        return;
      }
      this.directs.delete(a.id);
      const pending = a.pendingNotReady;
      a.pendingNotReady = undefined;
      if (pending !== undefined) this.move(a, 'direct-end-not-ready', pending, pending === d.returnReason);
      else {
        this.move(a, 'direct-end-ready');
        this.routeAgent(a);
      }
    });
    return true;
  }

  // ---- contacts ----

  /** A contact enters a queue; it is offered at once if an agent is free. */
  enqueue(queueId: QueueId, data: ContactData): EntryView {
    const rt = this.queueOf(queueId);
    return this.run(() => this.admit(rt, data, this.clock.now()));
  }

  /** The offered agent (or the phone, when auto-answering) answered. */
  answer(agentId: AgentId): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      const w = this.work.get(a.id);
      this.move(a, 'connect');
      if (!w) throw new Error(`agent ${a.id} reserved without work`);
      const now = this.clock.now();
      w.ringTimer?.cancel();
      w.entry.apply('connect');
      w.connectedAt = now;
      a.counters.answered++;
      const waitMs = now - w.entry.enteredAt;
      const within = waitMs <= w.queue.serviceLevelMs;
      const c = w.queue.counters;
      c.answered++;
      if (within) c.answeredWithinT++;
      c.answerWaitMsTotal += waitMs;
      this.startServiceTimer(a, w);
      this.emit({ type: 'connected', at: now, entryId: w.entry.id, queueId: w.queue.def.id, agentId: a.id, waitMs, withinServiceLevel: within });
    });
  }

  /**
   * The switch could not deliver the offer (ACD-4). `no-answer` is a
   * ring-no-answer: not ready with reason RONA, counted. Any other cause
   * (busy, unreachable, rejected) makes the agent not ready with that cause
   * as the reason, uncounted. Either way the contact goes to someone else.
   * False when the agent had no offer ringing (a late or repeated report).
   */
  offerFailed(agentId: AgentId, cause: string): boolean {
    const a = this.agentOf(agentId);
    const w = this.work.get(a.id);
    if (!w || a.state !== 'reserved') return false;
    this.run(() => this.ringNoAnswer(a, w, cause === 'no-answer' ? undefined : cause));
    return true;
  }

  /** The conversation ended (either side); wrap-up follows. */
  endCall(agentId: AgentId): void {
    const a = this.agentOf(agentId);
    this.run(() => {
      const w = this.work.get(a.id);
      if (!w || a.state !== 'talking') throw new AcdError('NO_CALL', `agent ${a.id} is not in a call`);
      this.move(a, 'release');
      for (const t of w.ctiTimers) t.cancel();
      const now = this.clock.now();
      this.emit({ type: 'call-ended', at: now, entryId: w.entry.id, agentId: a.id, talkMs: now - (w.connectedAt ?? now) });
      const wrapMs = a.profile.wrapUpMs ?? w.queue.def.wrapUpMs ?? DEFAULT_WRAP_UP_MS;
      if (wrapMs <= 0) this.finishWork(a, true);
      else w.wrapTimer = this.clock.setTimeout(() => this.run(() => this.finishWork(a, true)), wrapMs);
    });
  }

  /** The caller hung up, wherever the contact was. */
  hangUp(entryId: EntryId): void {
    const e = this.entryOf(entryId);
    this.run(() => {
      if (e.state === 'connected') {
        if (e.offeredTo && this.agents.get(e.offeredTo)?.state === 'talking') this.endCall(e.offeredTo);
        return;
      }
      const rt = this.queueOf(e.queueId);
      const wasOffered = e.state === 'offered';
      this.finishEntry(e, rt, 'abandon', 'abandoned');
      if (wasOffered && e.offeredTo) {
        const a = this.agentOf(e.offeredTo);
        this.work.get(a.id)?.ringTimer?.cancel();
        this.work.delete(a.id);
        this.move(a, 'withdraw');
        this.routeAgent(a);
      }
    });
  }

  /** A digit pressed while waiting (ACD-5 DTMF exits). Returns whether the queue had an exit on it. */
  pressDtmf(entryId: EntryId, digit: string): boolean {
    const e = this.entryOf(entryId);
    const rt = this.queueOf(e.queueId);
    if (e.state !== 'waiting') return false;
    const cmds = rt.treatment.onDtmf(digit);
    this.run(() => this.execute(e, rt, cmds));
    return cmds.length > 0;
  }

  /** The caller accepts a callback: released, but keeps the place in line; a task is produced. */
  acceptCallback(entryId: EntryId): CallbackTask {
    const e = this.entryOf(entryId);
    if (e.state !== 'waiting') throw new AcdError('ENTRY_NOT_WAITING', `entry ${entryId} is ${e.state}`);
    return this.run(() => this.toCallback(e, this.queueOf(e.queueId)));
  }

  // ---- views (SUP-1, RPT-1 data) ----

  agentSnapshot(agentId: AgentId): AgentSnapshot {
    const a = this.agentOf(agentId);
    const w = this.work.get(a.id);
    const d = this.directs.get(a.id);
    return {
      id: a.id,
      state: a.state,
      since: a.stateSince,
      ...(a.notReadyReason !== undefined ? { reason: a.notReadyReason } : {}),
      ...(a.pendingNotReady !== undefined ? { pendingNotReady: a.pendingNotReady } : {}),
      ...(w ? { entryId: w.entry.id } : {}),
      ...(d ? { direct: { interactionId: d.interactionId, kind: d.kind } } : {}),
      counters: a.countersAt(this.clock.now()),
    };
  }

  agentSnapshots(): AgentSnapshot[] {
    return [...this.agents.keys()].map((id) => this.agentSnapshot(id));
  }

  /** The queue's definition in force (ADM-2 may have replaced it). */
  queueDefinition(queueId: QueueId): QueueDefinition {
    return this.queueOf(queueId).def;
  }

  queueSnapshot(queueId: QueueId): QueueSnapshot {
    return this.queueOf(queueId).snapshot(this.clock.now());
  }

  /** What post-routing (ACD-9) looks at: staffed agents, contacts waiting, the wait a newcomer would face. */
  queueSituation(queueId: QueueId): { staffed: number; waiting: number; estimatedWaitMs?: number } {
    const rt = this.queueOf(queueId);
    const staffed = this.staffedFor(rt);
    const waiting = rt.line.length;
    const est = estimateWaitMs(waiting + 1, rt.aht.ahtMs, staffed);
    return { staffed, waiting, ...(est !== undefined ? { estimatedWaitMs: est } : {}) };
  }

  entry(entryId: EntryId): EntryView | undefined {
    return this.entries.get(entryId);
  }

  /** Ready agents right now (a quick gauge for wallboards and benchmarks). */
  get readyCount(): number {
    return this.readyAgents.size;
  }

  // ---- internals ----

  private run<T>(fn: () => T): T {
    this.rollDay();
    try {
      return fn();
    } finally {
      this.flush();
    }
  }

  private emit(e: AcdEvent): void {
    this.outbox.push(e);
  }

  /** Events go out after the state change that caused them is complete, so listeners may call back in. */
  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let i = 0; i < this.outbox.length; i++) this.events.emit(this.outbox[i]!);
    } finally {
      this.outbox = [];
      this.flushing = false;
    }
  }

  private rollDay(): void {
    const now = this.clock.now();
    if (now < this.nextMidnight) return;
    this.nextMidnight = nextLocalMidnight(now, this.timeZone);
    for (const a of this.agents.values()) a.resetCounters(now);
    for (const q of this.queues.values()) q.resetCounters();
    this.emit({ type: 'counters-reset', at: now });
  }

  private agentOf(id: AgentId): Agent {
    const a = this.agents.get(id);
    if (!a) throw new AcdError('UNKNOWN_AGENT', `no agent ${id}`);
    return a;
  }

  private queueOf(id: QueueId): QueueRuntime {
    const q = this.queues.get(id);
    if (!q) throw new AcdError('UNKNOWN_QUEUE', `no queue ${id}`);
    return q;
  }

  private entryOf(id: EntryId): QueueEntry {
    const e = this.entries.get(id);
    if (!e) throw new AcdError('UNKNOWN_ENTRY', `no live entry ${id}`);
    return e;
  }

  private move(a: Agent, action: AgentAction, reason?: string, resume = false): void {
    const from = a.apply(action, reason, resume);
    if (from === 'ready' && a.state !== 'ready') this.readyAgents.remove(a);
    else if (a.state === 'ready' && from !== 'ready') this.readyAgents.add(a);
    if (action === 'rona-timeout') a.counters.ronaCount++;
    const r = a.state === 'not-ready' ? a.notReadyReason : reason;
    this.emit({ type: 'agent-state', at: this.clock.now(), agentId: a.id, from, to: a.state, ...(r !== undefined ? { reason: r } : {}) });
  }

  private queuesFor(a: Agent): QueueRuntime[] {
    let qs = this.queuesOfAgent.get(a.id);
    if (!qs) {
      qs = [...this.queues.values()].filter((q) => agentFitsQueue(a, q.def));
      this.queuesOfAgent.set(a.id, qs);
    }
    return qs;
  }

  private admit(rt: QueueRuntime, data: ContactData, arrivedAt: number, overflowFrom?: EntryId): QueueEntry {
    const now = this.clock.now();
    const seq = ++this.seq;
    const e = new QueueEntry(`${this.idPrefix}${seq}`, rt.def.id, data, arrivedAt, now, seq);
    const lengthBefore = rt.line.length;
    this.entries.set(e.id, e);
    rt.counters.entered++;
    rt.insert(e);
    this.emit({ type: 'entry-queued', at: now, entryId: e.id, queueId: rt.def.id, data, position: rt.position(e), ...(overflowFrom ? { overflowFrom } : {}) });
    const progress: TreatmentProgress = { announcements: 0, maxWaitDone: false };
    this.progress.set(e.id, progress);
    const step = rt.treatment.onEnter(progress, { now, enteredAt: now, position: rt.position(e), lengthBefore });
    this.execute(e, rt, step.commands);
    if (e.state !== 'waiting') return e;
    this.routeEntry(e, rt);
    if (e.state === 'waiting') this.schedule(e, rt, step.nextAt);
    return e;
  }

  private routeEntry(e: QueueEntry, rt: QueueRuntime): void {
    this.retryTimers.get(e.id)?.cancel();
    this.retryTimers.delete(e.id);
    if (e.state !== 'waiting' && e.state !== 'callback') return;
    const strategy = rt.strategy ?? this.strategy;
    const now = this.clock.now();
    const d = strategy.selectAgent({ entry: e, queue: rt.def, agents: this.readyAgents.poolFor(rt.def), now });
    this.emit({ type: 'routing-decision', at: now, entryId: e.id, ...(d.chosen ? { agentId: d.chosen.id } : {}), explanation: d.explanation });
    if (d.chosen) {
      this.offer(e, rt, this.agentOf(d.chosen.id), strategy, d.explanation);
    } else if (d.retryAt !== undefined) {
      const retry = d.retryAt;
      this.retryTimers.set(e.id, this.clock.setTimeout(() => this.run(() => {
        this.retryTimers.delete(e.id);
        if (e.state === 'waiting' || e.state === 'callback') this.routeEntry(e, rt);
      }), retry - now));
    }
  }

  private routeAgent(a: Agent): void {
    if (a.state !== 'ready') return;
    const qs = this.queuesFor(a);
    const entries: QueueEntry[] = [];
    for (const q of qs) for (const e of q.line) entries.push(e);
    if (entries.length === 0) return;
    const now = this.clock.now();
    const d = this.strategy.selectEntry({ agent: a, entries, queueOf: (id) => this.queues.get(id)?.def, now });
    this.emit({ type: 'routing-decision', at: now, agentId: a.id, ...(d.chosen ? { entryId: d.chosen.id } : {}), explanation: d.explanation });
    if (!d.chosen) return;
    const e = this.entries.get(d.chosen.id);
    if (!e) throw new Error(`strategy chose unknown entry ${d.chosen.id}`);
    this.offer(e, this.queueOf(e.queueId), a, this.strategy, d.explanation);
  }

  private offer(e: QueueEntry, rt: QueueRuntime, a: Agent, strategy: RoutingStrategy, explanation: RoutingExplanation): void {
    e.apply('offer');
    rt.remove(e);
    this.entryTimers.get(e.id)?.cancel();
    this.entryTimers.delete(e.id);
    this.retryTimers.get(e.id)?.cancel();
    this.retryTimers.delete(e.id);
    const now = this.clock.now();
    e.offeredTo = a.id;
    e.offeredAt = now;
    this.move(a, 'reserve');
    a.counters.offered++;
    strategy.assigned?.(a, e, rt.def);
    const ringMs = a.profile.ringTimeoutMs ?? rt.def.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS;
    const w: Work = { entry: e, queue: rt, ctiTimers: [] };
    w.ringTimer = this.clock.setTimeout(() => this.run(() => this.ringNoAnswer(a, w)), ringMs + this.ringGuardMs);
    this.work.set(a.id, w);
    this.emit({
      type: 'offered',
      at: now,
      entryId: e.id,
      queueId: rt.def.id,
      agentId: a.id,
      autoAnswer: a.profile.autoAnswer,
      ringTimeoutMs: ringMs,
      callback: e.callback,
      blacklistWarning: e.data.blacklistWarning === true,
      explanation,
    });
  }

  /** ACD-4: not-ready with reason RONA, counted (or with the failure's cause); the contact goes to someone else. */
  private ringNoAnswer(a: Agent, w: Work, failure?: string): void {
    if (this.work.get(a.id) !== w || a.state !== 'reserved') return;
    w.ringTimer?.cancel();
    this.work.delete(a.id);
    if (failure === undefined) this.move(a, 'rona-timeout', 'RONA');
    else this.move(a, 'offer-failed', failure);
    w.entry.excludedAgents.add(a.id);
    const at = this.clock.now();
    if (failure === undefined) this.emit({ type: 'ring-no-answer', at, entryId: w.entry.id, agentId: a.id, ronaCount: a.counters.ronaCount });
    else this.emit({ type: 'offer-failed', at, entryId: w.entry.id, agentId: a.id, cause: failure });
    this.requeue(w.entry, w.queue);
    this.routeEntry(w.entry, w.queue);
  }

  private requeue(e: QueueEntry, rt: QueueRuntime): void {
    e.apply(e.callback ? 'requeue-callback' : 'requeue');
    e.offeredTo = undefined;
    rt.insert(e);
    if (!e.callback) this.treatNow(e, rt);
  }

  private finishWork(a: Agent, timedOut: boolean): void {
    const closed = this.closeWork(a, timedOut);
    const pending = a.pendingNotReady;
    a.pendingNotReady = undefined;
    if (pending !== undefined) this.move(a, 'finish-wrap-up-not-ready', pending, pending === closed.returnReason);
    else this.move(a, 'finish-wrap-up');
    if (closed.event) this.emit(closed.event);
    this.routeAgent(a);
  }

  /** Ends the work an agent wraps up (a queue contact or a direct call); the agent's state is the caller's business. */
  private closeWork(a: Agent, timedOut: boolean): { event?: AcdEvent; returnReason?: string } {
    const d = this.directs.get(a.id);
    if (d) {
      d.wrapTimer?.cancel();
      this.directs.delete(a.id);
      return d.returnReason !== undefined ? { returnReason: d.returnReason } : {};
    }
    const w = this.work.get(a.id);
    if (!w) throw new Error(`agent ${a.id} in wrap-up without work`);
    w.wrapTimer?.cancel();
    this.work.delete(a.id);
    const now = this.clock.now();
    const handleMs = now - (w.connectedAt ?? now);
    w.queue.aht.observe(handleMs);
    this.entries.delete(w.entry.id);
    this.progress.delete(w.entry.id);
    return { event: { type: 'wrap-up-ended', at: now, agentId: a.id, entryId: w.entry.id, handleMs, timedOut } };
  }

  private startServiceTimer(a: Agent, w: Work): void {
    const limit = w.queue.def.serviceTimeLimitMs;
    if (limit === undefined || limit <= 0) return;
    const remind = w.queue.def.serviceTimeReminderMs ?? 0;
    const fire = (remainingMs: number) => () =>
      this.run(() => {
        if (this.work.get(a.id) === w && a.state === 'talking') {
          this.emit({ type: 'service-time', at: this.clock.now(), agentId: a.id, entryId: w.entry.id, limitMs: limit, remainingMs });
        }
      });
    if (remind > 0 && remind < limit) w.ctiTimers.push(this.clock.setTimeout(fire(remind), limit - remind));
    w.ctiTimers.push(this.clock.setTimeout(fire(0), limit));
  }

  // ---- treatment (ACD-5) ----

  private staffedFor(rt: QueueRuntime): number {
    let n = 0;
    for (const a of this.agents.values()) if (isStaffed(a.state) && agentFitsQueue(a, rt.def)) n++;
    return n;
  }

  private situation(e: QueueEntry, rt: QueueRuntime): { now: number; enteredAt: number; position: number; estimatedWaitMs?: number } {
    const position = rt.position(e);
    const est = estimateWaitMs(position, rt.aht.ahtMs, this.staffedFor(rt));
    return { now: this.clock.now(), enteredAt: e.enteredAt, position, ...(est !== undefined ? { estimatedWaitMs: est } : {}) };
  }

  private treatNow(e: QueueEntry, rt: QueueRuntime): void {
    const p = this.progress.get(e.id);
    if (!p || e.state !== 'waiting') return;
    const step = rt.treatment.onDue(p, this.situation(e, rt));
    this.execute(e, rt, step.commands);
    if (e.state === 'waiting') this.schedule(e, rt, step.nextAt);
  }

  private schedule(e: QueueEntry, rt: QueueRuntime, at: number | undefined): void {
    this.entryTimers.get(e.id)?.cancel();
    this.entryTimers.delete(e.id);
    if (at === undefined) return;
    const delay = Math.max(0, at - this.clock.now());
    this.entryTimers.set(e.id, this.clock.setTimeout(() => this.run(() => {
      this.entryTimers.delete(e.id);
      this.treatNow(e, rt);
    }), delay));
  }

  private execute(e: QueueEntry, rt: QueueRuntime, cmds: readonly TreatmentCommand[]): void {
    for (const command of cmds) {
      if (e.state !== 'waiting') return;
      const at = this.clock.now();
      if (command.kind === 'callback-accepted') {
        this.toCallback(e, rt);
        continue;
      }
      this.emit({ type: 'treatment', at, entryId: e.id, queueId: rt.def.id, command });
      if (command.kind === 'overflow') this.overflow(e, rt, command.toQueue);
      else if (command.kind === 'voicemail') this.finishEntry(e, rt, 'time-out', 'voicemail');
      else if (command.kind === 'transfer') this.finishEntry(e, rt, 'abandon', 'transfer');
    }
  }

  private overflow(e: QueueEntry, rt: QueueRuntime, to: QueueId): void {
    const target = this.queues.get(to);
    if (!target || target === rt) {
      this.logger?.warn({ queue: rt.def.id, to }, 'overflow target missing; contact stays');
      return;
    }
    this.finishEntry(e, rt, 'overflow', 'overflow');
    this.admit(target, e.data, e.arrivedAt, e.id);
  }

  private toCallback(e: QueueEntry, rt: QueueRuntime): CallbackTask {
    e.apply('accept-callback');
    e.callback = true;
    this.entryTimers.get(e.id)?.cancel();
    this.entryTimers.delete(e.id);
    rt.counters.callbacks++;
    const now = this.clock.now();
    const task: CallbackTask = {
      id: `cb${++this.taskSeq}`,
      entryId: e.id,
      queueId: rt.def.id,
      ...(e.data.callerNumber !== undefined ? { callerNumber: e.data.callerNumber } : {}),
      ...(e.data.customerId !== undefined ? { customerId: e.data.customerId } : {}),
      requestedAt: now,
      placeFrom: e.arrivedAt,
    };
    this.emit({ type: 'treatment', at: now, entryId: e.id, queueId: rt.def.id, command: { kind: 'callback-accepted' } });
    this.emit({ type: 'callback-task', at: now, task });
    return task;
  }

  private finishEntry(
    e: QueueEntry,
    rt: QueueRuntime,
    action: 'abandon' | 'overflow' | 'time-out',
    reason: 'abandoned' | 'overflow' | 'voicemail' | 'transfer',
  ): void {
    const now = this.clock.now();
    e.apply(action);
    rt.remove(e);
    this.entryTimers.get(e.id)?.cancel();
    this.entryTimers.delete(e.id);
    this.retryTimers.get(e.id)?.cancel();
    this.retryTimers.delete(e.id);
    this.entries.delete(e.id);
    this.progress.delete(e.id);
    const waitMs = now - e.enteredAt;
    const c = rt.counters;
    if (reason === 'abandoned') {
      c.abandoned++;
      if (waitMs <= rt.serviceLevelMs) c.abandonedWithinT++;
    } else if (reason === 'overflow') c.overflowedOut++;
    else if (reason === 'voicemail') c.timedOut++;
    this.emit({ type: 'entry-ended', at: now, entryId: e.id, queueId: rt.def.id, state: e.state, waitMs, reason });
  }
}

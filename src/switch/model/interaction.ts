/**
 * Interaction: one customer contact from first ring to last hang-up, with one
 * id, its legs and bridges, and its call-attached data (CTI-5), which every
 * transfer, consult and conference carries along because it lives here.
 *
 *  ivr ─enqueue─► queued ─offer─► ringing ─answer─► talking ◄─retrieve─┐
 *   ▲                ▲              │ no-answer        │  hold──► on-hold
 *   └── blind-ivr ───┴─ blind-queue ┘ ◄── blind-agent ─┤        consult
 *                                                       consult     ▼
 *        conferencing ◄─conference── consulting ──reconnect/transfer─► talking
 *   any state ──end──► ended
 *
 * Operations (operations-*.ts) run through `run()`, which checks the table,
 * and on a thrown error puts everything back as it was (all or nothing).
 */
import type { Clock } from '../../shared/clock.ts';
import { Bridge, type BridgeRole, type BridgeSnapshot } from './bridge.ts';
import type { CallData, Command, DomainEvent, JsonValue, Outcome, SupervisionMode } from './effects.ts';
import { CallModelError, type CallErrorCode } from './errors.ts';
import { Leg, type HangupSide, type LegAction, type LegSnapshot, type Party } from './leg.ts';

export const INTERACTION_STATES = ['ivr', 'queued', 'ringing', 'talking', 'on-hold', 'consulting', 'conferencing', 'ended'] as const;
export type InteractionState = (typeof INTERACTION_STATES)[number];
export const INTERACTION_ACTIONS = [
  'enqueue', 'offer', 'answer', 'no-answer', 'hold', 'retrieve', 'consult', 'consult-answered', 'alternate',
  'reconnect', 'consulted-left', 'transfer', 'conference', 'party-left', 'blind-agent', 'blind-queue', 'blind-ivr',
  'survey', 'supervise', 'barge', 'intercept', 'end',
] as const;
export type InteractionAction = (typeof INTERACTION_ACTIONS)[number];

/** Allowed moves; where a move has several possible ends the operation picks one, the first is the default. */
type Row = Partial<Record<InteractionAction, InteractionState | readonly InteractionState[]>>;
const BLIND: Row = { 'blind-agent': 'ringing', 'blind-queue': 'queued', 'blind-ivr': 'ivr' };
export const INTERACTION_TABLE: Readonly<Record<InteractionState, Row>> = {
  ivr: { enqueue: 'queued', offer: 'ringing', end: 'ended' },
  queued: { offer: 'ringing', 'blind-ivr': 'ivr', end: 'ended' },
  ringing: { answer: 'talking', 'no-answer': 'queued', end: 'ended' },
  talking: { hold: 'on-hold', consult: 'consulting', ...BLIND, survey: 'ivr', supervise: 'talking', barge: 'conferencing', intercept: 'talking', end: 'ended' },
  'on-hold': { retrieve: 'talking', consult: 'consulting', ...BLIND, survey: 'ivr', supervise: 'on-hold', intercept: 'talking', end: 'ended' },
  consulting: {
    'consult-answered': 'consulting', alternate: 'consulting', reconnect: ['talking', 'conferencing'],
    'consulted-left': ['on-hold', 'conferencing'], transfer: ['talking', 'conferencing'], conference: 'conferencing',
    supervise: 'consulting', 'party-left': 'consulting', end: 'ended',
  },
  conferencing: {
    consult: 'consulting', 'party-left': ['conferencing', 'talking'], supervise: 'conferencing', barge: 'conferencing',
    intercept: 'talking', end: 'ended',
  },
  ended: {},
};

/** The states an action may lead to from a state (empty when forbidden). */
export function interactionTargets(state: InteractionState, action: InteractionAction): readonly InteractionState[] {
  const t = INTERACTION_TABLE[state][action];
  return t === undefined ? [] : typeof t === 'string' ? [t] : t;
}

const CONSULT_ONLY = new Set<InteractionAction>(['consult-answered', 'alternate', 'reconnect', 'consulted-left', 'transfer', 'conference']);
function interactionErrorCode(state: InteractionState, action: InteractionAction): CallErrorCode {
  if (state === 'ended') return 'INTERACTION_ENDED';
  if (action === 'retrieve') return 'NOT_ON_HOLD';
  if (action === 'hold' && state === 'on-hold') return 'ALREADY_ON_HOLD';
  if (action === 'consult' && state === 'consulting') return 'CONSULT_IN_PROGRESS';
  if (CONSULT_ONLY.has(action)) return 'NO_CONSULT';
  const noAgentYet = state === 'ivr' || state === 'queued' || state === 'ringing';
  if ((action === 'supervise' || action === 'barge' || action === 'intercept') && noAgentYet) return 'AGENT_NOT_ON_CALL';
  return 'INVALID_STATE';
}

export interface SwitchContext {
  clock: Clock;
  newId(prefix: 'ix' | 'leg' | 'br'): string;
  /** Most members a bridge (conference) may hold, TEL-4. */
  maxConference: number;
}

export interface Consult {
  bridge: string;
  leg: string;
  talkingTo: 'consulted' | 'customer';
}
export interface Supervision {
  leg: string;
  agentLeg: string;
  mode: SupervisionMode;
}

interface Meta {
  state: InteractionState;
  callData: CallData;
  mainBridge?: string;
  agentLeg?: string;
  consult?: Consult & { from: InteractionState };
  supervisors: Record<string, Supervision>;
  queueId?: string;
  ivr?: { script: string; resumeAt?: string };
  startedAt: number;
  endedAt?: number;
}

export class Interaction {
  readonly legs = new Map<string, Leg>();
  readonly bridges = new Map<string, Bridge>();
  m: Meta;
  private out: Outcome = { commands: [], events: [] };

  constructor(
    readonly id: string,
    readonly ctx: SwitchContext,
    readonly customerLeg: string,
    customer: Party,
    state: 'ivr' | 'queued' | 'ringing',
    direction: 'inbound' | 'outbound' = 'inbound',
  ) {
    this.m = { state, callData: {}, supervisors: {}, startedAt: ctx.clock.now() };
    this.legs.set(customerLeg, new Leg(customerLeg, customer, direction, ctx.clock));
  }

  get state(): InteractionState {
    return this.m.state;
  }
  callData(): Readonly<CallData> {
    return this.m.callData;
  }
  setData(key: string, value: JsonValue): void {
    this.m.callData[key] = value;
  }

  leg(id: string): Leg {
    const l = this.legs.get(id);
    if (l === undefined) throw new CallModelError('UNKNOWN_LEG', `interaction ${this.id}`, `no leg ${id}`);
    return l;
  }
  bridge(id: string): Bridge {
    const b = this.bridges.get(id);
    if (b === undefined) throw new Error(`interaction ${this.id}: no bridge ${id} (bug)`);
    return b;
  }
  /** The open bridge a leg is in, if any. */
  bridgeOf(legId: string): Bridge | undefined {
    for (const b of this.bridges.values()) if (b.state === 'open' && b.has(legId)) return b;
    return undefined;
  }
  /** Live legs of agents with the given id (an agent may appear once per contact). */
  agentLegOf(agentId: string): Leg | undefined {
    for (const l of this.legs.values()) if (l.live && l.party.kind === 'agent' && l.party.id === agentId) return l;
    return undefined;
  }

  /** Throws the typed error when the table forbids the action in the current state. */
  check(action: InteractionAction): readonly InteractionState[] {
    const targets = interactionTargets(this.m.state, action);
    if (targets.length === 0) {
      const code = interactionErrorCode(this.m.state, action);
      throw new CallModelError(code, `interaction ${this.id}`, `${action} not allowed in state ${this.m.state}`);
    }
    return targets;
  }

  /**
   * Runs an operation all-or-nothing: checks the table, applies the body,
   * collects effects. The body may name which of the table's ends it reached.
   */
  run(action: InteractionAction, body: () => InteractionState | void): Outcome {
    const from = this.m.state;
    const targets = this.check(action);
    return this.effects(() => {
      const chosen = body() ?? targets[0]!;
      if (!targets.includes(chosen)) throw new Error(`interaction ${this.id}: ${action} cannot lead to ${chosen} (bug)`);
      if (this.m.state !== 'ended') this.m.state = chosen;
      if (this.m.state !== from) this.emit({ type: 'interaction.state', from, to: this.m.state, action });
    });
  }

  /** Runs a body that does not move the interaction's own state, all or nothing. */
  effects(body: () => void): Outcome {
    const saved = this.toJSON();
    this.out = { commands: [], events: [] };
    try {
      body();
    } catch (err) {
      this.restore(saved);
      throw err;
    }
    const result = this.out;
    this.out = { commands: [], events: [] };
    return result;
  }

  // ---- effect helpers for operations ----
  cmd(c: Command): void {
    this.out.commands.push(c);
  }
  emit(e: DistributiveOmit<DomainEvent, 'interaction' | 'at'>): void {
    this.out.events.push({ ...e, interaction: this.id, at: this.ctx.clock.now() } as DomainEvent);
  }
  addLeg(party: Party, direction: 'inbound' | 'outbound'): Leg {
    const leg = new Leg(this.ctx.newId('leg'), party, direction, this.ctx.clock);
    this.legs.set(leg.id, leg);
    return leg;
  }
  step(leg: Leg, action: LegAction, end?: { by: HangupSide; cause: string }): void {
    const { from, to } = leg.apply(action, end);
    this.emit({ type: 'leg.state', leg: leg.id, party: leg.party, from, to });
  }
  openBridge(): Bridge {
    const b = new Bridge(this.ctx.newId('br'), this.ctx.maxConference);
    this.bridges.set(b.id, b);
    this.cmd({ kind: 'bridge.create', bridge: b.id, maxSize: b.maxSize });
    return b;
  }
  join(b: Bridge, leg: Leg, role: BridgeRole, target?: string): void {
    b.join(leg.id, leg.party.kind, role, target);
    this.cmd(target === undefined ? { kind: 'bridge.join', bridge: b.id, leg: leg.id, role } : { kind: 'bridge.join', bridge: b.id, leg: leg.id, role, target });
    if (leg.party.kind === 'agent') this.followAgent(b, leg);
  }
  /** A listening or whispering supervisor goes wherever the agent goes (consult, alternate). */
  private followAgent(b: Bridge, agent: Leg): void {
    for (const s of Object.values(this.m.supervisors)) {
      if (s.agentLeg !== agent.id || s.mode === 'barge') continue;
      const sup = this.leg(s.leg);
      const here = this.bridgeOf(sup.id);
      if (!sup.talking || here === b) continue;
      if (here !== undefined) this.leave(here, sup);
      if (s.mode === 'whisper') this.join(b, sup, 'whisper', agent.id);
      else this.join(b, sup, 'listen');
    }
  }
  setRole(b: Bridge, leg: Leg, role: BridgeRole, target?: string): void {
    b.setRole(leg.id, role, target);
    this.cmd(target === undefined ? { kind: 'bridge.setRole', bridge: b.id, leg: leg.id, role } : { kind: 'bridge.setRole', bridge: b.id, leg: leg.id, role, target });
  }
  leave(b: Bridge, leg: Leg): void {
    const whisperers = b.members().filter((m) => m.role === 'whisper' && m.target === leg.id).map((m) => m.leg);
    b.leave(leg.id);
    this.cmd({ kind: 'bridge.leave', bridge: b.id, leg: leg.id });
    // Their target is gone: the bridge made them listen; say so to the adapter.
    for (const w of whisperers) this.cmd({ kind: 'bridge.setRole', bridge: b.id, leg: w, role: 'listen' });
  }
  closeBridge(b: Bridge): void {
    b.close();
    this.cmd({ kind: 'bridge.destroy', bridge: b.id });
  }
  /** Ends one leg: out of its bridge, BYE unless the party itself hung up, released event for agents. */
  drop(leg: Leg, by: HangupSide, cause: string): void {
    const b = this.bridgeOf(leg.id);
    if (b !== undefined) this.leave(b, leg);
    this.step(leg, 'hangup', { by, cause });
    if (by !== 'party') this.cmd({ kind: 'leg.hangup', leg: leg.id, cause });
    if (leg.party.kind === 'agent') this.emit({ type: 'agent.released', agentId: leg.party.id, leg: leg.id, by, cause });
    for (const [sid, s] of Object.entries(this.m.supervisors)) {
      if (s.leg !== leg.id) continue;
      delete this.m.supervisors[sid];
      const agentId = this.legs.get(s.agentLeg)?.party.id ?? '';
      this.emit({ type: 'supervision.changed', supervisorId: sid, agentId, mode: 'ended' });
    }
    // Supervision follows one agent: when that agent leaves, the supervisor's leg ends too.
    for (const s of Object.values(this.m.supervisors)) {
      const sup = this.leg(s.leg);
      if (s.agentLeg === leg.id && sup.live) this.drop(sup, 'system', 'agent-left');
    }
  }
  /** Ends the whole interaction: every live leg dropped, every bridge destroyed. */
  endAll(endedBy: Leg, by: HangupSide, cause: string): void {
    const other: HangupSide = by === 'party' ? 'peer' : by;
    // Supervisors first, so that they end with this cause rather than "agent-left".
    for (const l of this.legs.values()) if (l.live && l !== endedBy && l.party.kind === 'supervisor') this.drop(l, other, cause);
    if (endedBy.live) this.drop(endedBy, by, cause);
    for (const l of this.legs.values()) if (l.live) this.drop(l, other, cause);
    for (const b of this.bridges.values()) if (b.state === 'open') this.closeBridge(b);
    delete this.m.consult;
    delete this.m.agentLeg;
    this.m.state = 'ended';
    this.m.endedAt = this.ctx.clock.now();
    this.emit({ type: 'interaction.ended', by, cause });
  }

  toJSON(): { id: string; meta: Meta; legs: LegSnapshot[]; bridges: BridgeSnapshot[] } {
    return {
      id: this.id,
      meta: structuredClone(this.m),
      legs: [...this.legs.values()].map((l) => l.toJSON()),
      bridges: [...this.bridges.values()].map((b) => b.toJSON()),
    };
  }

  private restore(s: ReturnType<Interaction['toJSON']>): void {
    this.m = s.meta;
    const legIds = new Set(s.legs.map((l) => l.id));
    for (const id of [...this.legs.keys()]) if (!legIds.has(id)) this.legs.delete(id);
    for (const l of s.legs) this.legs.get(l.id)?.restore(l);
    const brIds = new Set(s.bridges.map((b) => b.id));
    for (const id of [...this.bridges.keys()]) if (!brIds.has(id)) this.bridges.delete(id);
    for (const b of s.bridges) this.bridges.get(b.id)?.restore(b);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Leg: one party's connection to an interaction (a SIP dialog or WebRTC
 * session plus its media stream, driven later by the B2BUA adapter).
 *
 *   idle ──dial──► dialing ──ring──► ringing ──progress──► early
 *    │  └──ring──────────────────────▲   │                   │
 *    │                                   answer               answer
 *    └──answer──────────────────────► connected ◄──retrieve── held
 *                                        └───────hold───────────▲
 *   any state but terminated ──hangup──► terminated
 *
 * Hold here is the logical state used for hold time; what each party hears
 * is expressed by bridge roles (bridge.ts). Timestamps come from a Clock.
 */
import type { Clock } from '../../shared/clock.ts';
import { CallModelError, type CallErrorCode } from './errors.ts';

export const LEG_STATES = ['idle', 'dialing', 'ringing', 'early', 'connected', 'held', 'terminated'] as const;
export type LegState = (typeof LEG_STATES)[number];
export type LegAction = 'dial' | 'ring' | 'progress' | 'answer' | 'hold' | 'retrieve' | 'hangup';
export const LEG_ACTIONS: readonly LegAction[] = ['dial', 'ring', 'progress', 'answer', 'hold', 'retrieve', 'hangup'];

export type PartyKind = 'customer' | 'agent' | 'supervisor' | 'ivr' | 'external';
/** Who a leg connects: an agent or supervisor id, a number, or an IVR script. */
export interface Party {
  readonly kind: PartyKind;
  readonly id: string;
}
/** Which side ended the leg: the party itself, the other side, or the switch. */
export type HangupSide = 'party' | 'peer' | 'system';

export const LEG_TABLE: Readonly<Record<LegState, Partial<Record<LegAction, LegState>>>> = {
  idle: { dial: 'dialing', ring: 'ringing', answer: 'connected', hangup: 'terminated' },
  dialing: { ring: 'ringing', progress: 'early', answer: 'connected', hangup: 'terminated' },
  ringing: { progress: 'early', answer: 'connected', hangup: 'terminated' },
  early: { answer: 'connected', hangup: 'terminated' },
  connected: { hold: 'held', hangup: 'terminated' },
  held: { retrieve: 'connected', hangup: 'terminated' },
  terminated: {},
};

export interface LegSnapshot {
  id: string;
  party: Party;
  direction: 'inbound' | 'outbound';
  state: LegState;
  createdAt: number;
  ringAt?: number;
  answerAt?: number;
  heldSince?: number;
  holdTotalMs: number;
  endAt?: number;
  endedBy?: HangupSide;
  cause?: string;
}

function legErrorCode(state: LegState, action: LegAction): CallErrorCode {
  if (state === 'terminated') return 'LEG_TERMINATED';
  if (action === 'retrieve') return 'LEG_NOT_HELD';
  if (action === 'hold') return state === 'held' ? 'LEG_ALREADY_HELD' : 'LEG_NOT_CONNECTED';
  if (action === 'answer' && (state === 'connected' || state === 'held')) return 'LEG_ALREADY_CONNECTED';
  return 'INVALID_LEG_TRANSITION';
}

export class Leg {
  private s: LegSnapshot;

  constructor(
    id: string,
    party: Party,
    direction: 'inbound' | 'outbound',
    private readonly clock: Clock,
  ) {
    this.s = { id, party, direction, state: 'idle', createdAt: clock.now(), holdTotalMs: 0 };
  }

  get id(): string {
    return this.s.id;
  }
  get party(): Party {
    return this.s.party;
  }
  get state(): LegState {
    return this.s.state;
  }
  get direction(): 'inbound' | 'outbound' {
    return this.s.direction;
  }
  get live(): boolean {
    return this.s.state !== 'terminated';
  }
  get talking(): boolean {
    return this.s.state === 'connected' || this.s.state === 'held';
  }

  /** Whether the table allows the action now. */
  can(action: LegAction): boolean {
    return LEG_TABLE[this.s.state][action] !== undefined;
  }

  /** Applies the table or throws CallModelError; returns the states passed. */
  apply(action: LegAction, end?: { by: HangupSide; cause: string }): { from: LegState; to: LegState } {
    const from = this.s.state;
    const to = LEG_TABLE[from][action];
    if (to === undefined) {
      throw new CallModelError(legErrorCode(from, action), `leg ${this.s.id}`, `${action} not allowed in state ${from}`);
    }
    const now = this.clock.now();
    if (to === 'ringing' || (to === 'early' && this.s.ringAt === undefined)) this.s.ringAt ??= now;
    if (action === 'answer') this.s.answerAt = now;
    if (action === 'hold') this.s.heldSince = now;
    if (from === 'held') this.closeHold(now);
    if (to === 'terminated') {
      this.s.endAt = now;
      this.s.endedBy = end?.by ?? 'system';
      this.s.cause = end?.cause ?? 'normal';
    }
    this.s.state = to;
    return { from, to };
  }

  /** Hold time so far, including a hold still running. */
  holdTotalMs(): number {
    const running = this.s.heldSince === undefined ? 0 : this.clock.now() - this.s.heldSince;
    return this.s.holdTotalMs + running;
  }

  toJSON(): LegSnapshot {
    return { ...this.s };
  }

  restore(snapshot: LegSnapshot): void {
    this.s = { ...snapshot };
  }

  private closeHold(now: number): void {
    if (this.s.heldSince !== undefined) this.s.holdTotalMs += now - this.s.heldSince;
    delete this.s.heldSince;
  }
}

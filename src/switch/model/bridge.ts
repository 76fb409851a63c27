/**
 * Bridge: a mixer that legs join with a role (DESIGN.md, TEL-4, CTI-2, SUP-2).
 *
 *   open ──join / leave / set-role──► open ──close──► closed (no more moves)
 *
 * Roles, as "who hears whom" (mix-minus):
 *   full     hears every speaker, heard by every receiver
 *   listen   hears every speaker, heard by none (silent monitor)
 *   whisper  hears every speaker, heard only by its target (coaching)
 *   hold     hears music only, still heard by the others (the agent keeps
 *            hearing a held customer, CTI-2)
 *   mute     hears every speaker, heard by none
 * Rules: at most `maxSize` members; at most one customer (TEL-4).
 */
import { CallModelError, type CallErrorCode } from './errors.ts';
import type { PartyKind } from './leg.ts';

export type BridgeRole = 'full' | 'listen' | 'whisper' | 'hold' | 'mute';
export const BRIDGE_ROLES: readonly BridgeRole[] = ['full', 'listen', 'whisper', 'hold', 'mute'];
export const BRIDGE_STATES = ['open', 'closed'] as const;
export type BridgeState = (typeof BRIDGE_STATES)[number];
export type BridgeAction = 'join' | 'leave' | 'set-role' | 'close';
export const BRIDGE_ACTIONS: readonly BridgeAction[] = ['join', 'leave', 'set-role', 'close'];

export const BRIDGE_TABLE: Readonly<Record<BridgeState, Partial<Record<BridgeAction, BridgeState>>>> = {
  open: { join: 'open', leave: 'open', 'set-role': 'open', close: 'closed' },
  closed: {},
};

export interface BridgeMember {
  leg: string;
  kind: PartyKind;
  role: BridgeRole;
  /** For `whisper`: the one leg that hears this member. */
  target?: string;
}

export interface BridgeSnapshot {
  id: string;
  state: BridgeState;
  maxSize: number;
  members: BridgeMember[];
}

export class Bridge {
  private s: BridgeSnapshot;

  constructor(id: string, maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 2) throw new RangeError(`bridge ${id}: maxSize must be an integer >= 2`);
    this.s = { id, state: 'open', maxSize, members: [] };
  }

  get id(): string {
    return this.s.id;
  }
  get state(): BridgeState {
    return this.s.state;
  }
  get maxSize(): number {
    return this.s.maxSize;
  }
  get size(): number {
    return this.s.members.length;
  }
  members(): readonly BridgeMember[] {
    return this.s.members;
  }
  member(leg: string): BridgeMember | undefined {
    return this.s.members.find((m) => m.leg === leg);
  }
  has(leg: string): boolean {
    return this.member(leg) !== undefined;
  }

  join(leg: string, kind: PartyKind, role: BridgeRole, target?: string): void {
    this.step('join');
    if (this.has(leg)) this.fail('ALREADY_MEMBER', `leg ${leg} already joined`);
    if (this.size >= this.s.maxSize) this.fail('BRIDGE_FULL', `already ${this.size} of ${this.s.maxSize} members`);
    if (kind === 'customer' && this.s.members.some((m) => m.kind === 'customer')) {
      this.fail('SECOND_CUSTOMER', `leg ${leg} would be a second customer`);
    }
    this.checkTarget(leg, role, target);
    this.s.members.push(target === undefined ? { leg, kind, role } : { leg, kind, role, target });
  }

  leave(leg: string): void {
    this.step('leave');
    if (!this.has(leg)) this.fail('NOT_A_MEMBER', `leg ${leg} is not in the bridge`);
    // A whisper aimed at the leaving leg has nobody left to hear it: it becomes listen.
    this.s.members = this.s.members
      .filter((m) => m.leg !== leg)
      .map((m) => (m.target === leg ? { leg: m.leg, kind: m.kind, role: 'listen' } : m));
  }

  setRole(leg: string, role: BridgeRole, target?: string): void {
    this.step('set-role');
    const m = this.member(leg);
    if (m === undefined) return this.fail('NOT_A_MEMBER', `leg ${leg} is not in the bridge`);
    this.checkTarget(leg, role, target);
    m.role = role;
    if (target === undefined) delete m.target;
    else m.target = target;
  }

  close(): void {
    this.step('close');
    this.s.state = 'closed';
    this.s.members = [];
  }

  /** Whether `listener` receives `speaker`'s audio (both members, distinct). */
  hears(listener: string, speaker: string): boolean {
    const l = this.member(listener);
    const sp = this.member(speaker);
    if (l === undefined || sp === undefined || listener === speaker) return false;
    if (l.role === 'hold') return false;
    if (sp.role === 'full' || sp.role === 'hold') return true;
    if (sp.role === 'whisper') return sp.target === listener;
    return false;
  }

  /** Whether the member is fed music on hold instead of the mix. */
  hearsMusic(leg: string): boolean {
    return this.member(leg)?.role === 'hold';
  }

  toJSON(): BridgeSnapshot {
    return { ...this.s, members: this.s.members.map((m) => ({ ...m })) };
  }

  restore(snapshot: BridgeSnapshot): void {
    this.s = { ...snapshot, members: snapshot.members.map((m) => ({ ...m })) };
  }

  private step(action: BridgeAction): void {
    if (BRIDGE_TABLE[this.s.state][action] === undefined) this.fail('BRIDGE_CLOSED', `${action} after close`);
  }

  private checkTarget(leg: string, role: BridgeRole, target: string | undefined): void {
    if (role === 'whisper') {
      if (target === undefined || target === leg || !this.has(target)) {
        this.fail('WHISPER_TARGET_INVALID', `whisper from ${leg} to ${target ?? '(none)'}`);
      }
    } else if (target !== undefined) {
      this.fail('WHISPER_TARGET_INVALID', `role ${role} takes no target`);
    }
  }

  private fail(code: CallErrorCode, detail: string): never {
    throw new CallModelError(code, `bridge ${this.s.id}`, detail);
  }
}

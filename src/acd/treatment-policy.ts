/**
 * Queue treatment (ACD-5) as pure policy: given a waiting contact and the
 * queue's situation it returns commands (the switch plays, announces,
 * transfers) and the next moment it wants to be asked again. The engine
 * carries out the ACD-side ones itself (overflow, time-out, callback).
 */
import type { QueueId } from './types.ts';

export type DtmfExit =
  | { readonly action: 'voicemail'; readonly mailbox?: string }
  | { readonly action: 'callback' }
  | { readonly action: 'transfer'; readonly target: string };

export interface TreatmentConfig {
  /** Music-on-hold resource; 'default' when omitted. */
  readonly music?: string;
  readonly announcements?: {
    readonly firstAfterMs: number;
    readonly everyMs: number;
    readonly position: boolean;
    readonly estimatedWait: boolean;
  };
  /** Overflow to another queue after a wait, or on arrival when the queue is longer than a limit. */
  readonly overflow?: { readonly toQueue: QueueId; readonly afterMs?: number; readonly whenLengthAbove?: number };
  /** Maximum wait: voicemail, or an offer to be called back keeping the place in line. */
  readonly maxWait?: { readonly afterMs: number; readonly action: 'voicemail' | 'callback-offer'; readonly mailbox?: string };
  /** Digits a waiting caller may press to leave the queue. */
  readonly dtmfExits?: Readonly<Record<string, DtmfExit>>;
}

export type TreatmentCommand =
  | { readonly kind: 'play-music'; readonly resource: string }
  | { readonly kind: 'announce'; readonly position?: number; readonly estimatedWaitSec?: number }
  | { readonly kind: 'overflow'; readonly toQueue: QueueId; readonly reason: 'wait' | 'length' }
  | { readonly kind: 'voicemail'; readonly mailbox?: string; readonly reason: 'max-wait' | 'dtmf' }
  | { readonly kind: 'offer-callback'; readonly reason: 'max-wait' }
  | { readonly kind: 'callback-accepted' }
  | { readonly kind: 'transfer'; readonly target: string; readonly reason: 'dtmf' };

/** What the policy has already done for one contact. */
export interface TreatmentProgress {
  announcements: number;
  maxWaitDone: boolean;
}

export interface TreatmentSituation {
  readonly now: number;
  readonly enteredAt: number;
  /** 1-based place in line. */
  readonly position: number;
  /** Contacts waiting before this one arrived (for the length overflow). */
  readonly lengthBefore?: number;
  readonly estimatedWaitMs?: number;
}

export interface TreatmentStep {
  readonly commands: TreatmentCommand[];
  /** Epoch ms of the next evaluation, or undefined when nothing more is due. */
  readonly nextAt: number | undefined;
}

export class TreatmentPolicy {
  constructor(readonly config: TreatmentConfig = {}) {}

  /** On arrival: music, or an immediate overflow when the queue is too long. */
  onEnter(progress: TreatmentProgress, s: TreatmentSituation): TreatmentStep {
    const o = this.config.overflow;
    if (o?.whenLengthAbove !== undefined && (s.lengthBefore ?? 0) >= o.whenLengthAbove) {
      return { commands: [{ kind: 'overflow', toQueue: o.toQueue, reason: 'length' }], nextAt: undefined };
    }
    const commands: TreatmentCommand[] = [{ kind: 'play-music', resource: this.config.music ?? 'default' }];
    return { commands, nextAt: this.nextAt(progress, s.enteredAt, s.now) };
  }

  /** At a due time: maximum wait first, then a timed overflow, then an announcement. */
  onDue(progress: TreatmentProgress, s: TreatmentSituation): TreatmentStep {
    const { now, enteredAt } = s;
    const m = this.config.maxWait;
    if (m && !progress.maxWaitDone && now >= enteredAt + m.afterMs) {
      progress.maxWaitDone = true;
      const cmd: TreatmentCommand =
        m.action === 'voicemail'
          ? { kind: 'voicemail', reason: 'max-wait', ...(m.mailbox ? { mailbox: m.mailbox } : {}) }
          : { kind: 'offer-callback', reason: 'max-wait' };
      return { commands: [cmd], nextAt: m.action === 'voicemail' ? undefined : this.nextAt(progress, enteredAt, now) };
    }
    const o = this.config.overflow;
    if (o?.afterMs !== undefined && now >= enteredAt + o.afterMs) {
      return { commands: [{ kind: 'overflow', toQueue: o.toQueue, reason: 'wait' }], nextAt: undefined };
    }
    const commands: TreatmentCommand[] = [];
    const a = this.config.announcements;
    const due = this.announcementDue(progress, enteredAt);
    if (a && due !== undefined && now >= due) {
      progress.announcements++;
      const est = s.estimatedWaitMs;
      commands.push({
        kind: 'announce',
        ...(a.position ? { position: s.position } : {}),
        ...(a.estimatedWait && est !== undefined ? { estimatedWaitSec: Math.max(1, Math.round(est / 1000)) } : {}),
      });
    }
    return { commands, nextAt: this.nextAt(progress, enteredAt, now) };
  }

  /** A digit pressed while waiting; empty when the queue has no exit on it. */
  onDtmf(digit: string): TreatmentCommand[] {
    const exit = this.config.dtmfExits?.[digit];
    if (!exit) return [];
    switch (exit.action) {
      case 'voicemail':
        return [{ kind: 'voicemail', reason: 'dtmf', ...(exit.mailbox ? { mailbox: exit.mailbox } : {}) }];
      case 'callback':
        return [{ kind: 'callback-accepted' }];
      case 'transfer':
        return [{ kind: 'transfer', target: exit.target, reason: 'dtmf' }];
    }
  }

  private announcementDue(progress: TreatmentProgress, enteredAt: number): number | undefined {
    const a = this.config.announcements;
    if (!a || (!a.position && !a.estimatedWait)) return undefined;
    return enteredAt + a.firstAfterMs + progress.announcements * Math.max(1000, a.everyMs);
  }

  private nextAt(progress: TreatmentProgress, enteredAt: number, now: number): number | undefined {
    const times: number[] = [];
    const ann = this.announcementDue(progress, enteredAt);
    if (ann !== undefined) times.push(ann);
    const o = this.config.overflow;
    if (o?.afterMs !== undefined) times.push(enteredAt + o.afterMs);
    const m = this.config.maxWait;
    if (m && !progress.maxWaitDone) times.push(enteredAt + m.afterMs);
    const future = times.filter((t) => t > now);
    const due = times.filter((t) => t <= now);
    if (due.length > 0) return now;
    return future.length > 0 ? Math.min(...future) : undefined;
  }
}

/**
 * Admission of a new contact at an entry point (a service number or a
 * queue's own number): translation (ACD-9), blacklist (ACD-7), business
 * hours and night service (ACD-6), pre-routing and post-routing (ACD-9).
 * Pure: it returns a decision with the trail of rules that produced it; the
 * switch carries it out.
 */
import { type BlacklistMode, type Blacklist } from './blacklist.ts';
import type { BusinessHours } from './business-hours.ts';
import { type CallFacts, type PostTarget, type QueueSituation, postRoute, preRoute, translate } from './routing-rules.ts';
import type { RuleSetStore } from './rule-set-store.ts';
import type { QueueId } from './types.ts';

export type NightService =
  | { readonly kind: 'ivr'; readonly application: string }
  | { readonly kind: 'voicemail'; readonly mailbox?: string }
  | { readonly kind: 'queue'; readonly queue: QueueId }
  | { readonly kind: 'announce-and-hang-up'; readonly prompt: string };

export interface EntryPoint {
  readonly id: string;
  /** Dialled numbers (after translation) that reach this entry point. */
  readonly numbers: readonly string[];
  readonly defaultQueue: QueueId;
  readonly hours?: BusinessHours;
  readonly nightService: NightService;
  readonly blacklistMode: BlacklistMode;
}

export type Admission =
  | { readonly kind: 'unknown-number'; readonly dialled: string; readonly trail: readonly string[] }
  | { readonly kind: 'refuse'; readonly entryPoint: string; readonly trail: readonly string[] }
  | { readonly kind: 'hang-up'; readonly entryPoint: string; readonly trail: readonly string[] }
  | { readonly kind: 'night-service'; readonly entryPoint: string; readonly action: NightService; readonly trail: readonly string[] }
  | {
      readonly kind: 'queue';
      readonly entryPoint: string;
      readonly queue: QueueId;
      /** ACD-7 flag mode: the contact goes through with a warning for the agent. */
      readonly blacklistWarning: boolean;
      readonly trail: readonly string[];
    }
  | { readonly kind: 'redirect'; readonly entryPoint: string; readonly target: Exclude<PostTarget, { kind: 'queue' }>; readonly trail: readonly string[] };

export class EntryPointRouter {
  private readonly byNumber = new Map<string, EntryPoint>();

  constructor(
    entryPoints: readonly EntryPoint[],
    private readonly blacklist: Blacklist,
    private readonly rules: RuleSetStore,
    /** The live situation of a queue (staffed agents, waiting contacts, estimate) for post-routing. */
    private readonly situation: (queue: QueueId) => QueueSituation,
  ) {
    for (const ep of entryPoints) {
      for (const n of ep.numbers) {
        if (this.byNumber.has(n)) throw new RangeError(`number ${n} belongs to two entry points`);
        this.byNumber.set(n, ep);
      }
    }
  }

  /**
   * ACD-7 for a number that is no entry point of the ACD (an IVR's service
   * number): refused when the caller's blacklist entry itself says refuse
   * (there is no entry point whose default mode could apply).
   */
  refusedOutright(caller: string, now: number): boolean {
    const hit = this.blacklist.check(caller, 'flag', now);
    return hit.listed && hit.mode === 'refuse';
  }

  /** Each entry point once, in the order of their first number. */
  list(): EntryPoint[] {
    return [...new Set(this.byNumber.values())];
  }

  /** ADM-2: an entry point's queue, hours, night service or blacklist mode replaced, in force for the next call; its numbers stay. */
  replace(ep: EntryPoint): void {
    const old = this.list().find((e) => e.id === ep.id);
    if (!old) throw new RangeError(`no entry point ${ep.id}`);
    const next = { ...ep, numbers: old.numbers };
    for (const n of old.numbers) this.byNumber.set(n, next);
  }

  admit(facts: CallFacts & { readonly dialled: string }, now: number): Admission {
    const { rules, version } = this.rules.current();
    const trail: string[] = [`rules v${version}`];
    const t = translate(rules, facts.dialled);
    if (t.rule) trail.push(`translation ${t.rule}: ${facts.dialled} -> ${t.dialled}`);
    const ep = this.byNumber.get(t.dialled);
    if (!ep) return { kind: 'unknown-number', dialled: t.dialled, trail };
    trail.push(`entry point ${ep.id}`);

    const hit = this.blacklist.check(facts.caller, ep.blacklistMode, now);
    let warning = false;
    if (hit.listed) {
      trail.push(`blacklist ${hit.entry.number} (${hit.mode})`);
      if (hit.mode === 'refuse') return { kind: 'refuse', entryPoint: ep.id, trail };
      if (hit.mode === 'hangup') return { kind: 'hang-up', entryPoint: ep.id, trail };
      warning = true;
    }

    if (ep.hours) {
      const st = ep.hours.status(now);
      if (!st.open) {
        trail.push(`closed (${st.rule})`);
        return { kind: 'night-service', entryPoint: ep.id, action: ep.nightService, trail };
      }
      trail.push(`open (${st.rule})`);
    }

    const pre = preRoute(rules, { ...facts, dialled: t.dialled });
    let queue = pre?.queue ?? ep.defaultQueue;
    trail.push(pre ? `pre-routing ${pre.rule} -> ${queue}` : `default queue ${queue}`);

    // Post-routing may chain queue to queue; a visited set stops loops.
    const visited = new Set<QueueId>([queue]);
    for (;;) {
      const post = postRoute(rules, queue, this.situation(queue));
      if (!post) break;
      trail.push(`post-routing ${post.rule}`);
      if (post.target.kind !== 'queue') return { kind: 'redirect', entryPoint: ep.id, target: post.target, trail };
      if (visited.has(post.target.queue)) {
        trail.push(`loop at ${post.target.queue}: stays in ${queue}`);
        break;
      }
      queue = post.target.queue;
      visited.add(queue);
    }
    return { kind: 'queue', entryPoint: ep.id, queue, blacklistWarning: warning, trail };
  }
}

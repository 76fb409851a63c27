import type { AgentView } from '../agent.ts';
import { isEligible } from '../eligibility.ts';
import type { EntryView } from '../queue-entry.ts';
import type {
  AgentSelectionRequest,
  Decision,
  EntrySelectionRequest,
  RoutingStep,
  RoutingStrategy,
} from '../routing-strategy.ts';
import type { QueueDefinition } from '../types.ts';
import type { Criterion } from './criterion.ts';

interface Scored<T> {
  readonly item: T;
  readonly queue: QueueDefinition;
}

/**
 * A strategy made of ordered criteria: each one keeps only the candidates
 * with its best score, the next breaks the remaining tie, and registration
 * order (agents) or arrival order (contacts) ends any tie left. Every
 * built-in strategy is one of these; CompositeStrategy chains several.
 */
export class CriterionStrategy implements RoutingStrategy {
  constructor(
    readonly name: string,
    readonly criteria: readonly Criterion[],
  ) {}

  selectAgent(req: AgentSelectionRequest): Decision<AgentView> {
    const { entry, queue, now } = req;
    // One array per decision, narrowed in place: decisions run on every call and every ready agent.
    const set: AgentView[] = [];
    for (const a of req.agents) if (isEligible(a, entry, queue)) set.push(a);
    const eligible = set.length;
    const steps: RoutingStep[] = [];
    let decidedBy = eligible === 0 ? 'none' : '';
    for (const c of this.criteria) {
      if (set.length === 0) break;
      const score = c.agentScore;
      if (!score || (set.length === 1 && c.vetoEndsAt === undefined)) continue;
      const before = set.length;
      keepBestInPlace(set, (a) => score.call(c, a, entry, queue, now));
      steps.push({ rule: c.name, remaining: set.length });
      if (set.length === 0) decidedBy = 'none';
      else if (set.length === 1 && before > 1 && decidedBy === '') decidedBy = c.name;
    }
    let chosen: AgentView | undefined;
    for (const a of set) if (!chosen || a.ordinal < chosen.ordinal) chosen = a;
    if (chosen && decidedBy === '') decidedBy = eligible === 1 ? 'only-candidate' : 'tie-break';
    let retryAt: number | undefined;
    if (!chosen) {
      for (const c of this.criteria) {
        const t = c.vetoEndsAt?.(entry, now);
        if (t !== undefined && t > now && (retryAt === undefined || t < retryAt)) retryAt = t;
      }
    }
    const explanation = {
      strategy: this.name,
      direction: 'agent' as const,
      considered: req.agents.length,
      eligible,
      decidedBy,
      steps,
      ...(retryAt !== undefined ? { note: 'held inside a time window; retry at retryAt' } : {}),
    };
    return retryAt !== undefined ? { chosen, explanation, retryAt } : { chosen, explanation };
  }

  selectEntry(req: EntrySelectionRequest): Decision<EntryView> {
    const { agent, now } = req;
    let set: Scored<EntryView>[] = [];
    for (const e of req.entries) {
      if (e.state !== 'waiting' && e.state !== 'callback') continue;
      const q = req.queueOf(e.queueId);
      if (q && isEligible(agent, e, q)) set.push({ item: e, queue: q });
    }
    const eligible = set.length;
    const steps: RoutingStep[] = [];
    let decidedBy = eligible === 0 ? 'none' : '';
    for (const c of this.criteria) {
      if (set.length === 0) break;
      if (!c.entryScore) continue;
      const before = set.length;
      set = keepBest(set, (s) => c.entryScore!(s.item, agent, s.queue, now));
      steps.push({ rule: c.name, remaining: set.length });
      if (set.length === 0) decidedBy = 'none';
      else if (set.length === 1 && before > 1 && decidedBy === '') decidedBy = c.name;
      if (set.length <= 1) break;
    }
    let chosen: EntryView | undefined;
    for (const s of set) {
      const e = s.item;
      if (!chosen || e.arrivedAt < chosen.arrivedAt || (e.arrivedAt === chosen.arrivedAt && e.seq < chosen.seq)) {
        chosen = e;
      }
    }
    if (chosen && decidedBy === '') decidedBy = eligible === 1 ? 'only-candidate' : 'tie-break';
    return {
      chosen,
      explanation: {
        strategy: this.name,
        direction: 'entry',
        considered: req.entries.length,
        eligible,
        decidedBy,
        steps,
      },
    };
  }

  assigned(agent: AgentView, entry: EntryView, queue: QueueDefinition): void {
    for (const c of this.criteria) c.assigned?.(agent, entry, queue);
  }
}

/** Keeps, in place, the items with the best finite score (two passes, no allocation). */
function keepBestInPlace<T>(set: T[], score: (x: T) => number): void {
  let best = -Infinity;
  for (const x of set) {
    const s = score(x);
    if (s > best) best = s;
  }
  let n = 0;
  if (best !== -Infinity) {
    for (const x of set) if (score(x) === best) set[n++] = x;
  }
  set.length = n;
}

function keepBest<T>(set: T[], score: (x: T) => number): T[] {
  let best = -Infinity;
  let out: T[] = [];
  for (const x of set) {
    const s = score(x);
    if (Number.isNaN(s) || s === -Infinity) continue;
    if (s > best) {
      best = s;
      out = [x];
    } else if (s === best) {
      out.push(x);
    }
  }
  return out;
}

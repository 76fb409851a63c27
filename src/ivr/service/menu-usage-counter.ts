import type { IvrStepEvent } from '../interpreter/ivr-step-event.ts';

/** How callers used one menu or field node. */
export interface NodeUsage {
  readonly node: string;
  readonly kind: 'menu' | 'field';
  /** Input attempts at this node. */
  readonly attempts: number;
  /**
   * Attempts by outcome: for menus the choice taken (its target) or
   * noinput / nomatch; for fields only filled / noinput / nomatch (never
   * the value: it may be an account or a password).
   */
  readonly outcomes: Readonly<Record<string, number>>;
}

export interface UsageSnapshot {
  /** Epoch ms of the first counted step (undefined: nothing counted yet). */
  readonly since?: number;
  readonly nodes: readonly NodeUsage[];
}

/**
 * IVR-6: usage counted per menu node for reports, fed from the step events
 * of every session. Nodes are keyed without the query string of their
 * document URL, so generated documents count as one node.
 */
export class MenuUsageCounter {
  private readonly nodes = new Map<string, { kind: 'menu' | 'field'; attempts: number; outcomes: Map<string, number> }>();
  private since?: number;

  record(e: IvrStepEvent): void {
    if (e.kind !== 'menu' && e.kind !== 'input') return;
    const kind = e.kind === 'menu' ? 'menu' : 'field';
    const node = stripQuery(e.node);
    let n = this.nodes.get(node);
    if (!n) this.nodes.set(node, (n = { kind, attempts: 0, outcomes: new Map() }));
    // A choice's target loses its query string too (generated documents carry a session token there).
    const outcome = e.result === 'noinput' || e.result === 'nomatch' ? e.result : kind === 'menu' ? stripQuery(e.result) : 'filled';
    n.attempts++;
    n.outcomes.set(outcome, (n.outcomes.get(outcome) ?? 0) + 1);
    this.since ??= e.at;
  }

  snapshot(): UsageSnapshot {
    const nodes = [...this.nodes]
      .map(([node, n]): NodeUsage => ({ node, kind: n.kind, attempts: n.attempts, outcomes: Object.fromEntries([...n.outcomes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) }))
      .sort((a, b) => a.node.localeCompare(b.node));
    return { since: this.since, nodes };
  }

  reset(): void {
    this.nodes.clear();
    this.since = undefined;
  }
}

function stripQuery(node: string): string {
  const hash = node.indexOf('#');
  const head = hash < 0 ? node : node.slice(0, hash);
  const q = head.indexOf('?');
  return q < 0 ? node : head.slice(0, q) + (hash < 0 ? '' : node.slice(hash));
}

import type { Agent } from './agent.ts';
import type { QueueDefinition, SkillName } from './types.ts';

/** An unordered set of agents kept as an array (swap-remove), so it can be lent out without copying. */
class AgentBag {
  readonly items: Agent[] = [];
  private readonly at = new Map<Agent, number>();

  add(a: Agent): void {
    if (this.at.has(a)) return;
    this.at.set(a, this.items.length);
    this.items.push(a);
  }

  remove(a: Agent): void {
    const i = this.at.get(a);
    if (i === undefined) return;
    const last = this.items.pop()!;
    this.at.delete(a);
    if (last !== a) {
      this.items[i] = last;
      this.at.set(last, i);
    }
  }
}

/**
 * Ready agents indexed by skill, so a routing decision scans only the agents
 * holding the rarest skill the queue requires instead of the whole center.
 * Pools are lent read-only: strategies do not keep or change them.
 */
export class ReadyIndex {
  private readonly all = new AgentBag();
  private readonly bySkill = new Map<SkillName, AgentBag>();
  private static readonly EMPTY: readonly Agent[] = [];

  add(agent: Agent): void {
    this.all.add(agent);
    for (const skill of agent.skillNames()) {
      let bag = this.bySkill.get(skill);
      if (!bag) this.bySkill.set(skill, (bag = new AgentBag()));
      bag.add(agent);
    }
  }

  remove(agent: Agent): void {
    this.all.remove(agent);
    for (const skill of agent.skillNames()) this.bySkill.get(skill)?.remove(agent);
  }

  get size(): number {
    return this.all.items.length;
  }

  /** Ready agents that hold at least the queue's rarest required skill. */
  poolFor(queue: QueueDefinition): readonly Agent[] {
    let best: readonly Agent[] = this.all.items;
    for (const r of queue.requiredSkills) {
      const bag = this.bySkill.get(r.skill);
      if (!bag) return ReadyIndex.EMPTY;
      if (bag.items.length < best.length) best = bag.items;
    }
    return best;
  }
}

import type { Agent } from './agent.ts';
import type { QueueDefinition, SkillName } from './types.ts';

/**
 * Ready agents indexed by skill, so a routing decision scans only the agents
 * holding the rarest skill the queue requires instead of the whole center.
 */
export class ReadyIndex {
  private readonly all = new Set<Agent>();
  private readonly bySkill = new Map<SkillName, Set<Agent>>();

  add(agent: Agent): void {
    if (this.all.has(agent)) return;
    this.all.add(agent);
    for (const skill of Object.keys(agent.profile.skills)) {
      let set = this.bySkill.get(skill);
      if (!set) this.bySkill.set(skill, (set = new Set()));
      set.add(agent);
    }
  }

  remove(agent: Agent): void {
    if (!this.all.delete(agent)) return;
    for (const skill of Object.keys(agent.profile.skills)) this.bySkill.get(skill)?.delete(agent);
  }

  get size(): number {
    return this.all.size;
  }

  /** Ready agents that hold at least the queue's rarest required skill. */
  poolFor(queue: QueueDefinition): Agent[] {
    let best: Set<Agent> = this.all;
    for (const r of queue.requiredSkills) {
      const s = this.bySkill.get(r.skill);
      if (!s) return [];
      if (s.size < best.size) best = s;
    }
    return [...best];
  }
}

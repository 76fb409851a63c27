/**
 * Who may serve what: the one eligibility rule every strategy obeys.
 * An agent is eligible for an entry when ready, holding every required skill
 * at the required level, in one of the queue's groups (if any), graded high
 * enough for the customer's level (ACD-8), able to handle the media, and not
 * one who let this contact ring out before (ACD-4).
 */
import type { AgentView } from './agent.ts';
import type { EntryView } from './queue-entry.ts';
import { DEFAULT_LEVEL_MAPPING, type QueueDefinition } from './types.ts';

/** Skills, groups and media: what does not depend on the state or the particular contact. */
export function agentFitsQueue(agent: AgentView, queue: QueueDefinition): boolean {
  for (const req of queue.requiredSkills) {
    if (agent.skillLevel(req.skill) < Math.max(1, req.minLevel ?? 1)) return false;
  }
  if (queue.groups && queue.groups.length > 0) {
    const groups = queue.groups;
    if (!agent.profile.groups.some((m) => groups.includes(m.group))) return false;
  }
  return true;
}

export function isEligible(agent: AgentView, entry: EntryView, queue: QueueDefinition): boolean {
  if (agent.state !== 'ready') return false;
  if (entry.excludedAgents.has(agent.id)) return false;
  if (!agent.handlesMedia(entry.data.media)) return false;
  const mapping = queue.levelMapping ?? DEFAULT_LEVEL_MAPPING;
  if (agent.profile.level < mapping[entry.data.customerLevel]) return false;
  return agentFitsQueue(agent, queue);
}

/** Best (lowest number) priority the agent holds in any of the queue's groups; 1 when the queue has none. */
export function groupPriority(agent: AgentView, queue: QueueDefinition): number {
  if (!queue.groups || queue.groups.length === 0) return 1;
  let best = Infinity;
  for (const m of agent.profile.groups) {
    if (queue.groups.includes(m.group) && m.priority < best) best = m.priority;
  }
  return best;
}

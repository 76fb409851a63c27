import { AcdError } from './acd-error.ts';
import { type AgentProfile, MAX_LEVEL, MIN_LEVEL, type QueueDefinition } from './types.ts';

function level(v: unknown, what: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_LEVEL || v > MAX_LEVEL) {
    throw new AcdError('INVALID_CONFIG', `${what} must be an integer from ${MIN_LEVEL} to ${MAX_LEVEL}, got ${String(v)}`);
  }
}

function duration(v: number | undefined, what: string): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
    throw new AcdError('INVALID_CONFIG', `${what} must be a duration in ms >= 0, got ${String(v)}`);
  }
}

/** Validates an agent profile once, on entry, so the engine never meets a bad one. */
export function checkAgentProfile(p: AgentProfile): void {
  if (typeof p.id !== 'string' || p.id === '') throw new AcdError('INVALID_CONFIG', 'agent id must be a non-empty string');
  level(p.level, `agent ${p.id} level`);
  for (const [skill, l] of Object.entries(p.skills)) level(l, `agent ${p.id} skill ${skill}`);
  for (const g of p.groups) {
    if (!Number.isInteger(g.priority) || g.priority < 1) {
      throw new AcdError('INVALID_CONFIG', `agent ${p.id} group ${g.group} priority must be an integer >= 1`);
    }
  }
  duration(p.wrapUpMs, `agent ${p.id} wrapUpMs`);
  duration(p.ringTimeoutMs, `agent ${p.id} ringTimeoutMs`);
}

export function checkQueueDefinition(q: QueueDefinition): void {
  if (typeof q.id !== 'string' || q.id === '') throw new AcdError('INVALID_CONFIG', 'queue id must be a non-empty string');
  for (const r of q.requiredSkills) if (r.minLevel !== undefined) level(r.minLevel, `queue ${q.id} skill ${r.skill} minLevel`);
  if (q.levelMapping) for (const [k, v] of Object.entries(q.levelMapping)) level(v, `queue ${q.id} level mapping ${k}`);
  duration(q.serviceLevelMs, `queue ${q.id} serviceLevelMs`);
  duration(q.wrapUpMs, `queue ${q.id} wrapUpMs`);
  duration(q.ringTimeoutMs, `queue ${q.id} ringTimeoutMs`);
  duration(q.serviceTimeLimitMs, `queue ${q.id} serviceTimeLimitMs`);
  duration(q.serviceTimeReminderMs, `queue ${q.id} serviceTimeReminderMs`);
}

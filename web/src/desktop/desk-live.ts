/**
 * The agent desktop kept current by the event stream (/api/v1/events):
 * pure reducers from one event frame to the desk's next state, so the
 * desktop loads once and then follows events instead of polling
 * (use-desk.ts). Nothing here guesses: an event the desk cannot apply (a
 * call it has never seen) says so (`stale`) and the hook reloads that part.
 *
 * - agent: the ACD's `agent-state` for this agent;
 * - calls: the screen pop (`interaction.offered`, with the call's state and
 *   legs), then `interaction.state`, `leg.state`, `calldata.changed`,
 *   `agent.connected`, `interaction.ended`;
 * - waiting calls: `queue-waiting`;
 * - CTI-7 service time: the ACD's `connected` (with the queue's limit) and
 *   `service-time`; the countdown runs from the answer;
 * - ACD-7: the ACD's `offered` with `blacklistWarning`.
 */
import type { StreamFrame, StreamLink } from '../api/event-stream-client.ts';
import type { AgentStatus, Interaction, Leg, QueueStatus } from '../api/types.ts';
import { AGENT_STATES } from './desk-state.ts';

/** How often the desk polls while the event stream is not live (ms). */
export const DESK_FALLBACK_MS = 5000;

/** The desk's poll interval: none while the stream is live, the fallback otherwise. */
export function deskPollMs(link: StreamLink): number | undefined {
  return link === 'live' ? undefined : DESK_FALLBACK_MS;
}

const isAcd = (f: StreamFrame, type: string) => f.source === 'acd' && f.type === type;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const AWAY: ReadonlySet<string> = new Set(['ready', 'not-ready', 'logged-out', 'locked']);

/** The agent after an `agent-state` event about them; the same object otherwise. */
export function applyAgentFrame(agent: AgentStatus | undefined, f: StreamFrame): AgentStatus | undefined {
  if (!agent || !isAcd(f, 'agent-state') || f.agentId !== agent.id) return agent;
  const to = f['to'];
  if (typeof to !== 'string' || !(AGENT_STATES as readonly string[]).includes(to)) return agent;
  const { reason: _r, pendingNotReady, interactionId, ...rest } = agent;
  const reason = typeof f['reason'] === 'string' ? f['reason'] : undefined;
  const ix = f.interaction ?? (AWAY.has(to) ? undefined : interactionId);
  const pending = to === 'not-ready' || to === 'logged-out' || to === 'locked' ? undefined : pendingNotReady;
  return {
    ...rest,
    state: to as AgentStatus['state'],
    since: new Date(f.at).toISOString(),
    ...(reason !== undefined ? { reason } : {}),
    ...(pending !== undefined ? { pendingNotReady: pending } : {}),
    ...(ix !== undefined ? { interactionId: ix } : {}),
  };
}

export interface CallsUpdate {
  calls: readonly Interaction[];
  /** The event is about a call the desk does not hold: reload the calls. */
  stale: boolean;
}

type OfferedCall = Omit<Interaction, 'id'>;

function offeredCall(f: StreamFrame): Interaction | undefined {
  const c = f['call'] as Partial<OfferedCall> | undefined;
  if (!c || typeof c.state !== 'string' || !Array.isArray(c.legs) || !c.customer || typeof c.startedAt !== 'string') return undefined;
  return { ...(c as OfferedCall), callData: c.callData ?? {}, id: f.interaction! };
}

/** The agent's live calls after one switch event. */
export function applyCallFrame(calls: readonly Interaction[], f: StreamFrame): CallsUpdate {
  const same = { calls, stale: false };
  if (f.source !== 'switch' || f.interaction === undefined) return same;
  const i = calls.findIndex((c) => c.id === f.interaction);
  const replace = (next: Interaction): CallsUpdate => ({ calls: i < 0 ? [...calls, next] : [...calls.slice(0, i), next, ...calls.slice(i + 1)], stale: false });
  if (f.type === 'interaction.offered') {
    const pop = offeredCall(f);
    return pop ? replace(pop) : { calls, stale: true };
  }
  if (f.type === 'interaction.ended') return i < 0 ? same : { calls: calls.filter((c) => c.id !== f.interaction), stale: false };
  if (i < 0) return { calls, stale: true };
  const ix = calls[i]!;
  switch (f.type) {
    case 'interaction.state':
      return typeof f['to'] === 'string' ? replace({ ...ix, state: f['to'] as Interaction['state'] }) : same;
    case 'leg.state': {
      const id = f['leg'];
      const to = f['to'] as Leg['state'];
      if (typeof id !== 'string' || typeof to !== 'string') return same;
      const j = ix.legs.findIndex((l) => l.id === id);
      const answered = to === 'connected' ? { answerAt: f.at } : {};
      if (j < 0) {
        const party = f['party'] as Leg['party'] | undefined;
        if (!party) return { calls, stale: true };
        return replace({ ...ix, legs: [...ix.legs, { id, party, direction: 'outbound', state: to, createdAt: f.at, ...answered }] });
      }
      const leg = ix.legs[j]!;
      const next: Leg = { ...leg, state: to, ...(leg.answerAt === undefined ? answered : {}) };
      return replace({ ...ix, legs: [...ix.legs.slice(0, j), next, ...ix.legs.slice(j + 1)] });
    }
    case 'calldata.changed':
      return replace({ ...ix, callData: (f['callData'] as Record<string, unknown> | undefined) ?? ix.callData });
    case 'agent.connected':
      return typeof f.agentId === 'string' ? replace({ ...ix, agentId: f.agentId }) : same;
    default:
      return same;
  }
}

/** Waiting calls per queue after a `queue-waiting` event. */
export function applyQueueFrame(queues: readonly QueueStatus[], f: StreamFrame): readonly QueueStatus[] {
  if (!isAcd(f, 'queue-waiting')) return queues;
  const waiting = num(f['waiting']);
  const i = queues.findIndex((q) => q.id === f['queueId']);
  if (i < 0 || waiting === undefined || queues[i]!.waiting === waiting) return queues;
  return [...queues.slice(0, i), { ...queues[i]!, waiting }, ...queues.slice(i + 1)];
}

/** The directory of agents (CTI-3, CTI-4 targets) after one event: the agent it names moves to its new state. */
export function applyDirectoryFrame(list: readonly AgentStatus[], f: StreamFrame): readonly AgentStatus[] {
  if (!isAcd(f, 'agent-state')) return list;
  const i = list.findIndex((a) => a.id === f.agentId);
  if (i < 0) return list;
  const next = applyAgentFrame(list[i], f);
  return next === list[i] || next === undefined ? list : [...list.slice(0, i), next, ...list.slice(i + 1)];
}

/** CTI-7: the running service-time limit of the agent's current call. */
export interface ServiceTimer {
  interaction: string;
  /** When the agent answered (epoch ms): the countdown runs from here. */
  startAt: number;
  limitMs: number;
  /** The reminder comes this long before the limit. */
  reminderMs?: number;
}

/** The agent's service timer after one event: set by `connected` (when the queue has a limit) or `service-time`, cleared at `call-ended`. */
export function applyServiceFrame(timer: ServiceTimer | undefined, f: StreamFrame, agentId: string): ServiceTimer | undefined {
  if (f.source !== 'acd' || f.agentId !== agentId) return timer;
  if (f.type === 'connected') {
    const limitMs = num(f['serviceTimeLimitMs']);
    if (limitMs === undefined || f.interaction === undefined) return undefined;
    const reminderMs = num(f['serviceTimeReminderMs']);
    return { interaction: f.interaction, startAt: f.at, limitMs, ...(reminderMs !== undefined ? { reminderMs } : {}) };
  }
  if (f.type === 'service-time') {
    const limitMs = num(f['limitMs']);
    const remainingMs = num(f['remainingMs']);
    if (limitMs === undefined || remainingMs === undefined || f.interaction === undefined) return timer;
    const known = timer?.interaction === f.interaction ? timer : undefined;
    const reminderMs = known?.reminderMs ?? (remainingMs > 0 ? remainingMs : undefined);
    return { interaction: f.interaction, startAt: known?.startAt ?? f.at - (limitMs - remainingMs), limitMs, ...(reminderMs !== undefined ? { reminderMs } : {}) };
  }
  if (f.type === 'call-ended' || (f.type === 'agent-state' && f['to'] !== 'talking')) return undefined;
  return timer;
}

/**
 * CTI-7 for a desktop loaded in the middle of a call: the countdown rebuilt
 * from what the API says now (the agent talking since `since` on the call
 * of a queue that has a limit), so it does not wait for the next event.
 */
export function serviceTimerFromSnapshot(
  agent: Pick<AgentStatus, 'state' | 'since' | 'interactionId'> | undefined,
  call: Pick<Interaction, 'id' | 'queueId'> | undefined,
  queues: readonly Pick<QueueStatus, 'id' | 'serviceTimeLimitSec' | 'serviceTimeReminderSec'>[],
): ServiceTimer | undefined {
  if (agent?.state !== 'talking' || call === undefined || agent.interactionId !== call.id || call.queueId === undefined) return undefined;
  const q = queues.find((x) => x.id === call.queueId);
  const startAt = Date.parse(agent.since);
  if (q?.serviceTimeLimitSec === undefined || !Number.isFinite(startAt)) return undefined;
  const reminderMs = q.serviceTimeReminderSec !== undefined ? q.serviceTimeReminderSec * 1000 : undefined;
  return { interaction: call.id, startAt, limitMs: q.serviceTimeLimitSec * 1000, ...(reminderMs !== undefined ? { reminderMs } : {}) };
}

export type ServicePhase = 'ok' | 'warning' | 'over';

/** Time left at `now` (negative once over) and the phase: warning from the reminder, over at the limit. */
export function serviceClock(t: ServiceTimer, now: number): { remainingMs: number; phase: ServicePhase } {
  const remainingMs = t.startAt + t.limitMs - now;
  const phase: ServicePhase = remainingMs <= 0 ? 'over' : t.reminderMs !== undefined && remainingMs <= t.reminderMs ? 'warning' : 'ok';
  return { remainingMs, phase };
}

/** m:ss of a countdown, with a leading minus once over. */
export function formatCountdown(ms: number): string {
  const s = Math.ceil(Math.abs(ms) / 1000);
  const over = ms < 0 && s > 0;
  return `${over ? '-' : ''}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** ACD-7: calls offered to this agent with a blacklist warning (flag mode). */
export function applyBlacklistFrame(flagged: ReadonlySet<string>, f: StreamFrame, agentId: string): ReadonlySet<string> {
  if (isAcd(f, 'offered') && f.agentId === agentId && f['blacklistWarning'] === true && f.interaction !== undefined && !flagged.has(f.interaction)) {
    return new Set([...flagged, f.interaction]);
  }
  if (f.source === 'switch' && f.type === 'interaction.ended' && f.interaction !== undefined && flagged.has(f.interaction)) {
    const next = new Set(flagged);
    next.delete(f.interaction);
    return next;
  }
  return flagged;
}

/**
 * The agent grid kept current by the event stream (SUP-1): an ACD
 * `agent-state` event patches its row at once (state, since, reason) and
 * reloads the grid at once (so no answer to an older request, which would
 * show the state before the change, replaces the patch); every other event
 * asks for a reload, coalesced so a burst of events (one call is a dozen)
 * costs one request at its start and one at its end. Pure apart from the
 * timer.
 */
import type { StreamFrame, StreamLink } from '../../api/event-stream-client.ts';
import type { AgentStatus } from '../../api/types.ts';
import { AGENT_STATES } from '../../desktop/desk-state.ts';

/**
 * How often the grid polls (ms; undefined: not at all): at the supervisor's
 * chosen interval (seconds, 0 = off); with auto refresh off, every
 * `fallbackS` while the event stream is not live, so a lost stream never
 * leaves a frozen grid.
 */
export function gridRefreshMs(everyS: number, link: StreamLink, fallbackS: number): number | undefined {
  if (everyS > 0) return everyS * 1000;
  return link === 'live' ? undefined : fallbackS * 1000;
}

/** The rows with the event's agent in its new state; the same array when the event is not an agent-state change of a listed agent. */
export function applyAgentState(rows: readonly AgentStatus[], f: StreamFrame): readonly AgentStatus[] {
  if (f.source !== 'acd' || f.type !== 'agent-state' || typeof f.agentId !== 'string') return rows;
  const to = f['to'];
  if (typeof to !== 'string' || !(AGENT_STATES as readonly string[]).includes(to)) return rows;
  const i = rows.findIndex((a) => a.id === f.agentId);
  if (i < 0) return rows;
  const reason = typeof f['reason'] === 'string' ? f['reason'] : undefined;
  const { reason: _old, ...rest } = rows[i]!;
  const row: AgentStatus = { ...rest, state: to as AgentStatus['state'], since: new Date(f.at).toISOString(), ...(reason !== undefined ? { reason } : {}) };
  return [...rows.slice(0, i), row, ...rows.slice(i + 1)];
}

/** Runs `run` at once when idle; pokes within `ms` after a run make one more run at the end of that window. */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = false;

  constructor(
    private readonly run: () => void,
    private readonly ms: number,
  ) {}

  poke(): void {
    if (this.timer !== undefined) {
      this.pending = true;
      return;
    }
    this.run();
    this.arm();
  }

  /** Run at once whatever the window (a pending run is folded into this one), then start a new window. */
  now(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.pending = false;
    this.run();
    this.arm();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.pending) return;
      this.pending = false;
      this.run();
      this.arm();
    }, this.ms);
  }
}

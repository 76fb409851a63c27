/**
 * The events the WebSocket stream sends (src/api/event-stream.ts), joined
 * from the switch runtime and the ACD service:
 *   - switch events keep their type; `interaction.offered` (the screen pop)
 *     names the agent and carries the call's view (state, legs, customer,
 *     number dialled, queue, call data) so a desktop needs no second
 *     request; `leg.state` of an agent's leg names that agent;
 *   - ACD events as `source: "acd"` with the engine event's type; routing
 *     explanations and treatment steps stay out (the API has them).
 *   - DTMF never enters the stream (PINs are keyed on calls).
 *   - board events (SUP-4: `task.assigned`, `task.updated`, `notice.posted`,
 *     `notice.read`) as `source: "board"`, naming their `recipients`.
 *   - CTI-7: the ACD's `offered` and `connected` carry the queue's
 *     `serviceTimeLimitMs` (and `serviceTimeReminderMs`) when it has a
 *     limit, so a desktop counts down from the answer; `service-time`
 *     (remainingMs > 0: the reminder; 0: the limit passed) follows.
 *   - ACD-7: the ACD's `offered` carries `blacklistWarning`.
 *   - `queue-waiting` {queueId, waiting} after each change of a queue's
 *     line, for every client (no customer data): desktops show the waiting
 *     calls without polling.
 */
import type { AcdService } from '../acd/service/index.ts';
import type { EventFeed, StreamEvent } from '../api/event-stream.ts';
import type { DeskBoard, DeskEvent } from '../messaging/desk-board.ts';
import type { SwitchEvent } from '../switch/runtime/ports.ts';
import type { SwitchRuntime } from '../switch/runtime/switch-runtime.ts';

const SKIPPED_SWITCH = new Set(['dtmf']);
const SKIPPED_ACD = new Set(['routing-decision', 'treatment']);
/** ACD events after which a queue's number of waiting calls may have changed. */
const LINE_CHANGES = new Set(['entry-queued', 'entry-ended', 'connected', 'offered', 'ring-no-answer', 'offer-failed']);

/** CTI-7: the queue's service-time limit and reminder, when it has a limit. */
export function serviceTimeOf(acd: Pick<AcdService, 'settings'>, queueId: unknown): { serviceTimeLimitMs?: number; serviceTimeReminderMs?: number } {
  const q = typeof queueId === 'string' ? acd.settings.queue(queueId) : undefined;
  if (q?.serviceTimeLimitMs === undefined) return {};
  return { serviceTimeLimitMs: q.serviceTimeLimitMs, ...(q.serviceTimeReminderMs !== undefined ? { serviceTimeReminderMs: q.serviceTimeReminderMs } : {}) };
}

export function switchStreamEvent(e: SwitchEvent, runtime: Pick<SwitchRuntime, 'get'>): StreamEvent | undefined {
  if (SKIPPED_SWITCH.has(e.type)) return undefined;
  const { interaction, ...rest } = e as SwitchEvent & { interaction: string };
  const out: Record<string, unknown> = { source: 'switch', ...rest, interaction };
  if (e.type === 'interaction.offered') {
    if (e.party.kind === 'agent' || e.party.kind === 'supervisor') out['agentId'] = e.party.id;
    try {
      const v = runtime.get(e.interaction);
      out['call'] = {
        state: v.state,
        customer: v.customer,
        ...(v.entryPoint !== undefined ? { entryPoint: v.entryPoint } : {}),
        ...(v.queueId !== undefined ? { queueId: v.queueId } : {}),
        ...(v.agentId !== undefined ? { agentId: v.agentId } : {}),
        callData: v.callData,
        legs: v.legs,
        startedAt: v.startedAt,
      };
    } catch {
      /* the call is already gone */
    }
  }
  if (e.type === 'supervision.changed') out['agentId'] = e.agentId;
  // An agent's own leg is about that agent: its desktop follows calls it makes or is consulted on.
  if (e.type === 'leg.state' && e.party.kind === 'agent') out['agentId'] = e.party.id;
  return out as unknown as StreamEvent;
}

/** A board event (SUP-4) as the stream sends it: `source: "board"`, with the agents it concerns in `recipients`. */
export function boardStreamEvent(e: DeskEvent): StreamEvent {
  return { source: 'board', ...e } as StreamEvent;
}

export function eventFeed(runtime: SwitchRuntime, acd?: AcdService, board?: Pick<DeskBoard, 'onEvent'>): EventFeed {
  return {
    subscribe(listener) {
      const offSwitch = runtime.onEvent((e) => {
        const s = switchStreamEvent(e, runtime);
        if (s) listener(s);
      });
      const offAcd = acd?.events.on((ev) => {
        if (ev.type === 'acd') {
          if (SKIPPED_ACD.has(ev.event.type)) return;
          const { explanation: _explanation, ...fields } = ev.event as typeof ev.event & { explanation?: unknown };
          const timed = ev.event.type === 'offered' || ev.event.type === 'connected' ? serviceTimeOf(acd, ev.event.queueId) : {};
          listener({ source: 'acd', ...fields, ...timed, ...(ev.interactionId !== undefined ? { interaction: ev.interactionId } : {}) } as StreamEvent);
          const queueId = (ev.event as { queueId?: unknown }).queueId;
          if (LINE_CHANGES.has(ev.event.type) && typeof queueId === 'string') {
            // After the engine's step is done, so the count is the new one.
            queueMicrotask(() => {
              const q = acd.control.queues().find((x) => x.id === queueId);
              if (q) listener({ source: 'acd', type: 'queue-waiting', at: ev.event.at, queueId, waiting: q.waiting });
            });
          }
          return;
        }
        listener({ source: 'acd', ...ev } as unknown as StreamEvent);
      });
      const offBoard = board?.onEvent((e) => listener(boardStreamEvent(e)));
      return () => {
        offSwitch();
        offAcd?.();
        offBoard?.();
      };
    },
  };
}

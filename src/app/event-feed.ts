/**
 * The events the WebSocket stream sends (src/api/event-stream.ts), joined
 * from the switch runtime and the ACD service:
 *   - switch events keep their type; `interaction.offered` (the screen pop)
 *     names the agent and carries the call's view (customer, number dialled,
 *     queue, call data) so a desktop needs no second request;
 *   - ACD events as `source: "acd"` with the engine event's type; routing
 *     explanations and treatment steps stay out (the API has them).
 *   - DTMF never enters the stream (PINs are keyed on calls).
 */
import type { AcdService } from '../acd/service/index.ts';
import type { EventFeed, StreamEvent } from '../api/event-stream.ts';
import type { SwitchEvent } from '../switch/runtime/ports.ts';
import type { SwitchRuntime } from '../switch/runtime/switch-runtime.ts';

const SKIPPED_SWITCH = new Set(['dtmf']);
const SKIPPED_ACD = new Set(['routing-decision', 'treatment']);

export function switchStreamEvent(e: SwitchEvent, runtime: Pick<SwitchRuntime, 'get'>): StreamEvent | undefined {
  if (SKIPPED_SWITCH.has(e.type)) return undefined;
  const { interaction, ...rest } = e as SwitchEvent & { interaction: string };
  const out: Record<string, unknown> = { source: 'switch', ...rest, interaction };
  if (e.type === 'interaction.offered') {
    if (e.party.kind === 'agent' || e.party.kind === 'supervisor') out['agentId'] = e.party.id;
    try {
      const v = runtime.get(e.interaction);
      out['call'] = { customer: v.customer, ...(v.entryPoint !== undefined ? { entryPoint: v.entryPoint } : {}), ...(v.queueId !== undefined ? { queueId: v.queueId } : {}), callData: v.callData, startedAt: v.startedAt };
    } catch {
      /* the call is already gone */
    }
  }
  if (e.type === 'supervision.changed') out['agentId'] = e.agentId;
  return out as unknown as StreamEvent;
}

export function eventFeed(runtime: SwitchRuntime, acd?: AcdService): EventFeed {
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
          listener({ source: 'acd', ...fields, ...(ev.interactionId !== undefined ? { interaction: ev.interactionId } : {}) } as StreamEvent);
          return;
        }
        listener({ source: 'acd', ...ev } as unknown as StreamEvent);
      });
      return () => {
        offSwitch();
        offAcd?.();
      };
    },
  };
}

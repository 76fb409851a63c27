/**
 * ===================== CALL RECORDS WIRING POINT =====================
 * The event log and the call records of the running server (server.ts
 * calls this; issue 4 item 4; CTI-1, OPS-3, OPS-4):
 *
 *   startRecords()   BEFORE signalling: the `events` table, mirrored to
 *                    DATA/events.jsonl, is replayed from the checkpoint in
 *                    `meta`; every interaction the previous process left
 *                    live is closed (cause server-restart, one record each).
 *                    The SIP dialogs it left get their BYE from the gateway
 *                    (switch-setup.ts, DATA/sip-dialogs.jsonl).
 *   attach()         right after the switch and the ACD: every runtime
 *                    event goes to the CallRecorder (dtmf never does), the
 *                    ACD's queue port is wrapped so the record names the
 *                    queue and the number dialled, and the ACD's wrap-up
 *                    ends become `agent.wrapup-ended` (at the release when
 *                    the ACD holds no wrap-up: direct calls, queues without).
 *   ivrPort()        wraps the IVR port given to the runtime, so the record
 *                    names the IVR script: runtime.setIvrPort(records.ivrPort(ivr)).
 *
 * The API reads the records from stores.callRecords (GET /api/v1/call-records).
 * ======================================================================
 */
import { join } from 'node:path';
import type { AcdService } from '../acd/service/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { startCallRecording, type CallRecording } from '../store/call-recording.ts';
import type { Stores } from '../store/stores.ts';
import { recordIvrEntries, recordQueueEntries, type WrapupEnded } from '../switch/records/index.ts';
import type { IvrPort } from '../switch/runtime/ports.ts';
import type { SwitchRuntime } from '../switch/runtime/switch-runtime.ts';

export const EVENTS_FILE = 'events.jsonl';

export interface RecordsSetup {
  recording: CallRecording;
  /** Feeds the switch's events (and the ACD's queue entries and wrap-ups) to the recorder. */
  attach(runtime: SwitchRuntime, acd?: AcdService): void;
  /** The IVR port that logs `ivr.started` (the script) before passing each call on. */
  ivrPort(port: IvrPort): IvrPort;
  /** Stops listening, waits for the pending appends and record writes, closes the file. */
  close(): Promise<void>;
}

export interface RecordsContext {
  dataDir: string;
  stores: Pick<Stores, 'events' | 'callRecords' | 'meta'>;
  clock: Clock;
  logger: Logger;
}

export async function startRecords(ctx: RecordsContext): Promise<RecordsSetup> {
  const { clock, logger: log } = ctx;
  const recording = await startCallRecording({ stores: ctx.stores, jsonlPath: join(ctx.dataDir, EVENTS_FILE), now: clock.now(), logger: log });
  const { recorder, recovery } = recording;
  if (recovery.closed.length > 0) {
    log.warn({ interactions: recovery.closed.length, legs: recovery.legsToEnd.length }, 'call records: calls live when the previous process stopped were closed (cause server-restart)');
  }
  const detach: (() => void)[] = [];
  return {
    recording,
    attach(runtime, acd) {
      const wrapupEnded = (interaction: string, agentId: string, at: number) => {
        const ended: WrapupEnded = { type: 'agent.wrapup-ended', interaction, agentId, at };
        recorder.enqueue(ended);
      };
      // Agents the ACD holds in wrap-up, with the interaction it follows.
      const wrapping = new Map<string, string>();
      const inWrapup = (agentId: string, interaction: string): boolean => {
        try {
          const s = acd?.control.agent(agentId);
          return s?.state === 'wrap-up' && (s.interactionId === undefined || s.interactionId === interaction);
        } catch {
          return false; // not an ACD agent
        }
      };
      detach.push(
        runtime.onEvent((e) => {
          recorder.enqueue(e);
          if (e.type !== 'agent.released') return;
          // Once the ACD has seen the release: it holds the agent in wrap-up (ended by its
          // `wrap-up-ended` below), or there is none (a direct call, a queue without
          // wrap-up): the wrap-up ends at the release, so the record does not wait for it.
          queueMicrotask(() => {
            if (inWrapup(e.agentId, e.interaction)) wrapping.set(e.agentId, e.interaction);
            else wrapupEnded(e.interaction, e.agentId, e.at);
          });
        }),
      );
      if (acd === undefined) return;
      runtime.setQueuePort(recordQueueEntries(acd, recorder, clock));
      detach.push(
        acd.events.on((ev) => {
          if (ev.type !== 'acd' || ev.event.type !== 'wrap-up-ended') return;
          const interaction = wrapping.get(ev.event.agentId);
          if (interaction === undefined) return;
          wrapping.delete(ev.event.agentId);
          wrapupEnded(interaction, ev.event.agentId, ev.event.at);
        }),
      );
    },
    ivrPort: (port) => recordIvrEntries(port, recorder, clock),
    async close() {
      for (const d of detach.splice(0)) d();
      await recording.close();
    },
  };
}

/**
 * The queue and IVR entries of a call, for its record (queue id, IVR script,
 * entry point): the model's events do not name them, the runtime's calls to
 * the ACD and IVR ports do. These wrappers pass every call through unchanged
 * and log a `queue.entered` / `ivr.started` (and `interaction.entry` when the
 * dialled number is known) first. The composition root wraps the ports it
 * gives the runtime: runtime.setQueuePort(recordQueueEntries(acd, recorder, clock)).
 */
import type { Clock } from '../../shared/clock.ts';
import type { IvrPort, QueuePort } from '../runtime/ports.ts';
import type { RecordEvent } from './record-events.ts';

export interface EventSink {
  enqueue(event: RecordEvent): void;
}

export function recordQueueEntries(port: QueuePort, sink: EventSink, clock: Clock): QueuePort {
  return {
    enqueue(req) {
      const at = clock.now();
      if (req.entryPoint !== undefined) sink.enqueue({ type: 'interaction.entry', interaction: req.interactionId, entryPoint: req.entryPoint, at });
      sink.enqueue({ type: 'queue.entered', interaction: req.interactionId, queueId: req.queueId, at });
      port.enqueue(req);
    },
    cancel(interactionId) {
      port.cancel(interactionId);
    },
    ...(port.refuses ? { refuses: (dialled: string, caller: string) => port.refuses!(dialled, caller) } : {}),
  };
}

export function recordIvrEntries(port: IvrPort, sink: EventSink, clock: Clock): IvrPort {
  const wrapped: IvrPort = {
    start(req) {
      const at = clock.now();
      if (req.entryPoint !== undefined && req.mode === 'new') sink.enqueue({ type: 'interaction.entry', interaction: req.interactionId, entryPoint: req.entryPoint, at });
      sink.enqueue({ type: 'ivr.started', interaction: req.interactionId, leg: req.legId, script: req.script, mode: req.mode, at });
      port.start(req);
    },
    stop(interactionId) {
      port.stop(interactionId);
    },
  };
  const survey = port.surveyFor?.bind(port);
  if (survey !== undefined) wrapped.surveyFor = survey;
  return wrapped;
}

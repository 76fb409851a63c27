/**
 * A media WorkerRuntime in this thread, driven by hand: no media clock (the
 * caller calls `runtime.tick()`), commands answered in place. `run` sends a
 * command and returns the port its ack names (create-leg); a rejected command
 * throws. Used by the runtime's tests and by bench:media-alloc.
 */
import type { EngineCommand, WorkerEvent } from '../../src/media/engine/engine-protocol.ts';
import { WorkerRuntime } from '../../src/media/engine/worker-runtime.ts';

/** An engine command without its request ID (the driver numbers them). */
export type RuntimeCommand = EngineCommand extends infer C ? (C extends EngineCommand ? Omit<C, 'requestId'> : never) : never;

export function handDrivenRuntime(onEvent: (e: WorkerEvent) => void = () => undefined): { runtime: WorkerRuntime; run(c: RuntimeCommand): Promise<number | undefined> } {
  const acks = new Map<number, number | undefined>();
  const rejected = new Map<number, string>();
  const runtime = new WorkerRuntime({
    now: () => performance.now(),
    setTimer: () => undefined,
    clearTimer: () => undefined,
    emit: (e: WorkerEvent) => {
      if (e.type === 'ack') acks.set(e.requestId, e.localPort);
      else if (e.type === 'rejected') rejected.set(e.requestId, e.message);
      else onEvent(e);
    },
  });
  let rid = 0;
  return {
    runtime,
    async run(c) {
      const requestId = ++rid;
      await runtime.handle({ ...c, requestId } as EngineCommand);
      const why = rejected.get(requestId);
      if (why !== undefined) throw new Error(`${c.type} rejected: ${why}`);
      return acks.get(requestId);
    },
  };
}

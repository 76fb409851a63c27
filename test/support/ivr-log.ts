/**
 * The IVR's step log of a running server (`ivr step` JSON lines on its
 * stdout, IVR-6), as the e2e tests read it: every step so far, and a wait
 * for the latest step that matches.
 */
import { until } from './call-audio.ts';
import type { HotlineProcess } from './server.ts';

export interface IvrStep {
  sessionId: string;
  seq: number;
  at: number;
  kind: string;
  node: string;
  input?: string;
  result: string;
  durationMs: number;
}

export function ivrSteps(server: HotlineProcess): IvrStep[] {
  return server
    .stdout()
    .split('\n')
    .filter((l) => l.includes('"ivr step"'))
    .map((l) => JSON.parse(l) as IvrStep);
}

/** Waits for a step that matches and returns the latest such step. */
export async function ivrStepWhere(server: HotlineProcess, what: string, ok: (s: IvrStep) => boolean, timeoutMs = 20_000): Promise<IvrStep> {
  const l = await until(what, () => ivrSteps(server), (all) => all.some(ok), timeoutMs);
  return l.filter(ok).at(-1)!;
}

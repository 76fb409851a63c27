/**
 * Test helper: runs the real call-model operations on a FakeClock and
 * records what they emit as a numbered event log, as the runtime will.
 */
import type { FakeClock } from '../../shared/clock.ts';
import type { Outcome, SwitchContext } from '../model/index.ts';
import { testContext } from '../model/test-kit.ts';
import { logEventsOf, type LogEntry, type LogEvent } from './record-events.ts';

export class Tape {
  readonly ctx: SwitchContext & { clock: FakeClock };
  readonly entries: LogEntry[] = [];

  constructor(start?: number) {
    this.ctx = testContext();
    if (start !== undefined) this.ctx.clock.advance(start - this.ctx.clock.now());
  }

  /** Logs an operation's events (and the queue/IVR entries its commands imply); returns the result. */
  op<T extends Outcome | { outcome: Outcome }>(result: T): T {
    const outcome: Outcome = 'outcome' in result ? result.outcome : (result as Outcome);
    for (const e of logEventsOf(outcome, this.now)) this.push(e);
    return result;
  }

  push(e: LogEvent): void {
    this.entries.push({ seq: this.entries.length + 1, event: structuredClone(e) });
  }

  wrapupEnded(interaction: string, agentId: string): void {
    this.push({ type: 'agent.wrapup-ended', interaction, agentId, at: this.now } as LogEvent);
  }

  advance(ms: number): void {
    this.ctx.clock.advance(ms);
  }

  get now(): number {
    return this.ctx.clock.now();
  }
}

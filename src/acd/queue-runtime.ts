import type { QueueEntry } from './queue-entry.ts';
import type { RoutingStrategy } from './routing-strategy.ts';
import { TreatmentPolicy } from './treatment-policy.ts';
import { DEFAULT_SERVICE_LEVEL_MS, type QueueDefinition } from './types.ts';
import { HandleTimeEwma } from './wait-estimator.ts';

/** Raw per-queue counts for today (RPT-1 data). Ratios follow DESIGN.md's metric definitions. */
export interface QueueCounters {
  entered: number;
  answered: number;
  answeredWithinT: number;
  abandoned: number;
  abandonedWithinT: number;
  overflowedOut: number;
  timedOut: number;
  callbacks: number;
  answerWaitMsTotal: number;
}

export interface QueueSnapshot {
  readonly id: string;
  readonly waiting: number;
  readonly longestWaitMs: number;
  readonly counters: Readonly<QueueCounters>;
  /** Answered within T ÷ (answered + abandoned after T); undefined with no such calls. */
  readonly serviceLevel: number | undefined;
  readonly asaMs: number | undefined;
  readonly ahtMs: number;
}

function emptyCounters(): QueueCounters {
  return {
    entered: 0,
    answered: 0,
    answeredWithinT: 0,
    abandoned: 0,
    abandonedWithinT: 0,
    overflowedOut: 0,
    timedOut: 0,
    callbacks: 0,
    answerWaitMsTotal: 0,
  };
}

/** A queue at run time: its definition, contacts in line (arrival order) and counts. */
export class QueueRuntime {
  /** Routable contacts (waiting or callback), earliest arrival first. */
  readonly line: QueueEntry[] = [];
  counters: QueueCounters = emptyCounters();
  readonly aht: HandleTimeEwma;

  constructor(
    public def: QueueDefinition,
    public treatment: TreatmentPolicy,
    public strategy: RoutingStrategy | undefined,
    initialAhtMs?: number,
  ) {
    this.aht = new HandleTimeEwma(initialAhtMs);
  }

  get serviceLevelMs(): number {
    return this.def.serviceLevelMs ?? DEFAULT_SERVICE_LEVEL_MS;
  }

  /** Inserts keeping arrival order (a requeued or overflowed contact keeps its place). */
  insert(e: QueueEntry): void {
    let i = this.line.length;
    while (i > 0) {
      const prev = this.line[i - 1]!;
      if (prev.arrivedAt < e.arrivedAt || (prev.arrivedAt === e.arrivedAt && prev.seq < e.seq)) break;
      i--;
    }
    this.line.splice(i, 0, e);
  }

  remove(e: QueueEntry): void {
    const i = this.line.indexOf(e);
    if (i >= 0) this.line.splice(i, 1);
  }

  position(e: QueueEntry): number {
    return this.line.indexOf(e) + 1;
  }

  snapshot(now: number): QueueSnapshot {
    const c = this.counters;
    const slBase = c.answered + c.abandoned - c.abandonedWithinT;
    const first = this.line[0];
    return {
      id: this.def.id,
      waiting: this.line.length,
      longestWaitMs: first ? now - first.enteredAt : 0,
      counters: { ...c },
      serviceLevel: slBase > 0 ? c.answeredWithinT / slBase : undefined,
      asaMs: c.answered > 0 ? c.answerWaitMsTotal / c.answered : undefined,
      ahtMs: this.aht.ahtMs,
    };
  }

  resetCounters(): void {
    this.counters = emptyCounters();
  }
}

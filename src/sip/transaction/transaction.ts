/**
 * Base of the four RFC 3261 transaction state machines: one transition table
 * per subclass, named timers on the injected Clock, and sending with
 * transport errors routed back into the state machine. A transition the
 * table does not list is a bug and throws a plain Error.
 */
import type { TimerHandle } from '../../shared/clock.ts';
import type { SipMessage, SipRequest } from '../../protocol/sip/message.ts';
import type { AnyTransaction, TransactionContext } from './transaction-types.ts';

export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export abstract class Transaction<S extends string> implements AnyTransaction {
  abstract readonly kind: 'ict' | 'nict' | 'ist' | 'nist';
  private current: S;
  private readonly timerHandles = new Map<TimerName, TimerHandle>();
  private terminatedNotified = false;

  protected constructor(
    protected readonly ctx: TransactionContext,
    readonly request: SipRequest,
    readonly key: string,
    initial: S,
    private readonly table: TransitionTable<S>,
    private readonly terminal: S,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  /** The channel this transaction sends on (a CANCEL reuses its INVITE's). */
  get channel(): TransactionContext['channel'] {
    return this.ctx.channel;
  }

  get reliable(): boolean {
    return this.ctx.channel.reliable;
  }

  protected get isTerminated(): boolean {
    return this.current === this.terminal;
  }

  /** The only place the state changes. */
  protected transition(next: S): void {
    const allowed = this.table[this.current];
    if (!allowed.includes(next)) throw new Error(`bug: ${this.kind} transaction cannot move ${this.current} -> ${next}`);
    this.current = next;
    if (next === this.terminal) this.finish();
  }

  protected startTimer(name: TimerName, ms: number, fire: () => void): void {
    this.stopTimer(name);
    const handle = this.ctx.clock.setTimeout(() => {
      this.timerHandles.delete(name);
      fire();
    }, ms);
    this.timerHandles.set(name, handle);
  }

  protected stopTimer(name: TimerName): void {
    const h = this.timerHandles.get(name);
    if (h) {
      h.cancel();
      this.timerHandles.delete(name);
    }
  }

  /** Names of the timers now running (for tests and diagnostics). */
  runningTimers(): TimerName[] {
    return [...this.timerHandles.keys()];
  }

  /** Hand a message to the channel; a failure comes back as onTransportError while still relevant. */
  protected transmit(message: SipMessage): void {
    let pending: Promise<void>;
    try {
      pending = this.ctx.channel.send(message);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.catch((err: unknown) => {
      if (this.isTerminated) return;
      this.ctx.logger?.warn({ err: String(err), tx: this.key }, 'transport error in transaction');
      this.onTransportError(err);
    });
  }

  protected abstract onTransportError(error: unknown): void;

  /** Called once on reaching the terminal state, after timers are cleared. */
  protected abstract notifyTerminated(): void;

  private finish(): void {
    for (const h of this.timerHandles.values()) h.cancel();
    this.timerHandles.clear();
    if (this.terminatedNotified) return;
    this.terminatedNotified = true;
    this.ctx.onTerminated?.(this);
    this.notifyTerminated();
  }

  /** Forced end (stack shutdown, owner gone): not a protocol transition, so it bypasses the table. */
  dispose(): void {
    if (this.isTerminated) return;
    this.current = this.terminal;
    this.finish();
  }
}

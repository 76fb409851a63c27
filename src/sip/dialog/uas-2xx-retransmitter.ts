/**
 * The UAS core's 2xx retransmission (RFC 3261 section 13.3.1.4): the 2xx
 * goes out again after T1, doubling up to T2, until the ACK arrives. After
 * 64*T1 without an ACK the session is given up (the caller sends BYE).
 * RFC 3261 asks for this on every transport, since a reliable hop does not
 * make the path end to end reliable; `retransmit: false` turns it off.
 *
 *   sending --ACK--> acked
 *      \---64*T1---> timed-out      (stop() -> stopped, from sending)
 */
import type { Clock, TimerHandle } from '../../shared/clock.ts';
import type { SipResponse } from '../../protocol/sip/message.ts';
import type { TimerSettings } from '../transaction/timer-settings.ts';

export type RetransmitterState = 'sending' | 'acked' | 'timed-out' | 'stopped';

const TABLE: Readonly<Record<RetransmitterState, readonly RetransmitterState[]>> = {
  sending: ['acked', 'timed-out', 'stopped'],
  acked: [],
  'timed-out': [],
  stopped: [],
};

export interface Uas2xxRetransmitterOptions {
  clock: Clock;
  timers: TimerSettings;
  /** Pass the 2xx to the INVITE server transaction (Accepted) again. */
  send: (response: SipResponse) => void;
  /** 64*T1 passed without an ACK. */
  onAckTimeout: () => void;
  retransmit?: boolean;
}

export class Uas2xxRetransmitter {
  private current: RetransmitterState = 'sending';
  private interval: number;
  private retransmitTimer: TimerHandle | undefined;
  private readonly giveUpTimer: TimerHandle;
  /** Retransmissions made (the first send is the caller's). */
  retransmissions = 0;

  constructor(
    private readonly response: SipResponse,
    private readonly opts: Uas2xxRetransmitterOptions,
  ) {
    this.interval = opts.timers.t1;
    if (opts.retransmit !== false) this.arm();
    this.giveUpTimer = opts.clock.setTimeout(() => {
      if (this.current !== 'sending') return;
      this.move('timed-out');
      this.opts.onAckTimeout();
    }, 64 * opts.timers.t1);
  }

  get state(): RetransmitterState {
    return this.current;
  }

  ackReceived(): void {
    if (this.current === 'sending') this.move('acked');
  }

  stop(): void {
    if (this.current === 'sending') this.move('stopped');
  }

  private move(next: RetransmitterState): void {
    if (!TABLE[this.current].includes(next)) throw new Error(`bug: 2xx retransmitter cannot move ${this.current} -> ${next}`);
    this.current = next;
    this.retransmitTimer?.cancel();
    this.giveUpTimer.cancel();
  }

  private arm(): void {
    this.retransmitTimer = this.opts.clock.setTimeout(() => {
      if (this.current !== 'sending') return;
      this.retransmissions++;
      this.opts.send(this.response);
      this.interval = Math.min(2 * this.interval, this.opts.timers.t2);
      this.arm();
    }, this.interval);
  }
}

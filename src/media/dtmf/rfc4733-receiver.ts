import { TelephoneEvent } from '../../protocol/rtp/telephone-event.ts';
import type { MediaStage } from '../stage.ts';

/**
 * RFC 4733 receiver. Input: the RTP timestamp and payload of each
 * telephone-event packet. Output: a digit when an event begins and when it
 * ends. An event is identified by its RTP timestamp (section 2.5.2.1): a new
 * timestamp is a new event, even for the same digit; the end bit closes it,
 * and the redundant copies of the end packet (sent three times, 2.5.1.4) are
 * counted once. An event that never saw its end (all end packets lost) is
 * closed when the next one starts.
 */
export type DtmfEvent =
  | { type: 'begin'; digit: string; timestamp: number }
  | { type: 'end'; digit: string; timestamp: number; durationMs: number; endSeen: boolean };

export interface Rfc4733Input {
  timestamp: number;
  payload: Uint8Array;
}

export interface Rfc4733ReceiverOptions {
  clockRate: number;
}

export class Rfc4733Receiver implements MediaStage<Rfc4733Input, DtmfEvent[]> {
  private readonly o: Rfc4733ReceiverOptions;
  private current: { timestamp: number; digit: string; duration: number; ended: boolean } | undefined;
  private counts = { packets: 0, events: 0, redundantEnds: 0, unknownEvents: 0, malformed: 0, missedEnds: 0 };

  constructor(options: Partial<Rfc4733ReceiverOptions> = {}) {
    this.o = { clockRate: 8000, ...options };
  }

  processInput(input: Rfc4733Input): DtmfEvent[] {
    this.counts.packets++;
    let ev: TelephoneEvent;
    try {
      ev = TelephoneEvent.deserialize(input.payload);
    } catch {
      this.counts.malformed++;
      return [];
    }
    const digit = ev.digit;
    if (digit === undefined) {
      this.counts.unknownEvents++;
      return [];
    }
    const out: DtmfEvent[] = [];
    const cur = this.current;
    if (cur && cur.timestamp === input.timestamp) {
      if (cur.ended) {
        if (ev.end) this.counts.redundantEnds++;
        return out;
      }
      cur.duration = Math.max(cur.duration, ev.duration);
    } else {
      if (cur && !cur.ended) {
        this.counts.missedEnds++;
        out.push(this.endOf(cur, false));
      }
      this.current = { timestamp: input.timestamp, digit, duration: ev.duration, ended: false };
      this.counts.events++;
      out.push({ type: 'begin', digit, timestamp: input.timestamp });
    }
    if (ev.end) {
      const c = this.current!;
      c.ended = true;
      out.push(this.endOf(c, true));
    }
    return out;
  }

  toJSON() {
    return { ...this.counts };
  }

  private endOf(c: { timestamp: number; digit: string; duration: number; ended: boolean }, endSeen: boolean): DtmfEvent {
    c.ended = true;
    return { type: 'end', digit: c.digit, timestamp: c.timestamp, durationMs: (c.duration / this.o.clockRate) * 1000, endSeen };
  }
}

import { TelephoneEvent } from '../../protocol/rtp/telephone-event.ts';
import type { MediaStage } from '../stage.ts';

/**
 * RFC 4733 sender: turns one digit into the packets to send, one per packet
 * interval. All packets of the event carry the event's start timestamp; the
 * first has the marker bit (2.5.1.2); each update carries the duration so far;
 * the final duration is sent three times with the end bit (2.5.1.4). The
 * caller gives them sequence numbers and the timestamp and paces them.
 */
export interface DtmfSendRequest {
  digit: string;
  durationMs: number;
}

export interface TelephoneEventFrame {
  /** Packet index from the start of the event: send at index x packet interval. */
  index: number;
  marker: boolean;
  payload: Uint8Array;
}

export interface Rfc4733SenderOptions {
  clockRate: number;
  packetMs: number;
  volume: number;
  endRepeats: number;
}

export class Rfc4733Sender implements MediaStage<DtmfSendRequest, TelephoneEventFrame[]> {
  private readonly o: Rfc4733SenderOptions;
  private sent = 0;

  constructor(options: Partial<Rfc4733SenderOptions> = {}) {
    this.o = { clockRate: 8000, packetMs: 20, volume: 10, endRepeats: 3, ...options };
  }

  processInput(req: DtmfSendRequest): TelephoneEventFrame[] {
    const event = TelephoneEvent.eventOfDigit(req.digit);
    const step = (this.o.clockRate * this.o.packetMs) / 1000;
    const total = Math.min(0xffff, Math.max(step, Math.round((req.durationMs * this.o.clockRate) / 1000)));
    const frames: TelephoneEventFrame[] = [];
    let index = 0;
    for (let d = step; d < total; d += step) {
      frames.push({ index: index++, marker: index === 1, payload: new TelephoneEvent({ event, end: false, volume: this.o.volume, duration: d }).serialize() });
    }
    for (let r = 0; r < this.o.endRepeats; r++) {
      frames.push({ index: index++, marker: index === 1, payload: new TelephoneEvent({ event, end: true, volume: this.o.volume, duration: total }).serialize() });
    }
    this.sent++;
    return frames;
  }

  toJSON() {
    return { digitsSent: this.sent };
  }
}

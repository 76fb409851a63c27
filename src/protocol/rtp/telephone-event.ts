import { RtpParseError } from './rtp-errors.ts';

/**
 * RFC 4733 section 2.3 telephone-event payload.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * event 0-9 are the digits, 10 is '*', 11 is '#', 12-15 are A-D (section 3.2).
 * volume is the power level in -dBm0 (0..63); duration counts timestamp units
 * since the event began. R is reserved: kept as received for exact round trips.
 */
export const DTMF_EVENT_DIGITS = '0123456789*#ABCD';

export interface TelephoneEventInit {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
  reserved?: boolean;
}

export class TelephoneEvent {
  static readonly SIZE = 4;
  readonly event: number;
  readonly end: boolean;
  readonly reserved: boolean;
  readonly volume: number;
  readonly duration: number;

  constructor(init: TelephoneEventInit) {
    if (!(init.event >= 0 && init.event <= 255)) throw new RtpParseError('bad-value', `event ${init.event}`);
    if (!(init.volume >= 0 && init.volume <= 63)) throw new RtpParseError('bad-value', `volume ${init.volume}`);
    if (!(init.duration >= 0 && init.duration <= 0xffff)) throw new RtpParseError('bad-value', `duration ${init.duration}`);
    this.event = init.event;
    this.end = init.end;
    this.reserved = init.reserved ?? false;
    this.volume = init.volume;
    this.duration = init.duration;
  }

  /** The DTMF digit for events 0-15, otherwise undefined. */
  get digit(): string | undefined {
    return this.event < 16 ? DTMF_EVENT_DIGITS[this.event] : undefined;
  }

  static eventOfDigit(digit: string): number {
    const e = DTMF_EVENT_DIGITS.indexOf(digit.toUpperCase());
    if (e < 0 || digit.length !== 1) throw new RtpParseError('bad-value', `not a DTMF digit: ${JSON.stringify(digit)}`);
    return e;
  }

  /** Parses the first 4 octets; RFC 4733 lets several events share a packet, we use the first. */
  static deserialize(buf: Uint8Array): TelephoneEvent {
    if (buf.length < TelephoneEvent.SIZE) throw new RtpParseError('truncated', `telephone-event needs 4 octets, got ${buf.length}`);
    const b1 = buf[1]!;
    return new TelephoneEvent({
      event: buf[0]!,
      end: (b1 & 0x80) !== 0,
      reserved: (b1 & 0x40) !== 0,
      volume: b1 & 0x3f,
      duration: (buf[2]! << 8) | buf[3]!,
    });
  }

  serialize(): Buffer {
    const out = Buffer.alloc(TelephoneEvent.SIZE);
    out[0] = this.event;
    out[1] = (this.end ? 0x80 : 0) | (this.reserved ? 0x40 : 0) | this.volume;
    out.writeUInt16BE(this.duration, 2);
    return out;
  }
}

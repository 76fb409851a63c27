import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPcapUdp } from '../../../test/audio/pcap-reader.ts';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { TelephoneEvent } from '../../protocol/rtp/telephone-event.ts';
import { type DtmfEvent, Rfc4733Receiver } from './rfc4733-receiver.ts';
import { Rfc4733Sender } from './rfc4733-sender.ts';

const ends = (evs: DtmfEvent[]) => evs.filter((e) => e.type === 'end');

describe('RFC 4733 DTMF receive and send - TEL-3', () => {
  it('decodes every sip-tester capture to exactly one digit with its duration', () => {
    const dir = '/usr/share/sip-tester';
    const files = readdirSync(dir).filter((f) => /^dtmf_2833_\w+\.pcap$/.test(f)).sort();
    const digits: string[] = [];
    for (const f of files) {
      const rx = new Rfc4733Receiver();
      const evs = readPcapUdp(`${dir}/${f}`).flatMap((d) => {
        const p = RtpPacket.deserialize(d.payload);
        return rx.processInput({ timestamp: p.timestamp, payload: p.payload });
      });
      expect(evs.map((e) => e.type)).toEqual(['begin', 'end']);
      const end = ends(evs)[0]!;
      expect(end.type === 'end' && end.endSeen).toBe(true);
      expect(end.type === 'end' && end.durationMs).toBe(280); // final duration 2240 units at 8 kHz in these captures
      expect(rx.toJSON().redundantEnds).toBe(2);
      digits.push(end.digit);
    }
    expect(digits.join('')).toBe('0123456789#*');
  });

  it('tells a repeated digit from a retransmission by its timestamp, and closes an event whose end was lost', () => {
    const rx = new Rfc4733Receiver();
    const pkt = (ts: number, digit: string, end: boolean, duration: number) =>
      rx.processInput({ timestamp: ts, payload: new TelephoneEvent({ event: TelephoneEvent.eventOfDigit(digit), end, volume: 10, duration }).serialize() });
    const evs = [
      ...pkt(1000, '5', false, 160),
      ...pkt(1000, '5', true, 800),
      ...pkt(1000, '5', true, 800),
      ...pkt(3000, '5', false, 160), // same digit pressed again
      ...pkt(3000, '5', false, 480), // its end packets are lost
      ...pkt(6000, '9', false, 160),
    ];
    expect(evs.map((e) => `${e.type}:${e.digit}`)).toEqual(['begin:5', 'end:5', 'begin:5', 'end:5', 'begin:9']);
    expect(ends(evs).map((e) => e.type === 'end' && [e.durationMs, e.endSeen])).toEqual([
      [100, true],
      [60, false],
    ]);
    expect(rx.processInput({ timestamp: 1, payload: Uint8Array.of(1, 2) })).toEqual([]);
    expect(rx.toJSON()).toMatchObject({ missedEnds: 1, malformed: 1, redundantEnds: 1 });
  });

  it('sends start with marker, updates, and three end packets; the receiver reads them back', () => {
    const tx = new Rfc4733Sender();
    const frames = tx.processInput({ digit: '#', durationMs: 100 });
    const evs = frames.map((f) => TelephoneEvent.deserialize(f.payload));
    expect(frames.map((f) => f.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(evs.map((e) => [e.duration, e.end])).toEqual([
      [160, false],
      [320, false],
      [480, false],
      [640, false],
      [800, true],
      [800, true],
      [800, true],
    ]);
    const rx = new Rfc4733Receiver();
    const out = frames.flatMap((f) => rx.processInput({ timestamp: 42, payload: f.payload }));
    expect(out).toEqual([
      { type: 'begin', digit: '#', timestamp: 42 },
      { type: 'end', digit: '#', timestamp: 42, durationMs: 100, endSeen: true },
    ]);
    expect(() => tx.processInput({ digit: 'Z', durationMs: 100 })).toThrow();
  });
});

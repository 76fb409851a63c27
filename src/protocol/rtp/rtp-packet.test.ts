import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPcapUdp } from '../../../test/audio/pcap-reader.ts';
import { RtpParseError } from './rtp-errors.ts';
import { RtpPacket } from './rtp-packet.ts';
import { TelephoneEvent } from './telephone-event.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('RTP packet (RFC 3550 5.1) - TEL-3', () => {
  it('round-trips a packet with CSRCs, header extension, marker and padding', () => {
    const golden = hex(`b2 80 1234 deadbeef 01020304  0a0b0c0d 11121314  bede 0001 10aa0000  ffff7f7f  000003`);
    const p = RtpPacket.deserialize(golden);
    expect(p.marker).toBe(true);
    expect(p.payloadType).toBe(0);
    expect(p.sequenceNumber).toBe(0x1234);
    expect(p.timestamp).toBe(0xdeadbeef);
    expect(p.ssrc).toBe(0x01020304);
    expect(p.csrcs).toEqual([0x0a0b0c0d, 0x11121314]);
    expect(p.extension?.profile).toBe(0xbede);
    expect(Buffer.from(p.extension!.data).toString('hex')).toBe('10aa0000');
    expect(Buffer.from(p.payload).toString('hex')).toBe('ffff7f7f');
    expect(p.padding.length).toBe(3);
    expect(p.serialize().equals(golden)).toBe(true);
  });

  it('builds a plain packet and serializes it to the expected bytes', () => {
    const p = new RtpPacket({ payloadType: 8, sequenceNumber: 65535, timestamp: 160, ssrc: 0xcafebabe, payload: hex('d5d5') });
    expect(p.serialize().toString('hex')).toBe('8008ffff000000a0cafebabed5d5');
    const buf = Buffer.alloc(40);
    expect(p.serializeInto(buf, 3)).toBe(14);
    expect(buf.subarray(3, 17).toString('hex')).toBe('8008ffff000000a0cafebabed5d5');
  });

  it.each([
    ['shorter than a header', '80000001', 'truncated'],
    ['version 1', '40000001 00000000 00000000', 'bad-version'],
    ['CSRC count past the end', '8f000001 00000000 00000000 00000000', 'truncated'],
    ['extension past the end', '90000001 00000000 00000000 bede0004 00000000', 'truncated'],
    ['padding count zero', 'a0000001 00000000 00000000 00', 'bad-padding'],
    ['padding longer than the packet', 'a0000001 00000000 00000000 0000ff', 'bad-padding'],
  ])('rejects %s with a typed error', (_name, bytes, code) => {
    let err: unknown;
    try {
      RtpPacket.deserialize(hex(bytes));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtpParseError);
    expect((err as RtpParseError).code).toBe(code);
  });

  it('refuses out-of-range fields when building', () => {
    expect(() => new RtpPacket({ payloadType: 128, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: new Uint8Array() })).toThrow(RtpParseError);
    expect(() => new RtpPacket({ payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: new Uint8Array(), padding: new Uint8Array([0, 0]) })).toThrow(RtpParseError);
  });
});

describe('RFC 4733 telephone-event payload - TEL-3', () => {
  it('round-trips the reserved bit and maps events to digits', () => {
    const raw = hex('0bca0320'); // '#', end, reserved bit set, volume 10, duration 800
    const e = TelephoneEvent.deserialize(raw);
    expect(e.digit).toBe('#');
    expect(e.serialize().equals(raw)).toBe(true);
    expect(new TelephoneEvent({ event: 10, end: true, volume: 10, duration: 800 }).serialize().toString('hex')).toBe('0a8a0320');
    expect(TelephoneEvent.eventOfDigit('d')).toBe(15);
    expect(() => TelephoneEvent.eventOfDigit('x')).toThrow(RtpParseError);
    expect(() => TelephoneEvent.deserialize(hex('0a8a03'))).toThrow(RtpParseError);
  });
});

describe('sip-tester captures dtmf_2833_*.pcap - TEL-3', () => {
  const dir = '/usr/share/sip-tester';
  const files = readdirSync(dir).filter((f) => /^dtmf_2833_\w+\.pcap$/.test(f));
  const expected: Record<string, string> = { pound: '#', star: '*' };

  it('finds the Debian captures', () => {
    expect(files).toContain('dtmf_2833_0.pcap');
    expect(files.length).toBe(12);
  });

  it.each(files)('%s: every RTP packet round-trips byte for byte and the events decode to its digit', (file) => {
    const datagrams = readPcapUdp(`${dir}/${file}`);
    expect(datagrams.length).toBeGreaterThan(0);
    const digits: string[] = [];
    let ends = 0;
    for (const d of datagrams) {
      const p = RtpPacket.deserialize(d.payload);
      expect(p.serialize().equals(d.payload)).toBe(true);
      expect(p.payloadType).toBe(101);
      const ev = TelephoneEvent.deserialize(p.payload);
      expect(ev.serialize().equals(Buffer.from(p.payload))).toBe(true);
      digits.push(ev.digit!);
      if (ev.end) ends++;
    }
    const name = /^dtmf_2833_(\w+)\.pcap$/.exec(file)![1]!;
    const want = expected[name] ?? name;
    expect(new Set(digits)).toEqual(new Set([want]));
    expect(ends).toBe(3); // RFC 4733 2.5.1.4: the end packet is sent three times
  });
});

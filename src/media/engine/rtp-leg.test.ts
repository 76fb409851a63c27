import { describe, expect, it } from 'vitest';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { parseRtp } from './rtp-leg.ts';

const payload = Uint8Array.from({ length: 160 }, (_, i) => (i * 7) & 0xff);

describe('leg receive parsing: fast path for the plain header - TEL-3', () => {
  it.each<[string, ConstructorParameters<typeof RtpPacket>[0]]>([
    ['plain PCMU', { payloadType: 0, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0x89abcdef, payload }],
    ['marker and telephone-event', { payloadType: 101, marker: true, sequenceNumber: 7, timestamp: 160, ssrc: 1, payload: Uint8Array.of(5, 0x8a, 0, 160) }],
    ['CSRCs', { payloadType: 8, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [10, 11], payload }],
    ['extension', { payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, extension: { profile: 0xbede, data: new Uint8Array(4) }, payload }],
    ['padding', { payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, padding: RtpPacket.makePadding(4), payload }],
  ])('%s reads as RtpPacket.deserialize reads it', (_name, init) => {
    const wire = new RtpPacket(init).serialize();
    const full = RtpPacket.deserialize(wire);
    const fast = parseRtp(wire)!;
    expect({ pt: fast.payloadType, seq: fast.sequenceNumber, ts: fast.timestamp, ssrc: fast.ssrc, payload: Array.from(fast.payload) }).toEqual({
      pt: full.payloadType,
      seq: full.sequenceNumber,
      ts: full.timestamp,
      ssrc: full.ssrc,
      payload: Array.from(full.payload),
    });
  });

  it.each([
    ['too short', Buffer.from([0x80, 0, 0, 1])],
    ['version 1', Buffer.concat([Buffer.from([0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]), Buffer.alloc(160)])],
    ['CSRC list past the end', Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])],
  ])('%s is not RTP', (_name, wire) => {
    expect(parseRtp(wire)).toBeUndefined();
  });
});

import { RtpParseError } from './rtp-errors.ts';

/**
 * RTP data packet (RFC 3550 section 5.1).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                    (CC entries of 32 bits)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   defined by profile (X=1)    |     length (32-bit words)     |  section 5.3.1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  header extension data ...                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           payload ...                         |
 * |                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | padding (P=1) | pad count     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Padding: the last octet counts the padding octets, itself included. The
 * padding octets themselves are kept so that a packet round-trips exactly.
 */
export interface RtpExtension {
  /** The 16-bit "defined by profile" field. */
  profile: number;
  /** Extension data; its length is a multiple of 4. */
  data: Uint8Array;
}

export interface RtpPacketInit {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
  marker?: boolean;
  csrcs?: readonly number[];
  extension?: RtpExtension;
  /** Padding octets, the count octet included (empty: no padding). */
  padding?: Uint8Array;
}

export const RTP_HEADER_SIZE = 12;

export class RtpPacket {
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly marker: boolean;
  readonly csrcs: readonly number[];
  readonly extension: RtpExtension | undefined;
  readonly payload: Uint8Array;
  readonly padding: Uint8Array;

  constructor(init: RtpPacketInit) {
    const csrcs = init.csrcs ?? [];
    check(init.payloadType >= 0 && init.payloadType <= 127, 'payload type out of range');
    check(init.sequenceNumber >= 0 && init.sequenceNumber <= 0xffff, 'sequence number out of range');
    check(init.timestamp >= 0 && init.timestamp <= 0xffffffff, 'timestamp out of range');
    check(init.ssrc >= 0 && init.ssrc <= 0xffffffff, 'ssrc out of range');
    check(csrcs.length <= 15, 'at most 15 CSRCs');
    if (init.extension) check(init.extension.data.length % 4 === 0, 'extension data must be whole 32-bit words');
    const padding = init.padding ?? new Uint8Array(0);
    if (padding.length > 0) {
      check(padding.length <= 255 && padding[padding.length - 1] === padding.length, 'padding count octet must equal padding length');
    }
    this.payloadType = init.payloadType;
    this.sequenceNumber = init.sequenceNumber;
    this.timestamp = init.timestamp;
    this.ssrc = init.ssrc;
    this.marker = init.marker ?? false;
    this.csrcs = csrcs;
    this.extension = init.extension;
    this.payload = init.payload;
    this.padding = padding;
  }

  /** Builds padding of `n` octets (zeros, then the count). */
  static makePadding(n: number): Uint8Array {
    const p = new Uint8Array(n);
    if (n > 0) p[n - 1] = n;
    return p;
  }

  /** Parses one datagram; throws RtpParseError when it is not valid RTP. */
  static deserialize(buf: Uint8Array): RtpPacket {
    if (buf.length < RTP_HEADER_SIZE) throw new RtpParseError('truncated', `${buf.length} octets is shorter than the RTP header`);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const b0 = buf[0]!;
    const b1 = buf[1]!;
    if (b0 >> 6 !== 2) throw new RtpParseError('bad-version', `version ${b0 >> 6}`);
    const hasPadding = (b0 & 0x20) !== 0;
    const hasExtension = (b0 & 0x10) !== 0;
    const cc = b0 & 0x0f;
    let off = RTP_HEADER_SIZE;
    if (buf.length < off + cc * 4) throw new RtpParseError('truncated', 'CSRC list runs past the end');
    const csrcs: number[] = [];
    for (let i = 0; i < cc; i++, off += 4) csrcs.push(view.getUint32(off));
    let extension: RtpExtension | undefined;
    if (hasExtension) {
      if (buf.length < off + 4) throw new RtpParseError('truncated', 'extension header runs past the end');
      const profile = view.getUint16(off);
      const words = view.getUint16(off + 2);
      off += 4;
      if (buf.length < off + words * 4) throw new RtpParseError('truncated', 'extension data runs past the end');
      extension = { profile, data: buf.slice(off, off + words * 4) };
      off += words * 4;
    }
    let end = buf.length;
    let padding = new Uint8Array(0);
    if (hasPadding) {
      const count = buf[buf.length - 1]!;
      if (count === 0 || end - count < off) throw new RtpParseError('bad-padding', `padding count ${count}`);
      padding = buf.slice(end - count);
      end -= count;
    }
    return new RtpPacket({
      payloadType: b1 & 0x7f,
      marker: (b1 & 0x80) !== 0,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: buf.slice(off, end),
      padding,
    });
  }

  get headerSize(): number {
    return RTP_HEADER_SIZE + this.csrcs.length * 4 + (this.extension ? 4 + this.extension.data.length : 0);
  }

  get size(): number {
    return this.headerSize + this.payload.length + this.padding.length;
  }

  serialize(): Buffer {
    const out = Buffer.alloc(this.size);
    this.serializeInto(out, 0);
    return out;
  }

  /** Writes the packet at `offset` of `out` (which must have room) and returns its size. */
  serializeInto(out: Uint8Array, offset: number): number {
    const view = new DataView(out.buffer, out.byteOffset + offset, this.size);
    view.setUint8(0, 0x80 | (this.padding.length > 0 ? 0x20 : 0) | (this.extension ? 0x10 : 0) | this.csrcs.length);
    view.setUint8(1, (this.marker ? 0x80 : 0) | this.payloadType);
    view.setUint16(2, this.sequenceNumber);
    view.setUint32(4, this.timestamp);
    view.setUint32(8, this.ssrc);
    let off = RTP_HEADER_SIZE;
    for (const c of this.csrcs) {
      view.setUint32(off, c);
      off += 4;
    }
    if (this.extension) {
      view.setUint16(off, this.extension.profile);
      view.setUint16(off + 2, this.extension.data.length / 4);
      out.set(this.extension.data, offset + off + 4);
      off += 4 + this.extension.data.length;
    }
    out.set(this.payload, offset + off);
    off += this.payload.length;
    out.set(this.padding, offset + off);
    return off + this.padding.length;
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RtpParseError('bad-value', message);
}

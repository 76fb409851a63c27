import { RTCP_SDES, readRtcpHeader, rtcpBody, writeRtcpHeader } from './rtcp-header.ts';
import { RtpParseError } from './rtp-errors.ts';

/**
 * Source description, PT=202 (RFC 3550 section 6.5).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |  chunk 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    type (1=CNAME)  |   length  |    UTF-8 text ...            |  items,
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  then a
 * |  0 (end)  | null padding to the next 32-bit boundary          |  zero octet
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
export const SDES_CNAME = 1;

export interface SdesItem {
  type: number;
  text: string;
}

export interface SdesChunk {
  ssrc: number;
  items: SdesItem[];
}

export class RtcpSdes {
  readonly type = RTCP_SDES;
  readonly chunks: readonly SdesChunk[];

  constructor(chunks: SdesChunk[]) {
    if (chunks.length > 31) throw new RtpParseError('bad-value', 'at most 31 SDES chunks');
    this.chunks = chunks;
  }

  static cname(ssrc: number, cname: string): RtcpSdes {
    return new RtcpSdes([{ ssrc, items: [{ type: SDES_CNAME, text: cname }] }]);
  }

  /** CNAME of the given source, if present. */
  cnameOf(ssrc: number): string | undefined {
    return this.chunks.find((c) => c.ssrc === ssrc)?.items.find((i) => i.type === SDES_CNAME)?.text;
  }

  static deserialize(buf: Uint8Array, offset = 0): RtcpSdes {
    const h = readRtcpHeader(buf, offset);
    if (h.packetType !== RTCP_SDES) throw new RtpParseError('bad-payload-type', `expected SDES, got ${h.packetType}`);
    const body = rtcpBody(buf, offset, h);
    const chunks: SdesChunk[] = [];
    let off = 4;
    for (let c = 0; c < h.count; c++) {
      if (off + 4 > body.length) throw new RtpParseError('truncated', 'SDES chunk');
      const ssrc = ((body[off]! << 24) | (body[off + 1]! << 16) | (body[off + 2]! << 8) | body[off + 3]!) >>> 0;
      off += 4;
      const items: SdesItem[] = [];
      for (;;) {
        if (off >= body.length) throw new RtpParseError('truncated', 'SDES items without end');
        const type = body[off]!;
        if (type === 0) break;
        const len = body[off + 1];
        if (len === undefined || off + 2 + len > body.length) throw new RtpParseError('truncated', 'SDES item');
        items.push({ type, text: Buffer.from(body.subarray(off + 2, off + 2 + len)).toString('utf8') });
        off += 2 + len;
      }
      off = (off + 4) & ~3; // the end octet plus null padding to the boundary
      chunks.push({ ssrc, items });
    }
    return new RtcpSdes(chunks);
  }

  serialize(): Buffer {
    const encoded = this.chunks.map((c) => ({ ssrc: c.ssrc, items: c.items.map((i) => ({ type: i.type, text: Buffer.from(i.text, 'utf8') })) }));
    let size = 4;
    for (const c of encoded) {
      let n = 4;
      for (const i of c.items) {
        if (i.text.length > 255) throw new RtpParseError('bad-value', 'SDES item longer than 255 octets');
        n += 2 + i.text.length;
      }
      size += (n + 4) & ~3;
    }
    const out = Buffer.alloc(size);
    writeRtcpHeader(new DataView(out.buffer, out.byteOffset, size), encoded.length, RTCP_SDES, size);
    let off = 4;
    for (const c of encoded) {
      out.writeUInt32BE(c.ssrc, off);
      off += 4;
      for (const i of c.items) {
        out[off] = i.type;
        out[off + 1] = i.text.length;
        i.text.copy(out, off + 2);
        off += 2 + i.text.length;
      }
      off = (off + 4) & ~3;
    }
    return out;
  }
}

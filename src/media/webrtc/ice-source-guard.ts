/**
 * Only ICE-validated peers may send DTLS, SRTP and SRTCP (RFC 8445 section
 * 11, RFC 7983 demultiplexing). werift 0.24 hands every non-STUN datagram
 * that reaches a candidate's socket up to DTLS, whatever its source, and a
 * few forged DTLS records from anywhere stop its outgoing media. This guard
 * wraps each local candidate socket's `datagramReceived` (werift internals,
 * reached structurally, so an upgrade that changes them makes the guard
 * report itself missing instead of failing): a datagram whose first byte
 * says DTLS or RTP/RTCP (20..255) passes only from an address that is the
 * remote end of a candidate pair on that socket which succeeded, or which
 * sent us an authenticated connectivity check (MESSAGE-INTEGRITY with our
 * ICE password). STUN (first byte 0..3) always passes: werift checks it.
 */
import type { RTCPeerConnection } from 'werift';

type Address = readonly [string, number];
interface PairLike {
  protocol: unknown;
  state: number;
  requestsReceived: number;
  remoteAddr: Address;
}
interface ProtocolLike {
  datagramReceived(data: Buffer, addr: Address): void;
  [GUARDED]?: true;
}
interface ConnectionLike {
  checkList: PairLike[];
  protocols?: ProtocolLike[];
}

const GUARDED: unique symbol = Symbol('hotline-ice-guard');
/** werift's CandidatePairState.SUCCEEDED. */
const SUCCEEDED = 3;

function validated(conn: ConnectionLike, protocol: ProtocolLike, addr: Address): boolean {
  return conn.checkList.some((p) => p.protocol === protocol && (p.state === SUCCEEDED || p.requestsReceived > 0) && p.remoteAddr[0] === addr[0] && p.remoteAddr[1] === addr[1]);
}

/**
 * Guard every candidate socket of the peer connection gathered so far.
 * Returns how many sockets are guarded (0: werift's shape was not found);
 * dropped datagrams are counted in `counts.unvalidatedDropped`.
 */
export function guardIceSources(pc: RTCPeerConnection, counts: { unvalidatedDropped: number }): number {
  let guarded = 0;
  for (const transport of pc.iceTransports) {
    const conn = (transport as unknown as { connection?: ConnectionLike }).connection;
    if (!conn || !Array.isArray(conn.checkList) || !Array.isArray(conn.protocols)) continue;
    for (const protocol of conn.protocols) {
      if (typeof protocol.datagramReceived !== 'function') continue;
      if (protocol[GUARDED]) {
        guarded++;
        continue;
      }
      const original = protocol.datagramReceived.bind(protocol);
      protocol.datagramReceived = (data: Buffer, addr: Address) => {
        if (data.length > 0 && data[0]! >= 20 && !validated(conn, protocol, addr)) {
          counts.unvalidatedDropped++;
          return;
        }
        original(data, addr);
      };
      protocol[GUARDED] = true;
      guarded++;
    }
  }
  return guarded;
}

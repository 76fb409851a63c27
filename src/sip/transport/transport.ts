/**
 * One interface for every SIP transport (UDP, TCP, TLS, WebSocket). A
 * transport moves framed messages as bytes: datagrams as they arrive, stream
 * data cut into messages by Content-Length. Parsing is the stack's job.
 * Every implementation passes the one conformance suite in
 * transport.conformance.ts.
 */

export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface Endpoint {
  address: string;
  port: number;
}

/** Where a message came from, and how to answer on the same path. */
export interface Flow {
  protocol: TransportProtocol;
  local: Endpoint;
  remote: Endpoint;
  /** Set for stream transports: the connection the message arrived on (reuse it for responses). */
  connectionId?: string;
}

export interface TransportDelegate {
  /** One complete SIP message (framed for streams). */
  onMessage(data: Buffer, flow: Flow): void;
  /** Stream framing failed (e.g. bad or missing Content-Length): the connection is closed after this. */
  onFramingError?(error: Error, flow: Flow, partial: Buffer): void;
  onConnectionClosed?(flow: Flow): void;
}

export interface SendTarget {
  remote: Endpoint;
  /** Prefer this existing connection (stream transports); opened anew when gone and the transport may connect. */
  connectionId?: string;
}

export interface Transport {
  readonly protocol: TransportProtocol;
  /** Streams are reliable: the transaction layer skips retransmission timers (RFC 3261 section 17). */
  readonly reliable: boolean;
  /** Bound address and port (valid after listen()). */
  readonly local: Endpoint;
  listen(): Promise<void>;
  /** Send one serialized message; resolves once handed to the socket, rejects with TransportError. */
  send(data: Buffer, target: SendTarget): Promise<Flow>;
  /** Stop listening, close every connection. */
  close(): Promise<void>;
  /** Open connections (streams) for diagnostics. */
  connectionCount(): number;
  /** Stream transports: true while that connection is open. */
  hasConnection?(connectionId: string): boolean;
  /**
   * Stream transports: keep that connection open for at least `forMs` from
   * now even without traffic (a registration bound to it; RFC 5626 flows).
   * 0 releases the hold. False when the connection is gone.
   */
  keepAlive?(connectionId: string, forMs: number): boolean;
}

export class TransportError extends Error {
  constructor(
    readonly code: 'unreachable' | 'connection-closed' | 'too-large' | 'not-listening' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

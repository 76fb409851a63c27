/**
 * Where a SIP message came from, as the registrar, the authenticator and the
 * security guard see it: the transport, the remote address and port, and the
 * stream connection it arrived on (so a NATed phone can be reached again on
 * the same flow).
 */
import type { Flow } from '../transport/transport.ts';

export interface MessageSource {
  /** `udp`, `tcp`, `tls`, `ws` or `wss`. */
  transport: string;
  /** Remote IP address (IPv6 without brackets). */
  address: string;
  port: number;
  connectionId?: string;
}

/** The source of a message that arrived on a transport flow. */
export function sourceOfFlow(flow: Flow): MessageSource {
  const src: MessageSource = { transport: flow.protocol, address: flow.remote.address, port: flow.remote.port };
  if (flow.connectionId !== undefined) src.connectionId = flow.connectionId;
  return src;
}

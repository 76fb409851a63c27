/**
 * Open connections of one stream transport, found by id (the flow a request
 * came on) or by remote endpoint (RFC 3261 section 18.2.2: responses and
 * later requests reuse a connection to the same peer). Counts connections per
 * source address so that one peer cannot exhaust the server (OPS-2).
 */
import { endpointKey, normalizeAddress } from './endpoint.ts';
import type { Endpoint } from './transport.ts';

export interface TableEntry {
  readonly id: string;
  readonly remote: Endpoint;
  /** Accepted from a peer (counts against its source limit) rather than opened by us. */
  readonly inbound: boolean;
}

export interface ConnectionLimits {
  /** Open connections in total (inbound and outbound). */
  maxConnections: number;
  /** Inbound connections from one source IP address. */
  maxConnectionsPerSource: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 20_000, maxConnectionsPerSource: 500 };

export type AdmitVerdict = 'ok' | 'total-limit' | 'source-limit';

let sequence = 0;

/** A process-unique connection id such as `tcp-17`. */
export function nextConnectionId(protocol: string): string {
  sequence += 1;
  return `${protocol}-${sequence}`;
}

export class ConnectionTable<C extends TableEntry> {
  private readonly byId = new Map<string, C>();
  private readonly byRemote = new Map<string, C>();
  private readonly perSource = new Map<string, number>();
  private readonly keys = new Map<string, string[]>();

  constructor(private readonly limits: ConnectionLimits) {}

  get size(): number {
    return this.byId.size;
  }

  /** May one more connection from that address be accepted (or opened, when `inbound` is false)? */
  admit(address: string, inbound = true): AdmitVerdict {
    if (this.byId.size >= this.limits.maxConnections) return 'total-limit';
    if (inbound && (this.perSource.get(normalizeAddress(address)) ?? 0) >= this.limits.maxConnectionsPerSource) return 'source-limit';
    return 'ok';
  }

  add(conn: C): void {
    this.byId.set(conn.id, conn);
    this.keys.set(conn.id, []);
    this.alias(conn, conn.remote);
    if (conn.inbound) {
      const src = normalizeAddress(conn.remote.address);
      this.perSource.set(src, (this.perSource.get(src) ?? 0) + 1);
    }
  }

  /** Also reachable as `remote` (an outbound connection to a name or an address the socket reports otherwise). */
  alias(conn: C, remote: Endpoint): void {
    const key = endpointKey(remote);
    this.byRemote.set(key, conn);
    this.keys.get(conn.id)?.push(key);
  }

  remove(conn: C): void {
    if (this.byId.get(conn.id) !== conn) return;
    this.byId.delete(conn.id);
    for (const k of this.keys.get(conn.id) ?? []) if (this.byRemote.get(k) === conn) this.byRemote.delete(k);
    this.keys.delete(conn.id);
    if (conn.inbound) {
      const src = normalizeAddress(conn.remote.address);
      const n = (this.perSource.get(src) ?? 1) - 1;
      if (n <= 0) this.perSource.delete(src);
      else this.perSource.set(src, n);
    }
  }

  get(id: string): C | undefined {
    return this.byId.get(id);
  }

  find(remote: Endpoint): C | undefined {
    return this.byRemote.get(endpointKey(remote));
  }

  all(): C[] {
    return [...this.byId.values()];
  }
}

/**
 * Name resolution port for next hops, with the node:dns adapter. Only
 * A/AAAA lookups (RFC 3263 section 4.2 without SRV/NAPTR): a name with no
 * port means port 5060/5061 at its addresses. SRV and NAPTR are not done
 * yet; trunks are configured with host and port.
 */
import { lookup } from 'node:dns/promises';

export interface HostResolver {
  /** Addresses of `host` (A and AAAA), best first. Rejects when there are none. */
  lookup(host: string): Promise<string[]>;
}

export const dnsHostResolver: HostResolver = {
  async lookup(host: string): Promise<string[]> {
    const found = await lookup(host, { all: true });
    return found.map((a) => a.address);
  },
};

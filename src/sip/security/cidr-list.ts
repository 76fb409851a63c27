/**
 * A list of networks in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`, or a
 * bare address for a single host), IPv4 and IPv6, for trusted networks.
 */
import { parseIp, type IpAddress } from './ip-address.ts';

export class CidrError extends Error {
  override readonly name = 'CidrError';
  readonly code = 'bad-cidr';
  constructor(readonly input: string) {
    super(`not a network in CIDR notation: ${input}`);
  }
}

interface Network {
  base: IpAddress;
  prefix: number;
}

function parseCidr(text: string): Network {
  const slash = text.indexOf('/');
  const base = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!base) throw new CidrError(text);
  const max = base.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(p)) throw new CidrError(text);
    prefix = Number(p);
    // `::ffff:10.0.0.0/104` was parsed as IPv4: take the prefix relative to the mapped part.
    if (base.family === 4 && text.includes(':')) prefix -= 96;
    if (prefix < 0 || prefix > max) throw new CidrError(text);
  }
  return { base, prefix };
}

function inNetwork(ip: IpAddress, net: Network): boolean {
  if (ip.family !== net.base.family) return false;
  const full = net.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip.bytes[i] !== net.base.bytes[i]) return false;
  const rest = net.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[full]! & mask) === (net.base.bytes[full]! & mask);
}

export class CidrList {
  private readonly networks: Network[];

  /** Throws CidrError naming the first entry that is not a network. */
  constructor(cidrs: readonly string[]) {
    this.networks = cidrs.map((c) => parseCidr(c.trim()));
  }

  get size(): number {
    return this.networks.length;
  }

  contains(address: string): boolean {
    if (this.networks.length === 0) return false;
    const ip = parseIp(address);
    if (!ip) return false;
    return this.networks.some((n) => inNetwork(ip, n));
  }
}

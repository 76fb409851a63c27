/**
 * Free ports for tests. A port is returned only when it could be bound on
 * 127.0.0.1 for both TCP and UDP at the moment of the check (SIP listens on
 * both), and ports already handed out by this process are never repeated.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const handedOut = new Set<number>();

function tryTcp(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen({ port, host, exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : undefined;
      srv.close(() => resolve(got));
    });
  });
}

function tryUdp(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind({ port, address: host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** One port free on TCP and UDP. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryTcp(0, host);
    if (port === undefined || handedOut.has(port)) continue;
    if (!(await tryUdp(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free TCP+UDP port found after 50 attempts');
}

/** n distinct ports, each free on TCP and UDP. */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) out.push(await freePort(host));
  return out;
}

/** A run of `count` consecutive ports (e.g. an RTP range), each free on TCP and UDP. */
export async function freePortRange(count: number, host = '127.0.0.1'): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 30000 + Math.floor(Math.random() * 30000);
    let ok = true;
    for (let p = start; p < start + count && ok; p++) {
      ok = !handedOut.has(p) && (await tryTcp(p, host)) === p && (await tryUdp(p, host));
    }
    if (!ok) continue;
    for (let p = start; p < start + count; p++) handedOut.add(p);
    return [start, start + count - 1];
  }
  throw new Error(`no free range of ${count} ports found`);
}

/**
 * A media port for sipp's `-mp`: sipp binds that port and the next three
 * (audio RTP and RTCP, video RTP and RTCP) and exits at start-up (code 254,
 * "Unable to bind video RTP socket") when any of them is taken, so all four
 * must be free, not just the first.
 */
export async function freeSippMediaPort(host = '127.0.0.1'): Promise<number> {
  return (await freePortRange(4, host))[0];
}

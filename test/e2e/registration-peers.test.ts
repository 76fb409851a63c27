/**
 * Real peers register with one `hotline start` (issue 2; TEL-2, OPS-1):
 * sipp over UDP and TCP, baresip over UDP, TCP and TLS (given the
 * server's self-signed certificate DIR/tls/sip.cert.pem as sip_cafile; baresip
 * 1.0 does not verify it, so openssl checks it separately), SIP.js over
 * WebSocket; `hotline registrations --json` lists them all, and still does
 * after `kill -9` and a restart on the same data dir.
 *
 * baresip refuses to run on loopback alone, so everything runs in a test
 * network namespace (test/support/netns.ts): the server listens on the
 * namespace's server address, the peers use its phone address, and /health
 * and the CLI are asked from inside the namespace too.
 * Digest algorithms are MD5 only: baresip 1.0 fails when any SHA-256
 * challenge is offered.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, type Baresip } from '../support/baresip.ts';
import { createNetns, netnsUnavailable, type Netns } from '../support/netns.ts';
import { runHotlineCli, startHotline, type HotlineProcess } from '../support/server.ts';
import { sippRegister } from './sipp-run.ts';
import { runSipJsAgent } from '../support/sipjs-agent-run.ts';

const skip = netnsUnavailable();

interface Reg {
  aor: string;
  contact: string;
  transport: string;
  source: string;
  expiresInSec: number;
  userAgent?: string;
}

/** Who registers how: user -> transport as the registrar should record it. */
const EXPECTED: Record<string, string> = {
  '8001': 'udp', // sipp
  '8002': 'tcp', // sipp
  '8003': 'udp', // baresip
  '8004': 'tcp', // baresip
  '8005': 'tls', // baresip
  '8006': 'ws', // SIP.js
};

describe.skipIf(skip)(`real peers register with hotline start (TEL-2, OPS-1)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let baresip: Baresip | undefined;
  let sipjs: ChildProcess | undefined;

  const registrations = async (): Promise<Reg[]> => {
    const r = await runHotlineCli(['registrations', '--json', '--data', server.dataDir], {}, ns);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Reg[];
  };
  const userOf = (aor: string) => /^sips?:([^@]+)@/.exec(aor)?.[1];

  beforeAll(async () => {
    ns = createNetns(98);
    try {
      server = await startHotline({ netns: ns, host: ns.serverAddress, args: ['--digest-algorithms', 'MD5', '--log-level', 'warn'] });
    } catch (e) {
      ns.destroy();
      throw e;
    }
  });

  afterAll(async () => {
    sipjs?.kill('SIGKILL');
    await baresip?.stop();
    if (baresip) rmSync(baresip.dir, { recursive: true, force: true });
    await server?.stop();
    ns?.destroy();
  });

  it('sipp registers with digest auth over UDP (8001) and TCP (8002)', async () => {
    const target = `${ns.serverAddress}:${server.sipPort}`;
    const [udp, tcp] = await Promise.all(
      (['udp', 'tcp'] as const).map((transport, i) =>
        sippRegister({ target, localIp: ns.phoneAddress, transport, users: [[`800${i + 1}`, `demo-800${i + 1}`]], domain: ns.serverAddress, registrations: 1, netns: ns, timeoutSec: 15 }),
      ),
    );
    expect([udp!.successful, udp!.failed], udp!.output.slice(-1500)).toEqual([1, 0]);
    expect([tcp!.successful, tcp!.failed], tcp!.output.slice(-1500)).toEqual([1, 0]);
  });

  it('baresip registers over UDP (8003), TCP (8004) and TLS (8005) with sip_cafile set to the self-signed certificate', async () => {
    const host = ns.serverAddress;
    baresip = startBaresip({
      netns: ns,
      caFile: join(server.dataDir, 'tls', 'sip.cert.pem'),
      accounts: [
        { user: '8003', password: 'demo-8003', domain: `${host}:${server.sipPort}`, transport: 'udp' },
        { user: '8004', password: 'demo-8004', domain: `${host}:${server.sipPort}`, transport: 'tcp' },
        { user: '8005', password: 'demo-8005', domain: `${host}:${server.sipTlsPort}`, transport: 'tls' },
      ],
    });
    const answers = await Promise.all(['8003', '8004', '8005'].map((u) => baresip!.waitRegistered(u, 20_000)));
    expect(answers, baresip.output()).toEqual(['200 OK', '200 OK', '200 OK']);
  });

  it('the TLS port serves the self-signed certificate from the data dir, valid for the server address (OPS-1)', () => {
    // baresip 1.0 does not check the server certificate even with sip_cafile set (a test with an unrelated
    // CA file still registered), so the certificate is verified here with openssl against the same file.
    const caFile = join(server.dataDir, 'tls', 'sip.cert.pem');
    const out = ns.exec('sh', ['-c', `openssl s_client -connect ${ns.serverAddress}:${server.sipTlsPort} -CAfile ${caFile} -verify_ip ${ns.serverAddress} -verify_return_error -brief </dev/null 2>&1`]);
    expect(out).toMatch(/Verification: OK/);
    expect(() => ns.exec('sh', ['-c', `openssl s_client -connect ${ns.serverAddress}:${server.sipTlsPort} -CAfile /etc/ssl/certs/ca-certificates.crt -verify_return_error -brief </dev/null 2>&1`])).toThrow();
  });

  it('SIP.js registers over WebSocket (8006)', async () => {
    const url = `ws://${ns.serverAddress}:${server.sipWsPort}`;
    const { line, out } = await runSipJsAgent({ url, user: '8006', password: 'demo-8006', host: ns.serverAddress, netns: ns.name, onChild: (c) => (sipjs = c) });
    expect(line, out).toBe('REGISTERED');
  });

  const checkListed = (regs: Reg[]) => {
    const byUser = new Map<string, Reg[]>();
    for (const r of regs) {
      const u = userOf(r.aor);
      if (u) byUser.set(u, [...(byUser.get(u) ?? []), r]);
    }
    for (const [user, transport] of Object.entries(EXPECTED)) {
      const rs = byUser.get(user) ?? [];
      expect(rs.map((r) => r.transport.toLowerCase()), `registrations of ${user} in ${JSON.stringify(regs, null, 1)}`).toContain(transport);
      for (const r of rs) {
        expect(r.expiresInSec).toBeGreaterThan(0);
        // The kernel picks the source of a connection inside the namespace: either address of it.
        expect([ns.phoneAddress, ns.serverAddress]).toContain(r.source.replace(/:\d+$/, ''));
      }
    }
  };

  it('`hotline registrations --json` lists every peer with its transport', async () => {
    checkListed(await registrations());
  });

  it('after kill -9 and a restart on the same data dir the registrations are still listed', async () => {
    // The peers vanish without unregistering (SIGKILL), so nothing can refresh or remove a binding behind the restart.
    sipjs?.kill('SIGKILL');
    await baresip?.stop('SIGKILL');
    const code = await server.kill('SIGKILL');
    expect(code).toBeNull();
    await server.restart();
    checkListed(await registrations());
  });
});

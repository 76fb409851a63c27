/**
 * Scanner and brute-force defence against a real `hotline start` (issue 2,
 * OPS-2), on loopback: the test acts as several sources by binding
 * different 127.0.0.0/8 addresses (no source is trusted by default, loopback
 * included). Two servers: one with a short ban (3 failures ban for 6 s) to
 * show a ban ending, one with long bans for sipvicious and the garbage flood.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthStatus, runHotlineCli, startHotline, type HotlineProcess } from '../support/server.ts';
import { sippRegister } from './sipp-run.ts';
import { registerOverUdp, type RegisterAttempt } from './udp-register-client.ts';

interface Ban {
  address: string;
  reason: string;
  bannedAt: string;
  until: string;
}

const DOMAIN = '127.0.0.1';

async function bans(h: HotlineProcess): Promise<Ban[]> {
  const r = await runHotlineCli(['security', 'bans', '--json', '--data', h.dataDir]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Ban[];
}

const attempt = (h: HotlineProcess, from: string, o: Partial<RegisterAttempt> = {}): Promise<number | 'timeout'> =>
  registerOverUdp({ server: { host: h.host, port: h.sipPort }, from, user: '8001', password: 'demo-8001', domain: DOMAIN, ...o });

/** Runs a sipvicious tool to completion (killed after `limitMs`); resolves with its output. */
function runTool(cmd: string, args: string[], limitMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), limitMs);
    p.on('error', reject);
    p.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('defence: wrong passwords, bans and their expiry (OPS-2)', () => {
  let h: HotlineProcess;
  beforeAll(async () => {
    h = await startHotline({ args: ['--digest-algorithms', 'MD5', '--ban-after-failures', '3', '--ban-failure-window', '60', '--ban-duration', '6', '--log-level', 'warn'] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('401 for a wrong password, 403 when the digest user is not the To user; the third failure bans the source until the ban ends', async () => {
    const bad = '127.0.0.21';
    expect(await attempt(h, bad, { password: 'wrong-password' })).toBe(401);
    expect(await attempt(h, bad, { authUser: '8002', password: 'demo-8002' })).toBe(403);
    expect(await bans(h)).toEqual([]);
    expect(await attempt(h, bad, { password: 'still-wrong' })).toBe(401);

    const listed = (await bans(h)).find((b) => b.address === bad);
    expect(listed, 'the source is banned after 3 failures').toBeDefined();
    // The good password from the banned source gets no answer at all (asked well before the ban ends) ...
    expect(new Date(listed!.until).getTime() - Date.now()).toBeGreaterThan(2_000);
    expect(await attempt(h, bad)).toBe('timeout');
    // ... while another source with the same account still registers.
    expect(await attempt(h, '127.0.0.22')).toBe(200);

    const left = new Date(listed!.until).getTime() - Date.now();
    expect(left).toBeLessThanOrEqual(6_500);
    await new Promise((r) => setTimeout(r, Math.max(0, left) + 300));
    expect(await attempt(h, bad)).toBe(200);
    expect((await bans(h)).map((b) => b.address)).not.toContain(bad);
  });
});

describe('defence: sipvicious and a garbage flood (OPS-2)', () => {
  let h: HotlineProcess;
  beforeAll(async () => {
    // Long bans; a rate limit the 200-registration sipp run (100 requests/s from one source) stays under.
    h = await startHotline({ args: ['--digest-algorithms', 'MD5', '--ban-duration', '600', '--sip-rate-limit', '200', '--sip-rate-burst', '400', '--log-level', 'warn'] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  // sipvicious 0.3.3 (Debian) ignores its -b/--bindingip option, so both tools send from 127.0.0.1:
  // they run one after the other, with the ban lifted (`hotline security unban`) in between.
  it('svwar (extension scan) ends banned', async () => {
    const out = await runTool('svwar', ['-e8000-8010', '-m', 'REGISTER', `udp://${h.host}:${h.sipPort}`]);
    const ban = (await bans(h)).find((b) => b.address === '127.0.0.1');
    expect(ban, `svwar output:\n${out}`).toBeDefined();
    expect(new Date(ban!.until).getTime() - Date.now()).toBeGreaterThan(60_000);
    // It learnt no extension.
    expect(out).toMatch(/found nothing/);
  });

  it('svcrack (password guessing) ends banned again after the svwar ban is lifted', async () => {
    const lifted = await runHotlineCli(['security', 'unban', '127.0.0.1', '--data', h.dataDir]);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect((await bans(h)).map((b) => b.address)).not.toContain('127.0.0.1');
    const liftedAt = Date.now();
    const out = await runTool('svcrack', ['-u8001', '-r100000-100100', `udp://${h.host}:${h.sipPort}`]);
    const ban = (await bans(h)).find((b) => b.address === '127.0.0.1');
    expect(ban, `svcrack output:\n${out}`).toBeDefined();
    expect(new Date(ban!.bannedAt).getTime()).toBeGreaterThanOrEqual(liftedAt - 1000);
    expect(out).not.toMatch(/\|\s*8001\s*\|\s*\d+/);
  });

  it('10,000 garbage datagrams from one source do not stop 200 sipp registrations from another; /health still answers', async () => {
    const flooder = createSocket('udp4');
    await new Promise<void>((r) => flooder.bind(0, '127.0.0.41', () => r()));
    const valid = Buffer.from(
      `REGISTER sip:${DOMAIN} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.41:5060;branch=z9hG4bKflood\r\nMax-Forwards: 70\r\nFrom: <sip:8001@${DOMAIN}>;tag=f\r\nTo: <sip:8001@${DOMAIN}>\r\nCall-ID: flood@x\r\nCSeq: 1 REGISTER\r\nContact: <sip:8001@127.0.0.41>\r\nContent-Length: 0\r\n\r\n`,
    );
    let sent = 0;
    const flood = (async () => {
      // 10,000 datagrams over about 2 s, overlapping the sipp run: half random bytes, half truncated SIP.
      for (let batch = 0; batch < 50; batch++) {
        const writes: Promise<void>[] = [];
        for (let i = 0; i < 200; i++) {
          const d = (batch * 200 + i) % 2 === 0 ? randomBytes(randomInt(1, 1400)) : valid.subarray(0, randomInt(1, valid.length - 4));
          writes.push(new Promise((r) => flooder.send(d, h.sipPort, h.host, () => r())));
        }
        await Promise.all(writes);
        sent += writes.length;
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    const users = Array.from({ length: 10 }, (_, i): [string, string] => [`${8001 + i}`, `demo-${8001 + i}`]);
    const run = sippRegister({ target: `${h.host}:${h.sipPort}`, localIp: '127.0.0.42', transport: 'udp', users, domain: DOMAIN, registrations: 200, rate: 50, timeoutSec: 40 });
    const [result] = await Promise.all([run, flood]);
    flooder.close();
    expect(sent).toBe(10_000);
    expect({ successful: result.successful, failed: result.failed }, result.output.slice(-2000)).toEqual({ successful: 200, failed: 0 });
    expect(await healthStatus(h.httpUrl)).toBe(200);
    // The flood did reach the server: its source ended banned for going over the rate limit.
    expect((await bans(h)).map((b) => b.address)).toContain('127.0.0.41');
    // The garbage the guard let through to the parser is in the security log as malformed input.
    const ev = await runHotlineCli(['security', 'events', '--kind', 'malformed', '--json', '--data', h.dataDir]);
    expect(ev.code, ev.stderr).toBe(0);
    expect((JSON.parse(ev.stdout) as Array<{ sourceAddress: string }>).map((e) => e.sourceAddress)).toContain('127.0.0.41');
    expect(await attempt(h, '127.0.0.43', { user: '8010', password: 'demo-8010' })).toBe(200);
  });
});

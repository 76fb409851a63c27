// The SIP side wired by the composition root, seen from outside: a real SIPp
// registers, a scanner gets banned, and the CLI shows and lifts the ban.
import { execFile, execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.ts';
import { runHotlineCli, startHotline, type HotlineProcess } from '../../test/support/server.ts';

const run = promisify(execFile);
const hasSipp = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v sipp'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasSipp) console.warn('signalling test: sipp not installed (Debian package sip-tester); the SIPp REGISTER case is skipped');

let h: HotlineProcess;
const cli = async <T>(...args: string[]): Promise<T> => {
  const r = await runHotlineCli([...args, '--json', '--data', h.dataDir]);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  // SIPp reads only the first challenge and knows only MD5, so MD5 is offered first here.
  h = await startHotline({ args: ['--log-level', 'warn', '--digest-algorithms', 'MD5,SHA-256'] });
});
afterAll(async () => {
  await h?.stop();
});

describe('SIP wired into hotline start (TEL-2, OPS-2, OPS-4)', () => {
  it('reports the SIP component up with its transports in /health', async () => {
    const body = (await (await fetch(`${h.httpUrl}/health`)).json()) as { status: string; components: { sip: { status: string; detail: string } } };
    expect(body.status).toBe('ok');
    expect(body.components.sip).toEqual({ status: 'up', detail: `udp:${h.sipPort} tcp:${h.sipPort} tls:${h.sipTlsPort} ws:${h.sipWsPort}` });
  });

  it.skipIf(!hasSipp)('a demo agent registers with SIPp and shows in `hotline registrations --json`', async () => {
    const inf = join(h.dataDir, 'sipp-users.csv');
    writeFileSync(inf, 'SEQUENTIAL\n8001;demo-8001;hotline.local;\n');
    const port = await freePort();
    await run('sipp', ['-sf', 'test/sipp/register-auth.xml', '-inf', inf, '-au', '[field0]', '-ap', '[field1]', '-m', '1', '-t', 'u1', '-i', '127.0.0.1', '-p', String(port), '-timeout', '10s', '-timeout_error', '-nostdin', `127.0.0.1:${h.sipPort}`], {
      cwd: join(import.meta.dirname, '..', '..'),
      timeout: 20_000,
    });
    const regs = await cli<{ aor: string; contact: string; transport: string; source: string; userAgent: string }[]>('registrations');
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ aor: 'sip:8001@hotline.local', transport: 'udp', source: `127.0.0.1:${port}`, userAgent: 'sipp-hotline-test' });
  });

  it('bans a scanner, lists the ban, logs it to security.jsonl, and lifts it with `hotline security unban`', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const p = sock.address().port;
    const msg =
      `OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${p};branch=z9hG4bK-scan1\r\nMax-Forwards: 70\r\n` +
      `From: <sip:100@127.0.0.1>;tag=s1\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: scan-1\r\nCSeq: 1 OPTIONS\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n`;
    const answers: Buffer[] = [];
    sock.on('message', (m) => answers.push(m));
    await new Promise<void>((r, j) => sock.send(msg, h.sipPort, '127.0.0.1', (e) => (e ? j(e) : r())));
    type BanRow = { address: string; reason: string };
    const bans = await until(() => cli<BanRow[]>('security', 'bans'), (b) => b.length > 0);
    sock.close();
    expect(answers).toEqual([]);
    expect(bans).toEqual([expect.objectContaining({ address: '127.0.0.1', reason: 'scanner User-Agent: friendly-scanner' })]);

    const lines = readFileSync(join(h.dataDir, 'logs', 'security.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; sourceAddress: string });
    expect(lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['scanner-dropped', 'ban']));

    const unban = await runHotlineCli(['security', 'unban', '127.0.0.1', '--data', h.dataDir]);
    expect([unban.code, unban.stdout.trim()]).toEqual([0, '127.0.0.1 unbanned']);
    expect(await cli<BanRow[]>('security', 'bans')).toEqual([]);
    const events = await until(() => cli<{ kind: string }[]>('security', 'events', '--kind', 'unban'), (e) => e.length > 0);
    expect(events).toEqual([expect.objectContaining({ kind: 'unban', sourceAddress: '127.0.0.1' })]);
  });
});

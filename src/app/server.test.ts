// Integration: a real `hotline start` process (test/support/server.ts).
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../test/support/ports.ts';
import { runHotlineCli, startHotline, type HotlineProcess } from '../../test/support/server.ts';

let h: HotlineProcess;
const api = (path: string, init: RequestInit = {}) => fetch(`${h.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${h.adminToken}`, ...init.headers } });
const mode = (f: string) => statSync(join(h.dataDir, f)).mode & 0o777;

beforeAll(async () => {
  h = await startHotline();
});
afterAll(async () => {
  await h?.stop();
});

describe('hotline start (OPS-3, OPS-4)', () => {
  it('answers GET /health with status, version, uptime and components', async () => {
    const r = await fetch(`${h.httpUrl}/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { status: string; version: string; uptimeSec: number; components: Record<string, { status: string }> };
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.uptimeSec).toBeGreaterThanOrEqual(0);
    expect(body.components.store?.status).toBe('up');
    expect(body.components.http?.status).toBe('up');
    expect(body.components.sip).toBeDefined();
  });

  it('seeds the demo on first start and prints the admin password once', async () => {
    const password = readFileSync(join(h.dataDir, 'admin-password'), 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(h.stdout().split('\n').filter((l) => l.includes(password))).toHaveLength(1);
    expect([mode('admin-password'), mode('admin-token'), mode('server.json')]).toEqual([0o600, 0o600, 0o600]);
    const users = (await (await api('/api/v1/sip-users')).json()) as { ext: string }[];
    expect(users.map((u) => u.ext)).toEqual(['8001', '8002', '8003', '8004', '8005', '8006', '8007', '8008', '8009', '8010', '8100']);
    const info = JSON.parse(readFileSync(join(h.dataDir, 'server.json'), 'utf8')) as { url: string; sipPort: number };
    expect([info.url, info.sipPort]).toEqual([h.httpUrl, h.sipPort]);
  });

  it('GET /api/v1/system/stats: process memory, one entry per media worker with its own heap, live calls (admin only)', async () => {
    const r = await api('/api/v1/system/stats');
    expect(r.status).toBe(200);
    const s = (await r.json()) as { memory: { rssKiB: number; heapUsedKiB: number }; media: { legs: number; heapUsedKiB?: number }[]; calls: { live: number } };
    expect(s.memory.rssKiB).toBeGreaterThan(s.memory.heapUsedKiB);
    expect(s.media.length).toBeGreaterThan(0);
    for (const w of s.media) expect(w).toMatchObject({ legs: 0, heapUsedKiB: expect.any(Number) });
    // each worker's scheduling, as the operator needs to see it (root here and in CI: real-time waits and sends)
    // (paced sending by default: the worker itself is ordinary, its sender thread real-time)
    for (const w of s.media as { scheduling?: { nice: number; realtimePriority: number; error?: string }; sender?: { sendAhead: number; realtimePriority: number; error?: string } }[]) {
      expect([2, 3]).toContain(w.sender?.sendAhead); // --media-send-ahead auto: 2 frames, 3 while a worker is loaded
      if (process.getuid?.() === 0) expect([w.scheduling, w.sender]).toMatchObject([{ nice: -10, realtimePriority: 0 }, { realtimePriority: 10 }]);
      else expect(w.sender?.realtimePriority === 10 || w.sender?.error !== undefined).toBe(true);
    }
    expect(s.calls.live).toBe(0);
    expect(s).toMatchObject({ gcRun: false });
    // gc=true asks for a full collection first; this server runs without --expose-gc, so none ran and it says so
    expect(await (await api('/api/v1/system/stats?gc=true')).json()).toMatchObject({ gcRun: false });
    expect((await api('/api/v1/system/stats?gc=maybe')).status).toBe(400);
    expect((await fetch(`${h.httpUrl}/api/v1/system/stats`)).status).toBe(401);
  });

  it('writes JSON-lines logs to DIR/logs/hotline.log', () => {
    const lines = readFileSync(join(h.dataDir, 'logs', 'hotline.log'), 'utf8').trim().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; level: number; time: string });
    expect(parsed.some((l) => l.msg === 'hotline ready')).toBe(true);
    expect(existsSync(join(h.dataDir, 'logs', 'security.jsonl'))).toBe(true);
  });

  it('does not reseed or change the admin password on a second start', async () => {
    const password = readFileSync(join(h.dataDir, 'admin-password'), 'utf8');
    const token = h.adminToken;
    expect((await api('/api/v1/sip-users/8005', { method: 'DELETE' })).status).toBe(204);
    await h.restart();
    expect(h.stdout()).not.toContain('first start');
    expect(readFileSync(join(h.dataDir, 'admin-password'), 'utf8')).toBe(password);
    expect(h.adminToken).toBe(token);
    expect((await api('/api/v1/sip-users/8005')).status).toBe(404);
    expect((await api('/api/v1/sip-users')).status).toBe(200);
  });

  it('stops cleanly on SIGTERM and removes server.json', async () => {
    expect(await h.kill('SIGTERM')).toBe(0);
    expect(existsSync(join(h.dataDir, 'server.json'))).toBe(false);
    expect(readFileSync(join(h.dataDir, 'logs', 'hotline.log'), 'utf8')).toContain('hotline stopping');
    await h.restart();
    expect((await fetch(`${h.httpUrl}/health`)).status).toBe(200);
  });

  it('refuses bad configuration with one line and exit code 2', async () => {
    const r = await runHotlineCli(['start', '--data', h.dataDir, '--http-port', '99999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hotline: invalid setting http-port: must be 1-65535 (got "99999" from --http-port)\n');
    const env = await runHotlineCli(['start', '--data', h.dataDir], { HOTLINE_LOG_LEVEL: 'chatty' });
    expect([env.code, env.stderr.trim().split('\n')]).toEqual([2, ['hotline: invalid setting log-level: must be one of fatal, error, warn, info, debug, trace, silent (got "chatty" from HOTLINE_LOG_LEVEL)']]);
  });

  it('reports a port in use as one line', async () => {
    const otherDir = `${h.dataDir}-2`;
    const [sip, tls, ws] = await freePorts(3);
    const ports = ['--sip-port', String(sip), '--sip-tls-port', String(tls), '--sip-ws-port', String(ws), '--rtp-ports', `${h.rtpPorts[0]}-${h.rtpPorts[1]}`];
    const r = await runHotlineCli(['start', '--data', otherDir, '--http-port', String(h.httpPort), ...ports, '--log-level', 'silent']);
    rmSync(otherDir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`hotline: cannot listen on 127.0.0.1:${h.httpPort} (EADDRINUSE)`);
    // The same for a SIP port taken by the running server.
    const s2 = await runHotlineCli(['start', '--data', otherDir, '--sip-port', String(h.sipPort), '--sip-tls-port', String(tls), '--sip-ws-port', String(ws), '--http-port', String(sip), '--log-level', 'silent']);
    rmSync(otherDir, { recursive: true, force: true });
    expect(s2.code).toBe(1);
    expect(s2.stderr.trim().split('\n')).toHaveLength(1);
    expect(s2.stderr).toContain(`${h.sipPort}`);
  });
});

// TEL-2: https and SIP over secure WebSocket of our own, so that browsers on
// other machines (a secure context is needed for the microphone) reach the
// web UI, the event stream and SIP. A real `hotline start` with --https-port
// and --sip-wss-port; every client trusts only the self-signed certificate
// the server made in DATA/tls, so the handshakes prove that certificate too.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { freePorts } from '../../test/support/ports.ts';
import { startHotline, type HotlineProcess } from '../../test/support/server.ts';
import { runSipJsAgent } from '../../test/support/sipjs-agent-run.ts';

let h: HotlineProcess;
let httpsPort: number;
let wssPort: number;
let ca: string;
let agent: ChildProcess | undefined;

function httpsGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: httpsPort, path, ca, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  [httpsPort, wssPort] = (await freePorts(2)) as [number, number];
  // SIP.js (this version) fails a REGISTER challenged with SHA-256 as well as MD5, so MD5 only, as in test/e2e/registration-peers.test.ts.
  // The default digest setting (SHA-256,MD5): SIP.js must register with it, as on `npm start`.
  h = await startHotline({ args: ['--log-level', 'warn', '--https-port', String(httpsPort), '--sip-wss-port', String(wssPort)] });
  ca = readFileSync(join(h.dataDir, 'tls', 'sip.cert.pem'), 'utf8');
});
afterAll(async () => {
  agent?.kill('SIGTERM');
  await h?.stop();
});

describe('https and wss served by hotline itself (TEL-2)', () => {
  it('serves /health and the web UI over https with the certificate from DATA/tls', async () => {
    const health = await httpsGet('/health');
    expect(health.status).toBe(200);
    expect((JSON.parse(health.body) as { components: { sip: { detail: string } } }).components.sip.detail).toContain(`wss:${wssPort}`);
    const page = await httpsGet('/call');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
    // a client that trusts only the public roots refuses the self-signed certificate
    await expect(new Promise((resolve, reject) => get({ host: '127.0.0.1', port: httpsPort, path: '/health', ca: [] }, resolve).on('error', reject))).rejects.toThrow(/self.signed|unable to verify|certificate/i);
  });

  it('tells pages the wss port (a page over https connects to wss)', async () => {
    const cfg = JSON.parse((await httpsGet('/api/v1/webphone/config')).body) as { wsPort: number; wssPort?: number };
    expect(cfg).toMatchObject({ wsPort: h.sipWsPort, wssPort });
  });

  it('opens the event stream over wss', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${httpsPort}/api/v1/events`, { ca, headers: { authorization: `Bearer ${h.adminToken}` } });
    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>));
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(hello).toMatchObject({ type: 'hello', user: 'admin', role: 'admin' });
    ws.close();
  });

  it('registers a SIP.js user agent over wss', async () => {
    const { line, out } = await runSipJsAgent({
      url: `wss://127.0.0.1:${wssPort}`, user: '8006', password: 'demo-8006', host: '127.0.0.1',
      env: { NODE_EXTRA_CA_CERTS: join(h.dataDir, 'tls', 'sip.cert.pem') },
      onChild: (c) => (agent = c),
    });
    expect(line, out).toBe('REGISTERED');
    const regs = (await (await fetch(`${h.httpUrl}/api/v1/registrations`, { headers: { authorization: `Bearer ${h.adminToken}` } })).json()) as { aor: string; transport: string }[];
    expect(regs.filter((r) => r.aor.startsWith('sip:8006@')).map((r) => r.transport)).toEqual(['wss']);
  }, 30_000);
});

/**
 * Trunks administered live with a real carrier peer (ADM-1, ADM-2): sipp
 * plays the carrier's registrar (401 with an MD5 challenge, then 200 for
 * the right credentials only). A trunk added through the API registers
 * within seconds without a restart; an INVITE from the trunk's address to
 * one of its DIDs reaches the entry point the API gave that DID; removing
 * the trunk unregisters it (the registrar sees Expires 0); an administered
 * trunk comes back after a restart. The carrier lives on 127.0.0.2 (the
 * loopback network is all /8), the server on 127.0.0.1, so the trunk is
 * told apart by its source address as in production.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, freeSippMediaPort } from '../support/ports.ts';
import { startHotline, type HotlineProcess } from '../support/server.ts';

const SCENARIOS = join(import.meta.dirname, '..', 'sipp');
const CARRIER = '127.0.0.2';
const DID = '02160000000';
const skip = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v sipp'], { stdio: 'ignore' });
    return '';
  } catch {
    return 'sipp not installed (Debian package sip-tester)';
  }
})();

function sipp(args: string[]): { done: Promise<{ code: number | null; output: string }>; kill(): void } {
  const child = spawn('sipp', [...args, '-nostdin', '-trace_err'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('close', (code) => resolve({ code, output })));
  return { done, kill: () => void child.kill('SIGKILL') };
}

interface TrunkView {
  id: string;
  host?: string;
  registration?: { username: string; realm?: string; state: string; password?: string };
  dids: Record<string, string>;
  origin: string;
}

describe.skipIf(skip !== '')(`trunks administered live against a sipp carrier (ADM-1, ADM-2)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let h: HotlineProcess;
  let registrarPort: number;
  let callerPort: number;
  let strangerPort: number;
  let mediaPort: number;
  let registrar: ReturnType<typeof sipp> | undefined;
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${h.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${h.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const trunks = async () => (await api('GET', '/api/v1/admin/trunks')).body as TrunkView[];

  beforeAll(async () => {
    [registrarPort, callerPort, strangerPort] = (await freePorts(3)) as [number, number, number];
    mediaPort = await freeSippMediaPort();
    h = await startHotline({ args: ['--log-level', 'warn'] });
  });
  afterAll(async () => {
    registrar?.kill();
    await h?.stop();
  });

  it('a trunk added through the API registers within seconds, its DID reaches the entry point, and removing it unregisters', async () => {
    registrar = sipp(['-sf', join(SCENARIOS, 'carrier-registrar.xml'), '-i', CARRIER, '-p', String(registrarPort), '-m', '1', '-timeout', '90s', '-timeout_error']);
    // before the trunk exists, the DID is no number of ours
    const before = sipp([`127.0.0.1:${h.sipPort}`, '-sf', join(SCENARIOS, 'carrier-invite.xml'), '-s', DID, '-i', CARRIER, '-p', String(strangerPort), '-mi', CARRIER, '-mp', String(mediaPort), '-m', '1', '-timeout', '20s', '-timeout_error']);
    expect((await before.done).code).not.toBe(0);

    const created = await api('POST', '/api/v1/admin/trunks', {
      id: 'carrier',
      host: CARRIER,
      port: registrarPort,
      registration: { username: 'hotline-trunk', password: 's3cret-trunk', realm: 'carrier.test', expiresSec: 600 },
      dids: { [DID]: 'bank' },
      defaultEntryPoint: 'general',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('s3cret-trunk');

    const t0 = Date.now();
    let state = '';
    while (Date.now() - t0 < 10_000) {
      state = (await trunks()).find((t) => t.id === 'carrier')?.registration?.state ?? '';
      if (state === 'registered') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state, h.stdout().split('\n').filter((l) => !l.includes('"component":"http"')).join('\n')).toBe('registered');
    const listed = (await trunks()).find((t) => t.id === 'carrier')!;
    expect(listed).toMatchObject({ host: CARRIER, origin: 'admin', dids: { [DID]: 'bank' }, registration: { username: 'hotline-trunk', realm: 'carrier.test' } });
    expect(listed.registration!.password).toBeUndefined();

    const call = sipp([`127.0.0.1:${h.sipPort}`, '-sf', join(SCENARIOS, 'carrier-invite.xml'), '-s', DID, '-i', CARRIER, '-p', String(callerPort), '-mi', CARRIER, '-mp', String(mediaPort), '-m', '1', '-timeout', '30s', '-timeout_error']);
    const result = await call.done;
    expect(result.code, result.output).toBe(0);
    let records: { customer: string; entryPoint?: string; ivrScript?: string; status: string; parties: { kind: string; id: string }[] }[] = [];
    for (let i = 0; i < 50; i++) {
      records = ((await api('GET', '/api/v1/call-records')).body as { items?: typeof records } | typeof records) as never;
      records = Array.isArray(records) ? records : ((records as { items?: typeof records }).items ?? []);
      if (records.some((r) => r.status === 'ended')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(records.find((r) => r.customer.includes('13800138000')), JSON.stringify(records)).toMatchObject({ entryPoint: DID, ivrScript: 'bank', parties: [{ kind: 'customer', id: '13800138000' }, { kind: 'ivr', id: 'bank' }] });

    expect((await api('DELETE', '/api/v1/admin/trunks/carrier')).status).toBe(204);
    const reg = await registrar.done;
    expect(reg.code, reg.output).toBe(0);
    expect((await trunks()).map((t) => t.id)).not.toContain('carrier');

    const audit = JSON.stringify((await api('GET', '/api/v1/audit?limit=50')).body);
    expect(audit).toContain('trunk.create');
    expect(audit).toContain('trunk.delete');
    expect(audit).not.toContain('s3cret-trunk');
  }, 120_000);

  it('refuses a DID to an unknown entry point, and an administered trunk comes back after a restart', async () => {
    const bad = await api('POST', '/api/v1/admin/trunks', { id: 'pbx', host: '127.0.0.3', inboundAddresses: ['127.0.0.3'], dids: { '4000': 'nowhere' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('nowhere');
    expect((await api('POST', '/api/v1/admin/trunks', { id: 'pbx', host: '127.0.0.3', inboundAddresses: ['127.0.0.3'], dids: { '4000': 'general' } })).status).toBe(201);
    expect((await api('PATCH', '/api/v1/admin/trunks/pbx', { dids: { '4000': 'fund' }, defaultEntryPoint: 'general' })).status).toBe(200);
    await h.restart();
    expect((await trunks()).find((t) => t.id === 'pbx')).toMatchObject({ host: '127.0.0.3', dids: { '4000': 'fund' }, origin: 'admin' });
  }, 60_000);
});

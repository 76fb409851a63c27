/**
 * Interop with a real SIP peer: SIPp (Debian package) sends OPTIONS with a
 * body and `;rport` over UDP, over one TCP connection (t1) and over one TCP
 * connection per call (tn); a minimal answering delegate replies 200 through
 * stampVia/responseTarget. SIPp checks that every 200 comes back with
 * received and rport filled. This sipp build has no TLS, so TLS is covered by
 * the Node-based conformance suite only.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/ports.ts';
import { responseTarget, stampVia } from './rport.ts';
import type { Flow, TransportDelegate } from './transport.ts';
import { TransportSet } from './transport-set.ts';

const SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="hotline-transport-options">
  <send retrans="500">
    <![CDATA[
      OPTIONS sip:hotline@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:hotline@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Content-Type: text/plain
      Content-Length: [len]

      hello from sipp, call [call_number]
    ]]>
  </send>
  <recv response="200">
    <action>
      <ereg regexp="received=127\\.0\\.0\\.1" search_in="hdr" header="Via:" check_it="true" assign_to="r1"/>
      <ereg regexp="rport=[0-9]+" search_in="hdr" header="Via:" check_it="true" assign_to="r2"/>
    </action>
  </recv>
  <Reference variables="r1,r2"/>
</scenario>
`;

const logger = pino({ level: 'silent' });
let dir = '';
let set: TransportSet;
let port = 0;
let received = 0;

function header(lines: string[], name: string): string {
  const l = lines.find((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return l === undefined ? '' : l.slice(l.indexOf(':') + 1).trim();
}

const answering: TransportDelegate = {
  onMessage(data: Buffer, flow: Flow) {
    received++;
    const lines = data.toString('latin1').split('\r\n\r\n')[0]!.split('\r\n');
    if (!lines[0]!.startsWith('OPTIONS ')) return;
    const via = header(lines, 'Via');
    const response =
      `SIP/2.0 200 OK\r\nVia: ${stampVia(via, flow)}\r\nFrom: ${header(lines, 'From')}\r\nTo: ${header(lines, 'To')};tag=hl1\r\n` +
      `Call-ID: ${header(lines, 'Call-ID')}\r\nCSeq: ${header(lines, 'CSeq')}\r\nContent-Length: 0\r\n\r\n`;
    const target = responseTarget(via, flow);
    set.send(Buffer.from(response), target, { protocol: target.protocol }).catch(() => undefined);
  },
};

function sipp(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('sipp', args, { timeout: 30_000, cwd: dir }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, out: `${stdout}\n${stderr}` });
    });
  });
}

let sippWorks = false;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-sipp-'));
  await writeFile(join(dir, 'options.xml'), SCENARIO);
  port = await freePort();
  set = TransportSet.fromOptions({ delegate: answering, logger, udp: [{ host: '127.0.0.1', port }], tcp: [{ host: '127.0.0.1', port }] });
  await set.start();
  sippWorks = (await sipp(['-v'])).out.includes('SIPp');
});

afterAll(async () => {
  await set?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('transports against SIPp (TEL-2, RFC 3261 18, RFC 3581)', () => {
  it.each([
    ['UDP', 'u1', 300],
    ['TCP, one connection', 't1', 300],
    ['TCP, a connection per call', 'tn', 150],
  ])('answers %s OPTIONS with received and rport', async (_name, mode, calls) => {
    if (!sippWorks) throw new Error('sipp is not installed: this interop test needs the Debian sip-tester package');
    const before = received;
    const local = await freePort();
    const r = await sipp([
      `127.0.0.1:${port}`, '-sf', 'options.xml', '-t', mode, '-i', '127.0.0.1', '-p', String(local),
      '-m', String(calls), '-r', '300', '-l', '50', '-timeout', '20s', '-timeout_error', '-nostdin', '-trace_err', '-max_socket', '1000',
    ]);
    expect(r.code, r.out.slice(-2000)).toBe(0);
    expect(received - before).toBeGreaterThanOrEqual(calls);
    if (mode === 'tn') expect(set.pick({ protocol: 'tcp' }).connectionCount()).toBeLessThanOrEqual(50);
  }, 40_000);
});

/**
 * Robustness (issue 2, OPS-2, TEL-6): all 4,527 PROTOS c07-sip cases sent to
 * a running `hotline start`, each followed by the valid reference INVITE
 * (case 0), which must still be answered. INVITEs over 65,507 octets go over
 * TCP. The server must never crash or hang, and its memory must be flat
 * afterwards (RSS read from /proc).
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startHotline, type HotlineProcess } from '../support/server.ts';
import { listCases, readCase, removeUnpacked, unpackAll, type Fill } from './protos-cases.ts';

const MAX_UDP = 65_507;

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function header(msg: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(msg);
  return m?.[1]?.trim();
}

describe('PROTOS c07-sip against hotline start (issue 2, OPS-2)', () => {
  let h: HotlineProcess;
  let sock: Socket;
  let pid: number;
  const fill: Fill = { to: 'ivr@127.0.0.1', from: 'protos@127.0.0.1', fromAddress: '127.0.0.1', fromIp: '127.0.0.1', localPort: 0 };
  const waiting = new Map<string, (msg: string) => void>();

  beforeAll(async () => {
    // The guard stays on; its rate limit is raised so that one fast test source is not throttled.
    h = await startHotline({ args: ['--sip-rate-limit', '100000', '--sip-rate-burst', '100000'] });
    pid = (JSON.parse(readFileSync(join(h.dataDir, 'server.json'), 'utf8')) as { pid: number }).pid;
    sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    fill.localPort = sock.address().port;
    sock.on('message', (data) => {
      const text = data.toString('latin1');
      const callId = header(text, '(?:Call-ID|i)');
      if (callId && /^SIP\/2\.0 \d{3}/.test(text)) {
        const w = waiting.get(callId);
        if (w) {
          waiting.delete(callId);
          w(text);
        }
      }
    });
  });

  afterAll(async () => {
    sock?.close();
    await h?.stop();
  });

  const send = (buf: Buffer) => new Promise<void>((res, rej) => sock.send(buf, h.sipPort, '127.0.0.1', (e) => (e ? rej(e) : res())));

  const sendTcp = (bufs: Buffer[]) =>
    new Promise<void>((res) => {
      const c = connect(h.sipPort, '127.0.0.1', () => {
        for (const b of bufs) c.write(b);
        c.end();
      });
      c.on('error', () => res());
      c.on('close', () => res());
      c.on('data', () => undefined);
      setTimeout(() => c.destroy(), 2000).unref();
    });

  /** Send the reference INVITE and wait for its final answer (retransmitting as a UAC would), then ACK it. */
  async function reference(dir: string): Promise<string> {
    const ref = readCase(dir, 0, fill);
    const text = ref.invite.toString('latin1');
    const callId = header(text, 'Call-ID')!;
    const answered = new Promise<string>((resolve) => waiting.set(callId, resolve));
    let answer: string | undefined;
    for (let attempt = 0; attempt < 6 && answer === undefined; attempt++) {
      await send(ref.invite);
      answer = await Promise.race([answered, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500 * 2 ** attempt))]);
    }
    waiting.delete(callId);
    if (answer === undefined) throw new Error('reference INVITE not answered');
    const status = Number(/^SIP\/2\.0 (\d{3})/.exec(answer)![1]);
    if (status >= 200 && status < 300) throw new Error('reference INVITE unexpectedly accepted: no switch is wired yet');
    // ACK for the non-2xx final answer (RFC 3261 17.1.1.3): same branch and Request-URI, To from the answer.
    const ack = [
      `ACK ${/^INVITE (\S+)/.exec(text)![1]} SIP/2.0`,
      `Via: ${header(text, 'Via')}`,
      `From: ${header(text, 'From')}`,
      `To: ${header(answer, 'To')}`,
      `Call-ID: ${callId}`,
      `CSeq: ${/^(\d+)/.exec(header(text, 'CSeq')!)![1]} ACK`,
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await send(Buffer.from(ack, 'latin1'));
    return answer;
  }

  it('survives every case and still answers the reference case after each', async () => {
    const dir = unpackAll();
    onTestFinished(() => removeUnpacked(dir));
    const ids = listCases(dir);
    expect(ids.length).toBe(4527);
    // Warm up, then take the memory baseline.
    for (let i = 0; i < 50; i++) await reference(dir);
    const rssBefore = rssKb(pid);
    const failures: number[] = [];
    let overTcp = 0;
    for (const id of ids) {
      const c = readCase(dir, id, fill);
      if (c.invite.length > MAX_UDP) {
        overTcp++;
        await sendTcp([c.invite, c.teardown]);
      } else {
        await send(c.invite);
        await send(c.teardown);
      }
      try {
        await reference(dir);
      } catch {
        failures.push(id);
      }
      if (id % 500 === 0) process.stderr.write(`protos: case ${id}/${ids.length - 1}, rss ${rssKb(pid)} kB\n`);
    }
    expect(failures).toEqual([]);
    expect(overTcp).toBe(81);
    // Let every transaction started by the run end (Timer H/J are 32 s), then compare memory.
    await new Promise((r) => setTimeout(r, 35_000));
    for (let i = 0; i < 50; i++) await reference(dir);
    global.gc?.();
    const rssAfter = rssKb(pid);
    process.stderr.write(`protos: rss before ${rssBefore} kB, after ${rssAfter} kB\n`);
    // Flat: within 50% (V8 heap growth settles; a leak of one transaction per case would be far more).
    expect(rssAfter).toBeLessThan(rssBefore * 1.5);
    const health = await fetch(`${h.httpUrl}/health`);
    expect(health.status).toBe(200);
  }, 1_200_000);
});

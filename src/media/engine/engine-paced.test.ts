// Paced sending (MediaEngineOptions.sendAhead, 'auto' by default): each worker's
// sender thread sends what a tick mixed two frames after that tick's deadline (three
// while the worker is loaded or after a near miss; SendAheadPolicy). Over real
// UDP on loopback, two phones (legs of their own) talk through a bridge as
// they do without it; the workers' stats show the sender at work, and legs
// closed while their datagrams wait lose nothing (TEL-3).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { between, toneDbfs } from '../../../test/audio/analysis.ts';
import { createSocket } from 'node:dgram';
import { RtpPacket } from '../../protocol/rtp/rtp-packet.ts';
import { readWav } from '../wav/wav-reader.ts';
import { MediaEngine } from './media-engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'engine-paced-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let engine: MediaEngine;

beforeAll(async () => {
  engine = new MediaEngine({ workers: 2, rtpPortMin: 36000, rtpPortMax: 36999, bindAddress: '127.0.0.1' });
  await engine.start();
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('media engine: paced sending (sendAhead auto) - TEL-3', () => {
  it('by default each worker has a sender thread at the real-time priority asked for, on the CPU of its worker; the workers themselves stay ordinary', async () => {
    const stats = await engine.stats();
    for (const w of stats) {
      // adapted per worker: two frames to start, three while loaded (a near miss under the test run's load may step it)
      expect(w.sender?.auto, JSON.stringify(w.sender)).toBeDefined();
      expect([2, 3]).toContain(w.sender?.sendAhead);
      expect(w.sender?.sendAhead).toBe(w.sender?.auto?.frames);
      expect(w.thread).toMatchObject({ realtimePriority: 0, requestedRealtimePriority: 0 });
      if (process.getuid?.() === 0) expect(w.sender).toMatchObject({ realtimePriority: 10 });
      else expect(w.sender?.realtimePriority === 10 || w.sender?.error !== undefined).toBe(true);
    }
    if (process.getuid?.() !== 0) return;
    // the kernel's view: two SCHED_FIFO threads in this process (the senders; they never leave it)
    const fifo = readdirSync('/proc/self/task').filter((tid) => /^policy\s*:\s*1$/m.test(readFileSync(`/proc/self/task/${tid}/sched`, 'utf8')));
    expect(fifo).toHaveLength(2);
    const cpus = fifo.map((tid) => readFileSync(`/proc/self/task/${tid}/status`, 'utf8').match(/^Cpus_allowed_list:\s*(.*)$/m)?.[1]);
    expect(cpus.sort()).toEqual(stats.map((w) => String(w.thread?.cpu)).sort());
  });

  it('a bridged call sounds as without it: each phone hears the other, not itself; the senders send every frame', async () => {
    const bridge = await engine.createBridge();
    const c = await engine.createLeg({ legId: 'customer', near: bridge, codec: 'PCMU', inbandDtmf: false });
    const a = await engine.createLeg({ legId: 'agent', near: bridge, codec: 'PCMU', inbandDtmf: false });
    await engine.join(bridge, c.legId);
    await engine.join(bridge, a.legId);
    const phones = await Promise.all(
      [
        ['customer-phone', 400, c.localPort],
        ['agent-phone', 700, a.localPort],
      ].map(async ([name, hz, port]) => {
        const leg = await engine.createLeg({ legId: String(name), remote: { address: '127.0.0.1', port: Number(port) }, codec: 'PCMU', inbandDtmf: false });
        await engine.play({ legId: leg.legId }, { kind: 'tone', frequencies: [Number(hz)], levelDbfs: -12 });
        const path = join(dir, `${name}.wav`);
        return { leg, path, rec: await engine.record({ legId: leg.legId }, path, 'channels') };
      }),
    );
    await sleep(1500);
    for (const p of phones) await engine.controlRecording(p.rec, 'stop');
    const heard = (path: string) => {
      const rx = between(readWav(readFileSync(path)).channels[0]!, 0.4, 1.4);
      return { customer: toneDbfs(rx, 400), agent: toneDbfs(rx, 700) };
    };
    const atCustomer = heard(phones[0]!.path);
    const atAgent = heard(phones[1]!.path);
    expect(atCustomer.agent, JSON.stringify(atCustomer)).toBeGreaterThan(-30);
    expect(atCustomer.customer, JSON.stringify(atCustomer)).toBeLessThan(-55);
    expect(atAgent.customer, JSON.stringify(atAgent)).toBeGreaterThan(-30);
    expect(atAgent.agent, JSON.stringify(atAgent)).toBeLessThan(-55);

    const stats = await engine.stats({ legs: true });
    for (const w of stats) {
      expect(w.sender, JSON.stringify(w)).toMatchObject({ dropped: 0, errors: 0 });
      expect([2, 3]).toContain(w.sender?.sendAhead);
      // the sender thread takes the worker's real-time priority (root), the worker itself stays ordinary
      expect(w.thread?.realtimePriority).toBe(0);
    }
    const sent = stats.reduce((n, w) => n + w.sender!.sent, 0);
    const out = stats.flatMap((w) => w.legs).reduce((n, l) => n + l.packetsOut, 0);
    // every frame a leg queued was sent, but for the last two ticks' batches still waiting
    expect(sent).toBeGreaterThan(out - 4 * 2 * 4);
    expect(sent).toBeLessThanOrEqual(out);
    // the phones lost nothing on the way (every sequence number arrived)
    for (const l of stats.flatMap((w) => w.legs)) expect(l.lostIn, JSON.stringify(l)).toBe(0);

    // legs end while their last datagrams wait in the sender: closed after them, and the engine goes on
    for (const id of ['customer-phone', 'agent-phone', c.legId, a.legId]) await engine.destroyLeg(id);
    await engine.destroyBridge(bridge);
    await sleep(100);
    const after = await engine.stats();
    expect(after.reduce((n, w) => n + w.legCount, 0)).toBe(0);
    for (const w of after) expect(w.sender).toMatchObject({ errors: 0 });
  });

  it('a datagram queued while the leg is locked to its phone still goes out after the phone falls silent and the leg unlocks: no sequence number is missing', async () => {
    const phone = createSocket('udp4');
    const seqs: number[] = [];
    phone.on('message', (m) => seqs.push(m.readUInt16BE(2)));
    await new Promise<void>((r) => phone.bind(0, '127.0.0.1', r));
    try {
      const leg = await engine.createLeg({ remote: { address: '127.0.0.1', port: phone.address().port }, inbandDtmf: false });
      for (let i = 0; i < 25; i++) {
        phone.send(new RtpPacket({ payloadType: 0, sequenceNumber: i, timestamp: i * 160, ssrc: 7, payload: new Uint8Array(160).fill(0xff) }).serialize(), leg.localPort, '127.0.0.1');
        await sleep(20);
      }
      // the phone is silent now: the leg unlocks (disconnects) while two ticks' datagrams wait in the sender
      await sleep(400);
      await engine.destroyLeg(leg.legId);
      expect(seqs.length).toBeGreaterThan(20);
      const gaps = seqs.slice(1).flatMap((q, k) => (((q - seqs[k]!) & 0xffff) === 1 ? [] : [`${seqs[k]}->${q}`]));
      expect(gaps).toEqual([]);
      const s = (await engine.stats()).map((w) => w.sender!);
      expect(s.reduce((n, w) => n + w.dropped + w.errors, 0)).toBe(0);
    } finally {
      phone.close();
    }
  });
});

// E2E with a real peer (issue 3 "Done when"): sipp sends audio and the RFC
// 4733 digits of Debian's /usr/share/sip-tester/dtmf_2833_*.pcap to a Hotline
// media engine leg. How: the test runs a tiny UAS (tiny-uas.ts) whose 200 OK
// carries the SDP answer from the project's negotiator for an engine leg;
// sipp (UAC) then replays, with play_pcap_audio, a 2 s 1 kHz PCMA tone this
// test writes as a pcap and the digit captures 0, 5, 9, #. The engine records
// the leg; the recording is analysed (Goertzel) for the tone's frequency and
// duration, and the digits must arrive in order, with no in-band false digit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpPacket } from '../../src/protocol/rtp/rtp-packet.ts';
import { capabilities, negotiate } from '../../src/protocol/sdp/sdp-negotiator.ts';
import { g711Encode } from '../../src/media/codec/g711.ts';
import type { EngineEvent } from '../../src/media/engine/engine-protocol.ts';
import { MediaEngine } from '../../src/media/engine/media-engine.ts';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { toneDbfs } from '../audio/analysis.ts';
import { freePort, freeSippMediaPort } from '../support/ports.ts';
import { writePcapUdp } from './pcap-writer.ts';
import { startTinyUas } from './tiny-uas.ts';

const dir = mkdtempSync(join(tmpdir(), 'media-e2e-'));
const TONE_HZ = 1000;
const TONE_MS = 2000;
const DIGIT_PCAPS = ['0', '5', '9', 'pound'];
let engine: MediaEngine;

beforeAll(async () => {
  engine = new MediaEngine({ workers: 1, rtpPortMin: 33000, rtpPortMax: 33999, bindAddress: '127.0.0.1' });
  await engine.start();
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** 2 s of a 1 kHz sine at -12 dBFS, PCMA, 20 ms packets, as a pcap. */
function tonePcap(path: string): void {
  const packets = [];
  const amp = 32767 * 10 ** (-12 / 20);
  for (let f = 0; f < TONE_MS / 20; f++) {
    const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * TONE_HZ * (f * 160 + i)) / 8000)));
    const rtp = new RtpPacket({ payloadType: 8, sequenceNumber: 1000 + f, timestamp: 50000 + f * 160, ssrc: 0x1234abcd, marker: f === 0, payload: g711Encode('PCMA', pcm) });
    packets.push({ timeUs: 1_700_000_000_000_000 + f * 20_000, payload: rtp.serialize() });
  }
  writePcapUdp(path, packets);
}

function scenario(tonePath: string): string {
  const steps = DIGIT_PCAPS.map((d) => `  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${d}.pcap"/></action></nop>\n  <pause milliseconds="400"/>`).join('\n');
  const xml = readFileSync(join(import.meta.dirname, 'sipp-media.xml.template'), 'utf8').replace('@TONE_PCAP@', tonePath).replace('@DTMF_STEPS@', steps);
  const path = join(dir, 'media.xml');
  writeFileSync(path, xml);
  return path;
}

function runSipp(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, output }));
  });
}

describe('sipp sends audio and RFC 4733 digits to an engine leg - TEL-3, TEL-5', () => {
  it('the recording holds the 1 kHz tone for 2 s and the digits arrive in order', async () => {
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const leg = await engine.createLeg({ codec: 'PCMA', payloadType: 8, telephoneEventPt: 101, inbandDtmf: true });
    const recPath = join(dir, 'leg.wav');
    const uas = await startTinyUas();
    uas.onInvite(async (offer) => {
      const result = negotiate(offer, capabilities({ address: '127.0.0.1', port: leg.localPort, codecs: ['PCMA'] }));
      if (!result.ok) throw result.error;
      const a = result.audio;
      await engine.updateLeg(leg.legId, { remote: { address: a.remoteAddress, port: a.remotePort }, codec: a.codec, payloadType: a.payloadType, telephoneEventPt: a.telephoneEventPayloadType });
      await engine.record({ legId: leg.legId }, recPath, 'channels');
      return result.answer;
    });
    const tonePath = join(dir, 'tone.pcap');
    tonePcap(tonePath);
    const sipPort = await freePort();
    const mediaPort = await freeSippMediaPort();
    const run = await runSipp([`127.0.0.1:${uas.port}`, '-sf', scenario(tonePath), '-m', '1', '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-nostdin', '-timeout', '15s', '-timeout_error', '-trace_err']);
    uas.close();
    expect(run.code, run.output.slice(-3000)).toBe(0);
    await uas.bye;
    // let the jitter buffer drain, then end the leg: that stops its recording
    await new Promise((r) => setTimeout(r, 200));
    const stats = (await engine.stats()).flatMap((w) => w.legs).find((l) => l.legId === leg.legId)!;
    await engine.destroyLeg(leg.legId);
    await new Promise((r) => setTimeout(r, 100));

    expect(stats.packetsIn).toBe(TONE_MS / 20 + DIGIT_PCAPS.length * 10);
    expect(stats.lostIn).toBe(0);
    const digits = events.filter((e) => e.type === 'dtmf' && e.legId === leg.legId);
    expect(digits.map((e) => e.type === 'dtmf' && `${e.source}:${e.digit}`)).toEqual(['rfc4733:0', 'rfc4733:5', 'rfc4733:9', 'rfc4733:#']);
    for (const d of digits) if (d.type === 'dtmf') expect(d.durationMs).toBeCloseTo(280, -1); // 0x08c0 = 2240 samples

    const raw = readFileSync(recPath);
    expect(raw.readUInt32LE(40), 'WAV header fixed up at stop').toBe(raw.length - 44);
    const rx = readWav(raw).channels[0]!;
    // per 20 ms frame: is the 1 kHz tone there (and alone)?
    const frames: boolean[] = [];
    for (let off = 0; off + 160 <= rx.length; off += 160) {
      const f = rx.subarray(off, off + 160);
      frames.push(toneDbfs(f, TONE_HZ) > -20 && toneDbfs(f, 700) < -40 && toneDbfs(f, 1300) < -40);
    }
    const first = frames.indexOf(true);
    const last = frames.lastIndexOf(true);
    const toneFrames = frames.filter(Boolean).length;
    expect(first).toBeGreaterThanOrEqual(0);
    // 100 frames sent; the jitter buffer may conceal a frame or two at the edges
    expect(toneFrames).toBeGreaterThanOrEqual(98);
    expect((last - first + 1) * 20).toBeGreaterThanOrEqual(TONE_MS - 40);
    expect((last - first + 1) * 20).toBeLessThanOrEqual(TONE_MS + 80);
    const whole = rx.subarray(first * 160, (last + 1) * 160);
    expect(toneDbfs(whole, TONE_HZ)).toBeGreaterThan(-14);
    expect(toneDbfs(whole, TONE_HZ * 1.05)).toBeLessThan(toneDbfs(whole, TONE_HZ) - 30);
  }, 30000);
});

// E2E (issue 6 "Done when", IVR on a real leg): sipp calls, the tiny UAS
// answers with an engine leg's media address (through a relay that keeps a
// copy of what the leg sends on the wire), IvrCallService runs the demo fund
// hotline on that leg with MediaLegChannel (espeak-ng prompts), and sipp
// presses 2 (barging into the menu: fund prices) and then * (agent) by
// replaying Debian's RFC 4733 captures. Checked: the IVR log shows the path
// the digits chose, the switch got one transfer request with the IVR's call
// data, and BY AUDIO ANALYSIS the caller received speech while each prompt
// played, the menu cut off at the digit, silence while the IVR waited for a
// key and after it handed the call on.
// The switch runtime is not wired here (it is being written): the test
// answers its ports (RuntimeSide) and signals with the tiny UAS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/media/engine/engine-protocol.ts';
import { MediaEngine } from '../../src/media/engine/media-engine.ts';
import { EspeakTts } from '../../src/media/tts/espeak-tts.ts';
import { capabilities, negotiate } from '../../src/protocol/sdp/sdp-negotiator.ts';
import { mediaLegChannels } from '../../src/ivr/call/call-channel.ts';
import { IvrCallService } from '../../src/ivr/call/ivr-call-service.ts';
import { HttpFileFetcher } from '../../src/ivr/fetch/http-file-fetcher.ts';
import type { IvrStepEvent } from '../../src/ivr/interpreter/ivr-step-event.ts';
import { AudioFileLoader } from '../../src/ivr/prompt/audio-file-loader.ts';
import { DEFAULT_APOLOGY, PromptRenderer } from '../../src/ivr/prompt/prompt-renderer.ts';
import { EntryPointTable } from '../../src/ivr/service/entry-point-table.ts';
import { NoticeBoard } from '../../src/ivr/service/notice-board.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { IvrTransferTarget, SwitchControl, SwitchEvent } from '../../src/switch/runtime/ports.ts';
import { between, speechActivity } from '../audio/analysis.ts';
import { RtpRelay } from '../media-e2e/rtp-relay.ts';
import { startTinyUas } from '../media-e2e/tiny-uas.ts';
import { freePorts } from '../support/ports.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-e2e-'));
const DEMO = pathToFileURL(join(import.meta.dirname, '../../src/ivr/demo/main.vxml')).href;
const MENU = 'For your balance press 1. For fund prices press 2. For an agent press star.';
const A = `Welcome to the Hotline fund service line. ${MENU}`;
const B = `Growth fund 1.2345. Bond fund 1.0312. ${MENU}`;
const C = 'Transferring you to an agent. Please hold for the next available agent.';
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
let engine: MediaEngine;
const tts = new EspeakTts({ cacheDir: join(dir, 'tts') });

beforeAll(async () => {
  engine = new MediaEngine({ workers: 1, rtpPortMin: 35100, rtpPortMax: 35199, bindAddress: '127.0.0.1' });
  await engine.start();
});
afterAll(async () => {
  await engine.stop();
});

class RuntimeSide implements SwitchControl {
  readonly requests: Array<{ op: string; target?: IvrTransferTarget; callData?: unknown; cause?: string }> = [];
  async offerToAgent(): Promise<void> {}
  async ivrTransfer(_i: string, target: IvrTransferTarget, opts?: { callData?: Record<string, unknown> }): Promise<void> {
    this.requests.push({ op: 'ivrTransfer', target, callData: opts?.callData });
  }
  async ivrHangup(_i: string, cause?: string): Promise<void> {
    this.requests.push({ op: 'ivrHangup', cause });
  }
  async queueToIvr(): Promise<void> {}
  async attachData(): Promise<void> {}
  onEvent(_l: (e: SwitchEvent) => void): () => void {
    return () => undefined;
  }
}

/** Highest normalised correlation of `ref` against `sig` starting near `at` (± maxLag samples). */
function bestCorrelation(sig: Int16Array, at: number, ref: Int16Array, maxLag: number): number {
  let refEnergy = 0;
  for (const v of ref) refEnergy += v * v;
  let best = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const from = at + 800 + lag;
    if (from < 0 || from + ref.length > sig.length) continue;
    let dot = 0;
    let e = 0;
    for (let i = 0; i < ref.length; i++) {
      const x = sig[from + i]!;
      dot += x * ref[i]!;
      e += x * x;
    }
    const c = dot / Math.sqrt(refEnergy * e + 1e-9);
    if (c > best) best = c;
  }
  return best;
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

describe('IVR demo on a real call leg driven by sipp RFC 4733 digits - IVR-1, IVR-3, IVR-6, TEL-3', () => {
  it('2 barges into the menu (prices), * asks for an agent: path in the log, speech and silence on the wire', async () => {
    // The prompts' lengths set when sipp presses keys (and warm the TTS cache, as a running server's would be).
    const ms = async (text: string) => ((await tts.render(text, 'en-US')).length / 8) | 0;
    const [durA, durB, durC] = [await ms(A), await ms(B), await ms(C)];
    const pause1 = Math.round(durA * 0.6) + 300; // mid-menu: barge-in
    const pause2 = durB + 1800; // after the prices and menu: 1.5 s into the wait for a key
    const pause3 = durC + 2500; // hold prompt, hand-off, then some silence
    const xml = readFileSync(join(import.meta.dirname, '../media-e2e/sipp-ivr.xml.template'), 'utf8')
      .replace('@PAUSE_1@', String(pause1))
      .replace('@DIGIT_1@', '2')
      .replace('@PAUSE_2@', String(pause2))
      .replace('@DIGIT_2@', 'star')
      .replace('@PAUSE_3@', String(pause3));
    writeFileSync(join(dir, 'ivr.xml'), xml);

    const steps: IvrStepEvent[] = [];
    const runtime = new RuntimeSide();
    const renderer = new PromptRenderer({ tts, audio: new AudioFileLoader(), logger, apologyText: DEFAULT_APOLOGY });
    const svc = new IvrCallService({
      ivr: { logger, clock: systemClock, fetcher: new HttpFileFetcher(systemClock), steps: (e) => steps.push(e), entryPoints: new EntryPointTable([{ dnis: '95000', application: DEMO, name: 'fund-demo' }]), notices: new NoticeBoard() },
      control: runtime,
      channels: mediaLegChannels({ media: engine, renderer, clock: systemClock, logger, workDir: dir }),
      logger,
      locales: { '95000': 'en-US' },
    });
    const digits: Array<{ digit: string; at: number }> = [];
    const off = engine.onEvent((e: EngineEvent) => e.type === 'dtmf' && digits.push({ digit: e.digit, at: Date.now() }));

    const relay = await RtpRelay.start('PCMA', 8);
    const leg = await engine.createLeg({ codec: 'PCMA', payloadType: 8, telephoneEventPt: 101, inbandDtmf: false, remote: { address: '127.0.0.1', port: relay.legPort } });
    const uas = await startTinyUas();
    uas.onInvite(async (offer) => {
      const result = negotiate(offer, capabilities({ address: '127.0.0.1', port: relay.peerPort, codecs: ['PCMA'] }));
      if (!result.ok) throw result.error;
      const a = result.audio;
      await engine.updateLeg(leg.legId, { codec: a.codec, payloadType: a.payloadType, telephoneEventPt: a.telephoneEventPayloadType });
      relay.connect({ address: '127.0.0.1', port: leg.localPort }, { address: a.remoteAddress, port: a.remotePort });
      svc.start({ interactionId: 'e2e-1', legId: 'ivr-1', customerLegId: leg.legId, script: 'fund-demo', mode: 'new', callData: {}, customer: { number: '13800138000' }, entryPoint: '95000' });
      return result.answer;
    });
    const [sipPort, mediaPort] = await freePorts(2);
    const run = await runSipp([`127.0.0.1:${uas.port}`, '-sf', join(dir, 'ivr.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-nostdin', '-timeout', '60s', '-timeout_error', '-trace_err']);
    await uas.bye;
    svc.stop('e2e-1');
    uas.close();
    await svc.idle();
    off();
    await engine.destroyLeg(leg.legId);
    relay.close();
    expect(run.code, run.output.slice(-3000)).toBe(0);

    // The path the digits chose (IVR-6 log).
    expect(digits.map((d) => d.digit)).toEqual(['2', '*']);
    const path = steps.filter((s) => ['menu', 'event', 'transfer'].includes(s.kind)).map((s) => `${s.kind}:${s.input ?? ''}:${s.result}`);
    expect(path).toEqual(['menu:2:#prices', 'menu:*:nomatch', 'event::hotline.agent caught', 'transfer::bridge queue:funds: transferred', 'event::connection.disconnect.transfer default']);
    expect(runtime.requests).toEqual([{ op: 'ivrTransfer', target: { kind: 'queue', queueId: 'funds' }, callData: { aai: 'anonymous', ivr: { entryPoint: '95000', menuPath: ['#prices'], inputs: {}, steps: expect.any(Number) } } }]);

    // What went out on the wire, by audio analysis.
    const { pcm, t0 } = relay.signal();
    const at = (epochMs: number) => (epochMs - t0) / 1000;
    const speech = (from: number, to: number) => speechActivity(between(pcm, at(from), at(to))).activeMs;
    const prompts = steps.filter((s) => s.kind === 'prompt').map((s) => ({ start: s.at - s.durationMs, end: s.at, text: s.result }));
    expect(prompts.map((p) => p.text)).toEqual([A, B, C]);
    const [pa, pb, pc] = prompts as [(typeof prompts)[0], (typeof prompts)[0], (typeof prompts)[0]];
    const [two, star] = digits as [(typeof digits)[0], (typeof digits)[0]];
    // A: speech until the 2 arrived, then cut within 300 ms (barge-in), well before its natural end.
    expect(pa.end - two.at).toBeLessThan(300);
    expect(pa.end - pa.start).toBeLessThan(durA - 1000);
    expect(speech(pa.start + 200, two.at)).toBeGreaterThan(0.6 * (two.at - pa.start - 200));
    // Right after the 2 the wire carries B's own audio, not A's continuation: the menu really stopped.
    const wireAt = Math.round(at(pb.start) * 8000);
    const pcmB = await tts.render(B, 'en-US');
    const pcmA = await tts.render(A, 'en-US');
    const cutA = Math.round((two.at - pa.start) * 8);
    expect(bestCorrelation(pcm, wireAt, pcmB.subarray(800, 8800), 1600)).toBeGreaterThan(0.9);
    expect(bestCorrelation(pcm, wireAt, pcmA.subarray(cutA + 800, cutA + 8800), 1600)).toBeLessThan(0.5);
    // B: played whole, with speech through it.
    expect(pb.end - pb.start).toBeGreaterThan(durB - 200);
    expect(speech(pb.start + 200, pb.end)).toBeGreaterThan(0.6 * (pb.end - pb.start - 200));
    // Silence while the IVR waited for a key, between the end of B and the *.
    expect(star.at - pb.end).toBeGreaterThan(1000);
    expect(speech(pb.end + 150, star.at - 100)).toBe(0);
    // C: the hold prompt, then silence once the call was handed on.
    expect(speech(pc.start + 200, pc.end)).toBeGreaterThan(0.6 * (pc.end - pc.start - 200));
    expect(speech(pc.end + 150, pc.end + 1500)).toBe(0);
    expect(at(pc.end + 1500) * 8000).toBeLessThan(pcm.length);
  }, 90000);
});

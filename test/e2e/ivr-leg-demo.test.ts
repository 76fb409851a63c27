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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaLegChannels } from '../../src/ivr/call/call-channel.ts';
import { IvrCallService } from '../../src/ivr/call/ivr-call-service.ts';
import { HttpFileFetcher } from '../../src/ivr/fetch/http-file-fetcher.ts';
import type { IvrStepEvent } from '../../src/ivr/interpreter/ivr-step-event.ts';
import { AudioFileLoader } from '../../src/ivr/prompt/audio-file-loader.ts';
import { DEFAULT_APOLOGY, PromptRenderer } from '../../src/ivr/prompt/prompt-renderer.ts';
import { EntryPointTable } from '../../src/ivr/service/entry-point-table.ts';
import { NoticeBoard } from '../../src/ivr/service/notice-board.ts';
import { MediaEngine } from '../../src/media/engine/media-engine.ts';
import { EspeakTts } from '../../src/media/tts/espeak-tts.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { between, speechActivity } from '../audio/analysis.ts';
import { bestCorrelation, callIvr, RuntimeSide } from '../media-e2e/ivr-call-harness.ts';

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
  engine = new MediaEngine({ workers: 1, rtpPortMin: 35100, rtpPortMax: 35149, bindAddress: '127.0.0.1' });
  await engine.start();
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('IVR demo on a real call leg driven by sipp RFC 4733 digits - IVR-1, IVR-3, IVR-6, TEL-3', () => {
  it('2 barges into the menu (prices), * asks for an agent: path in the log, speech and silence on the wire', async () => {
    // The prompts' lengths set when sipp presses keys (and warm the TTS cache, as a running server's would be).
    const pcmA = await tts.render(A, 'en-US');
    const pcmB = await tts.render(B, 'en-US');
    const pcmC = await tts.render(C, 'en-US');
    const [durA, durB, durC] = [pcmA.length / 8, pcmB.length / 8, pcmC.length / 8];

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
    const call = await callIvr({
      engine,
      svc,
      dir,
      start: { interactionId: 'e2e-1', legId: 'ivr-1', script: 'fund-demo', mode: 'new', callData: {}, customer: { number: '13800138000' }, entryPoint: '95000' },
      steps: [
        { pauseMs: durA * 0.6 + 300 }, // mid-menu: barge-in
        { key: '2' },
        { pauseMs: durB + 1800 }, // after the prices and the menu: 1.5 s into the wait for a key
        { key: '*' },
        { pauseMs: durC + 2500 }, // the hold prompt, the hand-off, then some silence
      ],
    });
    svc.close();
    expect(call.sipp.code, call.sipp.output.slice(-3000)).toBe(0);

    // The path the digits chose (IVR-6 log).
    expect(call.digits.map((d) => d.digit)).toEqual(['2', '*']);
    const path = steps.filter((s) => ['menu', 'event', 'transfer'].includes(s.kind)).map((s) => `${s.kind}:${s.input ?? ''}:${s.result}`);
    expect(path).toEqual(['menu:2:#prices', 'menu:*:nomatch', 'event::hotline.agent caught', 'transfer::bridge queue:funds: transferred', 'event::connection.disconnect.transfer default']);
    expect(runtime.requests).toEqual([{ op: 'ivrTransfer', at: expect.any(Number), target: { kind: 'queue', queueId: 'funds' }, callData: { aai: 'anonymous', ivr: { entryPoint: '95000', menuPath: ['#prices'], inputs: {}, steps: expect.any(Number) } } }]);

    // What went out on the wire, by audio analysis.
    const { pcm } = call;
    const at = (epochMs: number) => call.sampleAt(epochMs) / 8000;
    const speech = (from: number, to: number) => speechActivity(between(pcm, at(from), at(to))).activeMs;
    const prompts = steps.filter((s) => s.kind === 'prompt').map((s) => ({ start: s.at - s.durationMs, end: s.at, text: s.result }));
    expect(prompts.map((p) => p.text)).toEqual([A, B, C]);
    const [pa, pb, pc] = prompts as [(typeof prompts)[0], (typeof prompts)[0], (typeof prompts)[0]];
    const [two, star] = call.digits as [(typeof call.digits)[0], (typeof call.digits)[0]];
    // A: speech until the 2 arrived, then cut within 300 ms (barge-in), well before its natural end.
    expect(pa.end - two.at).toBeLessThan(300);
    expect(pa.end - pa.start).toBeLessThan(durA - 1000);
    expect(speech(pa.start + 200, two.at)).toBeGreaterThan(0.6 * (two.at - pa.start - 200));
    // Right after the 2 the wire carries B's own audio, not A's continuation: the menu really stopped.
    const wireB = Math.round(at(pb.start) * 8000) + 800;
    const cutA = Math.round((two.at - pa.start) * 8);
    expect(bestCorrelation(pcm, wireB, pcmB.subarray(800, 8800), 1600)).toBeGreaterThan(0.9);
    expect(bestCorrelation(pcm, wireB, pcmA.subarray(cutA + 800, cutA + 8800), 1600)).toBeLessThan(0.5);
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

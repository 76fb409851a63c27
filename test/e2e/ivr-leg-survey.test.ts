// E2E on a real leg (IVR-5, IVR-8): a zh-CN caller (sipp) is handed to the
// queue; when the agent connects the caller hears "工号 8001 为您服务"; when
// the agent hangs up first, the runtime asks surveyFor() and starts the
// survey on the same leg; sipp presses 1, the score is stored for agent 8001.
// Audio is checked on the wire (speech energy, and the announcement matched
// against its own render by correlation). The runtime's part is played by
// RuntimeSide and this test (the switch runtime is being written).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { InMemorySurveyStore } from '../../src/ivr/survey/survey-store.ts';
import { MediaEngine } from '../../src/media/engine/media-engine.ts';
import { EspeakTts } from '../../src/media/tts/espeak-tts.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { between, speechActivity } from '../audio/analysis.ts';
import { bestCorrelation, callIvr, RuntimeSide } from '../media-e2e/ivr-call-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-survey-e2e-'));
const SURVEY = { 'zh-CN': pathToFileURL(join(import.meta.dirname, '../../src/ivr/survey/survey-zh.vxml')).href, 'en-US': pathToFileURL(join(import.meta.dirname, '../../src/ivr/survey/survey-en.vxml')).href };
const HELLO = '您好，正在为您转接人工服务。';
const ANNOUNCE = '工号八零零一为您服务';
const ASK = '请对刚才的服务进行评价。非常满意请按1，满意请按2，不满意请按3。';
const THANKS = '感谢您的评价，再见。';
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
let engine: MediaEngine;
const tts = new EspeakTts({ cacheDir: join(dir, 'tts') });

beforeAll(async () => {
  engine = new MediaEngine({ workers: 1, rtpPortMin: 35150, rtpPortMax: 35199, bindAddress: '127.0.0.1' });
  await engine.start();
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent number on connect and the post-call survey on a real leg - IVR-5, IVR-8', () => {
  it('the caller hears 工号 8001 为您服务, then rates the agent with 1 after the agent hangs up', async () => {
    const app = join(dir, 'hello-zh.vxml');
    writeFileSync(app, `<?xml version="1.0" encoding="UTF-8"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml" xml:lang="zh-CN"><form id="f"><block><prompt>${HELLO}</prompt></block><transfer name="t" type="bridge" dest="queue:funds" aai="account=20240001"/></form></vxml>`);
    const dur = async (t: string) => (await tts.render(t, 'zh-CN')).length / 8;
    const [dHello, dAnn, dAsk, dThanks] = [await dur(HELLO), await dur(ANNOUNCE), await dur(ASK), await dur(THANKS)];

    const steps: IvrStepEvent[] = [];
    const runtime = new RuntimeSide();
    const store = new InMemorySurveyStore();
    const renderer = new PromptRenderer({ tts, audio: new AudioFileLoader(), logger, apologyText: DEFAULT_APOLOGY });
    let svc!: IvrCallService;
    const start = { interactionId: 'e2e-s1', legId: 'ivr-1', script: app, mode: 'new' as const, callData: {}, customer: { number: '13800138000' }, entryPoint: '95001' };
    let legId = '';
    svc = new IvrCallService({
      ivr: {
        logger,
        clock: systemClock,
        fetcher: new HttpFileFetcher(systemClock),
        steps: (e) => {
          steps.push(e);
          // The runtime's part: the agent talks for a second after the announcement, then hangs up first.
          if (e.node === 'hotline:agent-announcement')
            setTimeout(() => {
              const s = svc.surveyFor({ interactionId: 'e2e-s1' });
              if (s) svc.start({ ...start, script: s.script, customerLegId: legId });
            }, 1000);
        },
        entryPoints: new EntryPointTable([]),
        notices: new NoticeBoard(),
      },
      control: runtime,
      channels: (req) => {
        legId = req.legId;
        return mediaLegChannels({ media: engine, renderer, clock: systemClock, logger, workDir: dir })(req);
      },
      logger,
      locales: { '95001': 'zh-CN' },
      survey: { entryPoints: ['95001'], applications: SURVEY, store },
    });
    // The queue finds agent 8001 300 ms after the hand-off.
    runtime.onRequest = (r) => {
      if (r.op === 'ivrTransfer') setTimeout(() => runtime.emit({ type: 'agent.connected', interaction: 'e2e-s1', agentId: '8001', leg: 'agent-leg', at: Date.now() }), 300);
    };
    const call = await callIvr({
      engine,
      svc,
      dir,
      start,
      steps: [{ pauseMs: dHello + 300 + dAnn + 1000 + dAsk * 0.5 + 600 }, { key: '1' }, { pauseMs: dThanks + 2500 }],
    });
    svc.close();
    expect(call.sipp.code, call.sipp.output.slice(-3000)).toBe(0);

    expect(runtime.requests.map((r) => (r.op === 'ivrTransfer' ? `${r.op} ${r.target.kind}:${'queueId' in r.target ? r.target.queueId : ''}` : `${r.op} ${r.cause}`))).toEqual(['ivrTransfer queue:funds', 'ivrHangup survey-complete']);
    expect(runtime.requests[0]).toMatchObject({ callData: { account: '20240001' } });
    expect(await store.summary('8001')).toEqual({ agentId: '8001', offered: 1, completed: 1, byScore: { '1': 1 }, meanScore: 1 });
    const prompts = steps.filter((s) => s.kind === 'prompt').map((s) => ({ start: s.at - s.durationMs, end: s.at, text: s.result }));
    expect(prompts.map((p) => p.text)).toEqual([HELLO, '工号 8001 为您服务', ASK, THANKS]);
    expect(steps.filter((s) => s.kind === 'input').map((s) => [s.input, s.result])).toEqual([['1', '"1"']]);

    // On the wire.
    const { pcm } = call;
    const at = (epochMs: number) => call.sampleAt(epochMs) / 8000;
    const speech = (from: number, to: number) => speechActivity(between(pcm, at(from), at(to))).activeMs;
    const [hello, ann, ask, thanks] = prompts as [(typeof prompts)[0], (typeof prompts)[0], (typeof prompts)[0], (typeof prompts)[0]];
    for (const p of [hello, ann, thanks]) expect(speech(p.start + 200, p.end), p.text).toBeGreaterThan(0.5 * (p.end - p.start - 200));
    expect(ann.end - ann.start).toBeGreaterThan(dAnn - 200);
    const annPcm = await tts.render(ANNOUNCE, 'zh-CN');
    expect(bestCorrelation(pcm, Math.round(at(ann.start) * 8000) + 800, annPcm.subarray(800, 8800), 1600)).toBeGreaterThan(0.9);
    // The agent's second of talk: the leg plays nothing then (no agent audio in this test).
    expect(speech(ann.end + 150, ask.start - 50)).toBe(0);
    // The survey question is cut by the 1 (bargein), the thanks follow, then silence.
    const one = call.digits[0]!;
    expect(ask.end - one.at).toBeLessThan(300);
    expect(speech(ask.start + 200, one.at)).toBeGreaterThan(0.5 * (one.at - ask.start - 200));
    expect(speech(thanks.end + 150, thanks.end + 1500)).toBe(0);
  }, 90000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { IvrStartRequest, IvrTransferTarget, SwitchControl, SwitchEvent } from '../../switch/runtime/ports.ts';
import { ScriptedChannel, type CallerAction } from '../channel/scripted-channel.ts';
import { demoPassword } from '../demo/demo-callers.ts';
import { HttpFileFetcher } from '../fetch/http-file-fetcher.ts';
import type { IvrStepEvent } from '../interpreter/ivr-step-event.ts';
import { EntryPointTable } from '../service/entry-point-table.ts';
import { NoticeBoard } from '../service/notice-board.ts';
import { InMemorySurveyStore } from '../survey/survey-store.ts';
import type { CallChannel, ChannelFactory, ChannelRequest } from './call-channel.ts';
import { destinationOf, IvrCallService } from './ivr-call-service.ts';

const DEMO = pathToFileURL(join(import.meta.dirname, '../demo/main.vxml')).href;
const SURVEY = { 'zh-CN': pathToFileURL(join(import.meta.dirname, '../survey/survey-zh.vxml')).href, 'en-US': pathToFileURL(join(import.meta.dirname, '../survey/survey-en.vxml')).href };
const dir = mkdtempSync(join(tmpdir(), 'ivr-call-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The runtime's side of the ports, as the switch would see it: every request written down, events sent on demand. */
class RuntimeSide implements SwitchControl {
  readonly requests: Array<{ op: string; interaction: string; target?: IvrTransferTarget; callData?: unknown; cause?: string }> = [];
  private readonly listeners = new Set<(e: SwitchEvent) => void>();
  async offerToAgent(): Promise<void> {}
  async ivrTransfer(interaction: string, target: IvrTransferTarget, opts?: { callData?: Record<string, unknown> }): Promise<void> {
    this.requests.push({ op: 'ivrTransfer', interaction, target, callData: opts?.callData });
  }
  async ivrHangup(interaction: string, cause?: string): Promise<void> {
    this.requests.push({ op: 'ivrHangup', interaction, cause });
  }
  async queueToIvr(): Promise<void> {}
  async attachData(interaction: string, callData: Record<string, unknown>): Promise<void> {
    this.requests.push({ op: 'attachData', interaction, callData });
  }
  onEvent(l: (e: SwitchEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: SwitchEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** Scripted callers on the channels the service asks for, one script per leg. */
function scriptedChannels(scripts: Record<string, CallerAction[][]>, opened: Array<{ req: ChannelRequest; ch: ScriptedChannel }>, failedLegs = new Set<string>()): ChannelFactory {
  return (req) => {
    const ch = new ScriptedChannel(scripts[req.legId]?.shift() ?? []);
    opened.push({ req, ch });
    const call: CallChannel = {
      play: (p, o) => ch.play(p),
      waitKey: (t, phase) => ch.waitKey(t, phase),
      record: (r) => ch.record(r),
      disconnect: async () => {
        await ch.disconnect();
        req.onDisconnect();
      },
      transfers: req.transfers,
      hangup: () => void ch.disconnect(),
      close: () => undefined,
      failed: failedLegs.has(req.legId),
    };
    return call;
  };
}

function setup(scripts: Record<string, CallerAction[][]>, extra: { locale?: 'zh-CN' | 'en-US'; notices?: unknown[]; failedLegs?: Set<string>; surveyAt?: readonly string[] | 'all' } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 2));
  const logs: Array<Record<string, unknown>> = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (o) => void logs.push(typeof o === 'string' ? { msg: o } : (o as Record<string, unknown>)),
    warn: (o) => void logs.push(typeof o === 'string' ? { msg: o } : (o as Record<string, unknown>)),
    error: (o) => void logs.push(typeof o === 'string' ? { msg: o } : (o as Record<string, unknown>)),
    child: () => logger,
  };
  const steps: IvrStepEvent[] = [];
  const runtime = new RuntimeSide();
  const opened: Array<{ req: ChannelRequest; ch: ScriptedChannel }> = [];
  const store = new InMemorySurveyStore();
  const svc = new IvrCallService({
    ivr: { logger, clock, fetcher: new HttpFileFetcher(clock), steps: (e) => steps.push(e), entryPoints: new EntryPointTable([{ dnis: '95000', application: DEMO, name: 'fund-demo' }]), notices: new NoticeBoard(extra.notices ?? []) },
    control: runtime,
    channels: scriptedChannels(scripts, opened, extra.failedLegs),
    logger,
    clock,
    locales: { '95000': extra.locale ?? 'en-US' },
    survey: { entryPoints: extra.surveyAt ?? ['95000'], applications: SURVEY, store },
  });
  return { svc, runtime, opened, steps, logs, store };
}

const start = (over: Partial<IvrStartRequest> = {}): IvrStartRequest => ({
  interactionId: 'ix-1',
  legId: 'ivr-leg-1',
  customerLegId: 'media-1',
  script: 'fund-demo',
  mode: 'new',
  callData: { tier: 'gold' },
  customer: { number: '13800138000' },
  entryPoint: '95000',
  ...over,
});

describe('IvrCallService: the IVR on calls of the switch runtime - IVR-4, IVR-6', () => {
  it('login then agent: one ivrTransfer to the queue with identity and inputs, password never logged or attached', async () => {
    const acct = '20240001';
    const pwd = demoPassword(acct);
    const { svc, runtime, steps, logs } = setup({ 'media-1': [[{ keys: '1' }, { keys: acct }, { keys: pwd }, { keys: '2' }]] });
    svc.start(start());
    await svc.idle();
    expect(runtime.requests).toEqual([
      {
        op: 'ivrTransfer',
        interaction: 'ix-1',
        target: { kind: 'queue', queueId: 'funds' },
        callData: { account: acct, ivr: { entryPoint: '95000', menuPath: ['#login'], inputs: { acct, again: false }, steps: expect.any(Number), secretFieldsEntered: ['pwd'] } },
      },
    ]);
    const pwdSteps = steps.filter((s) => s.node.endsWith('/pwd') && s.kind === 'input');
    expect(pwdSteps.map((s) => [s.input, s.result])).toEqual([['***', '***']]);
    expect(JSON.stringify(logs)).not.toContain(pwd);
    expect(logs.filter((l) => l['kind'] === 'menu').map((l) => [l['input'], l['result']])).toEqual([['1', '#login']]);
  });

  it('* at the main menu asks the switch for an agent (IVR-3 keypad convention)', async () => {
    const { svc, runtime } = setup({ 'media-1': [[{ keys: '*' }]] });
    svc.start(start());
    await svc.idle();
    expect(runtime.requests).toMatchObject([{ op: 'ivrTransfer', target: { kind: 'queue', queueId: 'funds' }, callData: { aai: 'anonymous', ivr: { menuPath: [] } } }]);
  });

  it('session variables carry the call: remote URI, entry point, call data', async () => {
    const app = join(dir, 'vars.vxml');
    writeFileSync(app, `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><transfer name="t" type="blind" dest="queue:vip" aaiexpr="'from=' + session.connection.remote.uri + '&amp;to=' + session.connection.local.uri + '&amp;tier=' + session.hotline.callData.tier"/></form></vxml>`);
    const { svc, runtime } = setup({});
    svc.start(start({ script: app }));
    await svc.idle();
    expect(runtime.requests).toMatchObject([{ op: 'ivrTransfer', target: { kind: 'queue', queueId: 'vip' }, callData: { from: 'tel:13800138000', to: '95000', tier: 'gold' } }]);
  });

  it('an application that ends by itself ends the call; a caller who hangs up gets no callback', async () => {
    const app = join(dir, 'bye.vxml');
    writeFileSync(app, `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><block><prompt>Goodbye.</prompt><disconnect/></block></form></vxml>`);
    const { svc, runtime, opened } = setup({ 'media-1': [[]], 'media-2': [[]] });
    svc.start(start({ script: app }));
    svc.start(start({ interactionId: 'ix-2', customerLegId: 'media-2' })); // the caller hangs up at the menu
    await svc.idle();
    expect(runtime.requests).toEqual([
      { op: 'attachData', interaction: 'ix-1', callData: { ivr: { entryPoint: '95000', menuPath: [], inputs: {}, steps: expect.any(Number) } } },
      { op: 'ivrHangup', interaction: 'ix-1', cause: 'ivr-disconnect' },
    ]);
    expect(opened[0]!.ch.prompts()).toEqual(['Goodbye.']);
  });

  it('media that fails under the session is reported to the switch, not taken for a caller hang-up', async () => {
    const { svc, runtime } = setup({ 'media-1': [[]] }, { failedLegs: new Set(['media-1']) });
    svc.start(start());
    await svc.idle();
    expect(runtime.requests.map((r) => `${r.op} ${r.cause ?? ''}`)).toEqual(['attachData ', 'ivrHangup ivr-media-failed']);
  });

  it('resume starts at the dialog named, without notices (IVR-7 notices are for new calls)', async () => {
    const notice = { id: 'n1', text: 'Markets close early today.', from: 0, until: Date.UTC(2030, 0, 1) };
    const { svc, opened } = setup({ 'media-1': [[], []] }, { notices: [notice] });
    svc.start(start());
    await svc.idle();
    svc.start(start({ mode: 'resume', resumeAt: 'menu' }));
    await svc.idle();
    expect(opened[0]!.ch.prompts()[0]).toBe('Markets close early today.');
    expect(opened[1]!.ch.prompts()[0]).toBe('For your balance press 1. For fund prices press 2. For an agent press star.');
  });

  it('an unknown script: apology, then the platform agent queue', async () => {
    const { svc, runtime, opened } = setup({ 'media-1': [[]] });
    svc.start(start({ script: 'no-such-app', entryPoint: '12345' }));
    await svc.idle();
    expect(opened[0]!.ch.prompts()[0]).toMatch(/^Sorry/);
    expect(runtime.requests).toMatchObject([{ op: 'ivrTransfer', target: { kind: 'queue', queueId: 'default' } }]);
  });

  it.each([
    ['queue:funds', { kind: 'queue', queueId: 'funds' }],
    ['agent:8001', { kind: 'agent', agentId: '8001' }],
    ['tel:+8613800138000', undefined],
    ['queue:', undefined],
  ])('destination %s', (dest, want) => {
    expect(destinationOf(dest)).toEqual(want);
  });
});

describe('agent announcement and satisfaction survey - IVR-5, IVR-8', () => {
  it.each([
    ['zh-CN', '工号 8001 为您服务'],
    ['en-US', 'Agent 8001 is now serving you'],
  ] as const)('%s: the caller hears the agent number on connect', async (locale, text) => {
    const { svc, runtime, opened, steps } = setup({ 'media-1': [[{ keys: '*' }]] }, { locale });
    svc.start(start());
    await svc.idle();
    runtime.emit({ type: 'agent.connected', interaction: 'ix-1', agentId: '8001', leg: 'agent-leg', at: 1 });
    await svc.idle();
    const ann = opened[1]!;
    expect(ann.req.legId).toBe('media-1');
    expect(ann.ch.transcript[0]).toMatchObject({ kind: 'prompt', text, segments: [{}, { kind: 'say-as', interpretAs: 'digits', text: '8001' }, {}] });
    expect(steps.at(-1)).toMatchObject({ kind: 'prompt', node: 'hotline:agent-announcement', result: text });
  });

  it('a consulted agent is not announced: the caller is on hold, hearing music, while the two agents talk', async () => {
    const { svc, runtime, opened, steps } = setup({ 'media-1': [[{ keys: '*' }], []] }, { locale: 'zh-CN' });
    svc.start(start());
    await svc.idle();
    runtime.emit({ type: 'agent.connected', interaction: 'ix-1', agentId: '8001', leg: 'agent-leg', at: 1 });
    await svc.idle();
    expect(opened).toHaveLength(2); // the application, then 8001's announcement
    runtime.emit({ type: 'interaction.state', interaction: 'ix-1', from: 'talking', to: 'consulting', action: 'consult', at: 2 });
    runtime.emit({ type: 'agent.connected', interaction: 'ix-1', agentId: '8002', leg: 'consult-leg', at: 3 });
    await svc.idle();
    expect(opened).toHaveLength(2);
    expect(steps.filter((s) => s.node === 'hotline:agent-announcement').map((s) => s.result)).toEqual(['工号 8001 为您服务']);
    // Back from the consultation, an agent who connects (e.g. after a blind transfer) is announced again.
    runtime.emit({ type: 'interaction.state', interaction: 'ix-1', from: 'consulting', to: 'talking', action: 'reconnect', at: 4 });
    runtime.emit({ type: 'agent.connected', interaction: 'ix-1', agentId: '8003', leg: 'agent-leg-2', at: 5 });
    await svc.idle();
    expect(opened).toHaveLength(3);
    expect(opened[2]!.ch.transcript[0]).toMatchObject({ kind: 'prompt', text: '工号 8003 为您服务' });
  });

  it('survey after the agent hangs up first: the score is stored and counted per agent; a caller who leaves counts as not completed', async () => {
    const { svc, runtime, store, opened } = setup({ 'media-1': [[{ keys: '*' }], [], [{ keys: '9' }, { keys: '1' }], [{ hangup: true }]] }, { locale: 'zh-CN' }); // app, announcement, survey, survey
    expect(svc.surveyFor({ interactionId: 'ix-1' })).toBeUndefined();
    svc.start(start());
    await svc.idle();
    expect(svc.surveyFor({ interactionId: 'ix-1' })).toBeUndefined(); // no agent yet
    runtime.emit({ type: 'agent.connected', interaction: 'ix-1', agentId: '8001', leg: 'agent-leg', at: 1 });
    await svc.idle();
    const survey = svc.surveyFor({ interactionId: 'ix-1' });
    expect(survey).toEqual({ script: SURVEY['zh-CN'] });
    svc.start(start({ script: survey!.script }));
    await svc.idle();
    expect(opened[2]!.ch.prompts()).toEqual(['请对刚才的服务进行评价。非常满意请按1，满意请按2，不满意请按3。', '请按1、2或3。 请对刚才的服务进行评价。非常满意请按1，满意请按2，不满意请按3。', '感谢您的评价，再见。']);
    expect(runtime.requests.at(-1)).toEqual({ op: 'ivrHangup', interaction: 'ix-1', cause: 'survey-complete' });
    svc.start(start({ script: survey!.script }));
    await svc.idle();
    expect(await store.summary('8001')).toEqual({ agentId: '8001', offered: 2, completed: 1, byScore: { '1': 1 }, meanScore: 1 });
    expect(await store.summary('8002')).toMatchObject({ offered: 0, completed: 0 });
  });

  it('a call that came straight to a queue: the switch names agent and service number; only listed numbers get the survey', async () => {
    const narrow = setup({});
    expect(narrow.svc.surveyFor({ interactionId: 'ix-9', agentId: '8003', entryPoint: '95001' })).toBeUndefined();
    const { svc, store } = setup({ 'media-7': [[{ keys: '2' }]] }, { surveyAt: 'all' });
    const survey = svc.surveyFor({ interactionId: 'ix-9', agentId: '8003', entryPoint: '95001' });
    expect(survey).toEqual({ script: SURVEY['zh-CN'] }); // 95001 has no locale of its own: the default
    svc.start(start({ interactionId: 'ix-9', customerLegId: 'media-7', script: survey!.script, entryPoint: undefined }));
    await svc.idle();
    expect(await store.list('8003')).toMatchObject([{ interactionId: 'ix-9', agentId: '8003', entryPoint: '95001', score: 2, completed: true }]);
  });

  it('a caller who switched to English in the IVR hears the agent number in English (the hand-off data names the language)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-lang-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const app = join(dir, 'en.vxml');
    writeFileSync(app, `<?xml version="1.0" encoding="UTF-8"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml" xml:lang="en-US"><form id="f"><transfer name="t" type="bridge" dest="queue:general" aai='{"locale":"en-US","pack":"securities"}'/></form></vxml>`);
    const { svc, runtime, opened } = setup({ 'media-1': [[]] }, { locale: 'zh-CN' });
    svc.start(start({ script: app }));
    await svc.idle();
    expect(runtime.requests[0]).toMatchObject({ op: 'ivrTransfer', callData: { locale: 'en-US' } });
    runtime.emit({ type: 'agent.connected', interaction: 'ix-1', agentId: '8001', leg: 'agent-leg', at: 1 });
    await svc.idle();
    expect(opened[1]!.ch.transcript[0]).toMatchObject({ kind: 'prompt', text: 'Agent 8001 is now serving you' });
    expect(svc.surveyFor({ interactionId: 'ix-1' })).toEqual({ script: SURVEY['en-US'] });
  });
});

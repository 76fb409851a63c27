/**
 * The post-call satisfaction survey on a real call (issue 6; IVR-8, IVR-5):
 * a real `hotline start` in a network namespace with the default
 * `post-call-survey ivr`; a baresip customer (8009) calls 95000, presses *
 * at the main menu and reaches agent 8006 (baresip, auto-answer). The AGENT
 * hangs up first; the customer is not released but hears the survey, keys 1
 * (RFC 4733), hears the thanks, and the server ends the call. Checked:
 *   - the customer's phone stays in the call after the agent's BYE and is
 *     released only after the survey;
 *   - GET /api/v1/ivr/surveys counts the answer for 8006 (score 1), and the
 *     answer survives in DATA/ivr/surveys.jsonl;
 *   - the call record says the agent hung up (8006) and the call ended
 *     with survey-complete; the agent went on to wrap-up;
 *   - BY AUDIO ANALYSIS of what the customer's phone received: speech while
 *     the survey question played, and no agent tone any more after the
 *     agent left.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmsDbfs, toneDbfs } from '../audio/analysis.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { PhoneRecording, sleep, until } from '../support/call-audio.ts';
import { ivrStepWhere, type IvrStep } from '../support/ivr-log.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';

const skip = netnsUnavailable();
const AGENT_HZ = 1500;
const QUESTION = '请对刚才的服务进行评价';

describe.skipIf(skip)(`post-call survey after the agent hangs up first, on a real call (IVR-8)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let agent: Phone;
  let caller: Phone;
  // Made in beforeAll, not here: a skipped suite's body still runs (to list its tests) but its afterAll does not.
  let dir: string | undefined;

  const stepWhere = (what: string, ok: (s: IvrStep) => boolean, timeoutMs = 20_000) => ivrStepWhere(server, what, ok, timeoutMs);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ivr-survey-e2e-'));
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(87, ['--digest-algorithms', 'MD5', '--log-level', 'info']));
    agent = startPhone({ netns: ns, user: '8006', password: 'demo-8006', server: srv, listenPort: 5070, toneHz: AGENT_HZ, autoAnswer: true });
    caller = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: 400 });
    await Promise.all([agent.waitRegistered(), caller.waitRegistered()]);
  }, 60_000);

  afterAll(async () => {
    await tearDownNetnsTest({ phones: [agent, caller], server, ns, dir });
  });

  it('95000, * to agent 8006, the agent hangs up: the caller rates the call with 1 and the answer is counted for 8006', async () => {
    for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/8006/${step}`).status).toBe(200);
    caller.command(`/dial sip:95000@${ns.serverAddress}:${server.sipPort}`);
    await stepWhere('the main menu', (s) => s.kind === 'document' && s.node.includes('/securities/zh-CN/menu'));
    await sleep(2500);
    caller.command('*');

    const talking = await until('8006 talks', () => api('GET', '/api/v1/agents').json as { id: string; state: string; interactionId?: string }[], (l) => l.find((a) => a.id === '8006')?.state === 'talking', 30_000);
    const ixId = talking.find((a) => a.id === '8006')!.interactionId!;
    await stepWhere('the agent announcement', (s) => s.kind === 'prompt' && s.node === 'hotline:agent-announcement');
    await sleep(2000);

    // The agent's phone hangs up first.
    const callerMark = caller.output().length;
    const agentLeftAt = Date.now();
    agent.command('/hangup');
    // The survey starts on the caller's leg (logged as an IVR start of kind survey); its question is 8-10 s long.
    await until('the survey starts', () => server.stdout(), (o) => o.split('\n').some((l) => l.includes('"ivr: start"') && l.includes('"kind":"survey"') && l.includes(ixId)), 15_000);
    await sleep(3000);
    expect(caller.output().slice(callerMark)).not.toMatch(/terminated|closed/i);
    const agents = api('GET', '/api/v1/agents').json as { id: string; state: string }[];
    expect(agents.find((a) => a.id === '8006')?.state).toBe('wrap-up');
    const keyedAt = Date.now();
    caller.command('1');
    const asked = await stepWhere('the survey question (cut by 1)', (s) => s.kind === 'prompt' && s.sessionId.startsWith(ixId) && s.result.includes(QUESTION));
    await stepWhere('the thanks', (s) => s.kind === 'prompt' && s.sessionId.startsWith(ixId) && s.result.includes('感谢您的评价'));
    await caller.waitFor(/terminated|closed/i, 20_000, callerMark);
    const endedAt = Date.now();
    await until('the call ends', () => api('GET', '/api/v1/calls').json as { id: string }[], (l) => !l.some((c) => c.id === ixId), 15_000);

    // IVR-8: the answer, counted per agent, kept on disk.
    const surveys = await until('the survey answer', () => api('GET', '/api/v1/ivr/surveys?agent=8006'), (r) => (r.json as { results: unknown[] }).results.length > 0);
    expect(surveys.status).toBe(200);
    expect(surveys.json).toMatchObject({
      agents: [{ agentId: '8006', offered: 1, completed: 1, byScore: { '1': 1 }, meanScore: 1 }],
      results: [{ interactionId: ixId, agentId: '8006', entryPoint: '95000', score: 1, completed: true }],
    });
    expect(api('GET', '/api/v1/ivr/surveys?limit=0').status).toBe(400);
    const file = join(server.dataDir, 'ivr', 'surveys.jsonl');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`"interactionId":"${ixId}"`);

    // The record: the agent hung up, the survey ended the call.
    const record = await until('the call record', () => api('GET', `/api/v1/call-records/${ixId}`), (r) => r.status === 200 && (r.json as { status?: string }).status === 'ended', 15_000);
    expect(record.json).toMatchObject({ hungUpBy: 'agent', hungUpParty: '8006', cause: 'survey-complete', disposition: 'answered', agents: ['8006'] });

    // What the caller heard: the question (speech), and no agent tone once the agent had left.
    const rec = new PhoneRecording(caller.heardWav(), endedAt);
    const at = (t: number) => Math.max(0, Math.round((rec.durationS - (endedAt - t) / 1000) * 8000));
    const from = at(asked.at - asked.durationMs + 300);
    const to = at(keyedAt - 300);
    const span = rec.samples.subarray(from, Math.max(from, to));
    let active = 0;
    const frames = Math.floor(span.length / 160);
    for (let f = 0; f < frames; f++) if (rmsDbfs(span.subarray(f * 160, f * 160 + 160)) > -45) active++;
    const afterAgent = rec.samples.subarray(at(agentLeftAt + 1000), at(keyedAt - 300));
    const msg = JSON.stringify({ frames, active, agentToneAfter: toneDbfs(afterAgent, AGENT_HZ), questionMs: asked.durationMs });
    console.log(`ivr-survey-call audio: ${msg}`);
    expect(frames, msg).toBeGreaterThan(50);
    expect(active / frames, msg).toBeGreaterThan(0.6);
    expect(toneDbfs(afterAgent, AGENT_HZ), msg).toBeLessThan(-40);
  }, 150_000);
});

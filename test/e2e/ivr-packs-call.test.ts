/**
 * The IVR packs on a real call (issue 6 and issue 8 "Done when"; IVR-1,
 * IVR-3, IVR-4, IVR-6, SEC-1, SEC-2, CTI-5): a real `hotline start` in a
 * network namespace; a baresip customer (8009) calls 95000, the securities
 * pack (zh-CN, espeak-ng prompts), and keys with RFC 4733 digits: 1 (trading
 * services), fund account 10000001#, trading password 135790, 1 (balance);
 * it hears a notice set through the API (IVR-7) before the menu, hears the
 * balance, then presses * for an agent. Agent 8005 (baresip,
 * auto-answer, logged in and ready through the API) gets the call from the
 * ACD queue. Checked:
 *   - the IVR log (`ivr step` lines, IVR-6) shows the path the digits took,
 *     the password masked, and the password appears nowhere in the log;
 *   - GET /api/v1/ivr/usage counts the menu choices per node, no values;
 *   - the interaction in GET /api/v1/calls carries the call-attached data:
 *     the authenticated account, the customer's name, the IVR path, and no
 *     password (CTI-5, SEC-2);
 *   - agent 8005, signed in with its own token, reads the screen pop of its
 *     call: the back office's profile of 10000001 (name, branch, class,
 *     account status, shareholder accounts) and the caller's past calls, no
 *     password; another agent may not (CTI-6, CRM-1); after the hang-up 8005
 *     files its wrap-up note, which the call record returns (CRM-3);
 *   - BY AUDIO ANALYSIS of what the caller's phone received: speech while
 *     each prompt played (the server's prompt steps give when), silence
 *     while the IVR waited for the account number, the agent's number
 *     announced (IVR-5), then the agent's tone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmsDbfs, toneDbfs } from '../audio/analysis.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { nsApi, PhoneRecording, sleep, until } from '../support/call-audio.ts';
import { ivrStepWhere, ivrSteps, type IvrStep as Step } from '../support/ivr-log.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';

const skip = netnsUnavailable();
const PASSWORD = '135790';
const AGENT_HZ = 1500;

interface Interaction {
  id: string;
  callData: Record<string, unknown>;
  legs: { party: { kind: string; id?: string } }[];
}

describe.skipIf(skip)(`IVR packs on a real call: login, balance, * to an agent with the call data (IVR-1, IVR-4, IVR-6, SEC-2, CTI-5)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  let agent: Phone;
  let caller: Phone;
  const dir = mkdtempSync(join(tmpdir(), 'ivr-packs-e2e-'));

  /** The server's `ivr step` log lines so far (IVR-6). */
  const steps = (): Step[] => ivrSteps(server);
  const stepWhere = (what: string, ok: (s: Step) => boolean, timeoutMs = 20_000) => ivrStepWhere(server, what, ok, timeoutMs);

  beforeAll(async () => {
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(92, ['--digest-algorithms', 'MD5', '--log-level', 'info']));
    agent = startPhone({ netns: ns, user: '8005', password: 'demo-8005', server: srv, listenPort: 5070, toneHz: AGENT_HZ, autoAnswer: true });
    caller = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: 400 });
    await Promise.all([agent.waitRegistered(), caller.waitRegistered()]);
  }, 60_000);

  afterAll(async () => {
    await tearDownNetnsTest({ phones: [agent, caller], server, ns, dir });
  });

  it('95000: keys the demo login, hears the balance, * reaches agent 8005 with the authenticated account attached', async () => {
    for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/8005/${step}`).status).toBe(200);
    // IVR-7: a notice for 95000, in force from the next call without a restart.
    const notice = { id: 'upgrade', text: '系统将于今晚二十二点升级。', from: Date.now() - 60_000, until: Date.now() + 3_600_000, dnis: ['95000'] };
    expect(api('PUT', '/api/v1/ivr/notices', [{ ...notice, from: 'soon' }]).status).toBe(400);
    expect(api('PUT', '/api/v1/ivr/notices', [notice])).toMatchObject({ status: 200, json: [notice] });
    const key = (digits: string) => caller.command(digits);

    caller.command(`/dial sip:95000@${ns.serverAddress}:${server.sipPort}`);
    // The notice first (not bargeable), then the main menu document: its greeting plays; 1 barges in (trading services).
    await stepWhere('the notice', (s) => s.kind === 'prompt' && s.node === 'notice:upgrade');
    await stepWhere('the main menu', (s) => s.kind === 'document' && s.node.includes('/securities/zh-CN/menu'));
    await sleep(3000);
    key('1');
    // The account prompt is played whole; the IVR then waits 1.5 s in silence before the account arrives.
    const accountPrompt = await stepWhere('the account prompt', (s) => s.kind === 'prompt' && s.node.endsWith('#login/account'));
    await sleep(1500);
    const accountKeyedAt = Date.now();
    key('10000001#');
    await stepWhere('the account entered', (s) => s.kind === 'input' && s.node.endsWith('#login/account'));
    await sleep(1000);
    key(PASSWORD);
    // Logged in: the account menu greets the customer; 1 (balance).
    await stepWhere('the account menu', (s) => s.kind === 'document' && /\/securities\/zh-CN\/account\?/.test(s.node));
    await sleep(2500);
    key('1');
    await stepWhere('the balance page', (s) => s.kind === 'document' && /\/securities\/zh-CN\/balance\?/.test(s.node));
    // The balance is read (then the account menu again): listen to it, then * for an agent.
    await sleep(9000);
    key('*');

    // The ACD offers the call to 8005, who answers by itself.
    const talking = await until('8005 talks', () => api('GET', '/api/v1/agents').json as { id: string; state: string; interactionId?: string }[], (l) => l.find((a) => a.id === '8005')?.state === 'talking', 30_000);
    const ixId = talking.find((a) => a.id === '8005')!.interactionId!;
    // IVR-5: the caller hears the agent's number, then the agent (whose phone sends its tone).
    const announced = await stepWhere('the agent announcement', (s) => s.kind === 'prompt' && s.node === 'hotline:agent-announcement');
    await sleep(3000);

    // CTI-5: the call data on the interaction, as an agent's screen pop reads it.
    const calls = api('GET', '/api/v1/calls').json as Interaction[];
    const ix = calls.find((c) => c.id === ixId)!;
    expect(ix, JSON.stringify(calls).slice(0, 2000)).toBeDefined();
    expect(ix.legs.some((l) => l.party.kind === 'agent' && l.party.id === '8005')).toBe(true);
    expect(ix.callData).toMatchObject({
      pack: 'securities',
      locale: 'zh-CN',
      authenticated: true,
      reason: 'caller',
      customer: { account: '10000001', name: '王建国', kind: 'securities' },
      inputs: { account: '10000001' },
      ivr: { entryPoint: '95000' },
    });
    expect(ix.callData['path']).toEqual(expect.arrayContaining(['login', 'account', 'balance', 'agent']));
    expect(JSON.stringify(ix.callData)).not.toContain(PASSWORD);

    // CTI-6, CRM-1: 8005's screen pop with its own token: the back office's profile of the authenticated customer.
    const signIn = (username: string) => {
      const r = api('POST', '/api/v1/session', { username, password: `demo-${username}` });
      expect(r.status).toBe(201);
      return nsApi(ns, server.httpUrl, (r.json as { token: string }).token);
    };
    const agentApi = signIn('8005');
    const pop = agentApi('GET', `/api/v1/interactions/${ixId}/screen-pop`);
    expect(pop.status, JSON.stringify(pop.json)).toBe(200);
    const popJson = pop.json as { caller: string; history: { total: number }; customer: { account: string; overview: { profile: { name: string; branch: { name: string } }; customerClass: string; fundAccounts: { fundAccount: string; status: string; shareholderAccounts: { id: string }[] }[] }; reminders: unknown[] } };
    expect(popJson.caller).toBe('8009');
    expect(popJson.history.total).toBe(0);
    expect(popJson.customer).toMatchObject({ account: '10000001', overview: { profile: { name: '王建国', fundAccounts: ['10000001'] }, fundAccounts: [{ fundAccount: '10000001', status: 'normal' }] } });
    expect(popJson.customer.overview.fundAccounts[0]!.shareholderAccounts.map((a) => a.id)).toEqual(['A100000011', '0100000011']);
    expect(popJson.customer.overview.profile.branch.name.length).toBeGreaterThan(0);
    expect(['standard', 'gold', 'vip']).toContain(popJson.customer.overview.customerClass);
    expect(JSON.stringify(pop.json)).not.toContain(PASSWORD);
    const otherAgent = signIn('8006')('GET', `/api/v1/interactions/${ixId}/screen-pop`);
    expect([otherAgent.status, (otherAgent.json as { error: { code: string } }).error.code]).toEqual([403, 'not-on-call']);
    console.log(`ivr-packs-call screen pop: ${JSON.stringify({ customerClass: popJson.customer.overview.customerClass, reminders: popJson.customer.reminders, history: popJson.history.total })}`);

    const hangupAt = Date.now();
    caller.command('/hangup');
    await until('the call ends', () => api('GET', '/api/v1/calls').json as Interaction[], (l) => !l.some((c) => c.id === ixId), 15_000);
    await sleep(500);

    // CRM-3: 8005 files the wrap-up note after the hang-up; the call record (and the next pop's history) return it.
    // The general queue holds 8005 in wrap-up for 10 s after the call: "done" ends it sooner.
    const before = api('GET', '/api/v1/agents/8005').json as { state: string; since: string };
    const badNote = agentApi('POST', `/api/v1/interactions/${ixId}/wrap-up`, { category: 'no-such-category', selfEvaluation: 'good', summary: 'x' });
    expect([badNote.status, (badNote.json as { error: { code: string } }).error.code]).toEqual([400, 'unknown-category']);
    const postedAt = Date.now();
    const note = agentApi('POST', `/api/v1/interactions/${ixId}/wrap-up`, { category: 'account-inquiry', selfEvaluation: 'good', summary: '客户查询资金余额，已告知。', done: true });
    expect(note.status, JSON.stringify(note.json)).toBe(200);
    if (before.state === 'wrap-up' && postedAt < Date.parse(before.since) + 9_000) expect((note.json as { wrapUpEnded: boolean }).wrapUpEnded).toBe(true);
    console.log(`ivr-packs-call wrap-up: ${JSON.stringify({ before: before.state, msAfterWrapupStart: postedAt - Date.parse(before.since), wrapUpEnded: (note.json as { wrapUpEnded: boolean }).wrapUpEnded })}`);
    expect(note.json).toMatchObject({ contact: { agentId: '8005', category: 'account-inquiry', customer: { account: '10000001', name: '王建国', shareholderAccount: 'A100000011' } } });
    expect((api('GET', '/api/v1/agents/8005').json as { state: string }).state).toBe('ready');
    const record = await until('the record with the note', () => api('GET', `/api/v1/call-records/${ixId}`), (r) => r.status === 200 && ((r.json as { contacts?: unknown[] }).contacts?.length ?? 0) > 0, 10_000);
    expect(record.json).toMatchObject({ id: ixId, customer: '8009', agents: ['8005'], disposition: 'answered', contacts: [{ agentId: '8005', category: 'account-inquiry', selfEvaluation: 'good', summary: '客户查询资金余额，已告知。', customer: { account: '10000001', name: '王建国' } }] });

    // IVR-6: the path in the log; the password masked there and nowhere in the log (SEC-2).
    const all = steps();
    const path = all.filter((s) => ['menu', 'input', 'transfer'].includes(s.kind)).map((s) => `${s.kind}:${s.node.replace(/^.*\/zh-CN\//, '').replace(/\?s=[^#]*/, '')}:${s.input ?? ''}:${s.result.replace(/\?s=.*/, '')}`);
    expect(path).toEqual([
      'menu:menu#menu:1:login',
      'input:login#login/account:10000001#:"10000001"',
      'input:login#login/password:***:***',
      'menu:account#account:1:balance',
      'menu:account#account:*:nomatch',
      'transfer:agent#to-agent/agent::blind queue:general: transferred',
    ]);
    expect(server.stdout()).not.toContain(PASSWORD);
    expect(server.stdout()).toContain('"ivr: handed to the switch"');

    // IVR-6 reports: the menu choices counted per node (session tokens left out), never a field's value.
    const usage = api('GET', '/api/v1/ivr/usage');
    expect(usage.status).toBe(200);
    const nodes = (usage.json as { nodes: { node: string; kind: string; attempts: number; outcomes: Record<string, number> }[] }).nodes;
    const node = (suffix: string) => nodes.find((n) => n.node.endsWith(suffix));
    expect(node('/securities/zh-CN/menu#menu')).toMatchObject({ kind: 'menu', attempts: 1, outcomes: { login: 1 } });
    expect(node('/securities/zh-CN/account#account')).toMatchObject({ kind: 'menu', attempts: 2, outcomes: { balance: 1, nomatch: 1 } });
    expect(node('/securities/zh-CN/login#login/password')).toMatchObject({ kind: 'field', attempts: 1, outcomes: { filled: 1 } });
    expect(JSON.stringify(usage.json)).not.toContain(PASSWORD);
    expect(JSON.stringify(usage.json)).not.toContain('10000001');
    const entries = api('GET', '/api/v1/ivr/entry-points').json as { dnis: string; name: string }[];
    expect(entries.map((e) => `${e.dnis} ${e.name}`).sort()).toEqual(['95000 securities', '95002 bank', '95003 fund']);

    // What the caller heard, by audio analysis of its phone's recording.
    const rec = new PhoneRecording(caller.heardWav(), hangupAt);
    const prompts = all.filter((s) => s.kind === 'prompt' && s.sessionId.startsWith(ixId));
    const spans = prompts.filter((p) => p.durationMs > 1000).map((p) => ({ text: p.node.startsWith('notice:') ? p.node : p.result.slice(0, 24), from: p.at - p.durationMs + 200, to: p.at - 200 }));
    const quiet = { from: accountPrompt.at + 300, to: accountKeyedAt - 200 };
    // The phone's WAV ends when its call ends; network and jitter buffer shift it by a fraction of a
    // second against the server's clock: it is placed at the offset (within ±0.8 s) where the prompts'
    // spans best match the speech heard and the wait for the account best matches silence.
    const frames = Array.from({ length: Math.floor(rec.samples.length / 160) }, (_, i) => rmsDbfs(rec.samples.subarray(i * 160, i * 160 + 160)) > -45);
    const frameAt = (t: number, offsetMs: number) => Math.round((rec.durationS * 1000 - (hangupAt - t) + offsetMs) / 20);
    const activeMs = (from: number, to: number, offsetMs: number) => {
      let n = 0;
      for (let f = Math.max(0, frameAt(from, offsetMs)); f < Math.min(frames.length, frameAt(to, offsetMs)); f++) if (frames[f]) n++;
      return n * 20;
    };
    const score = (o: number) => spans.reduce((a, p) => a + activeMs(p.from, p.to, o), 0) - 5 * activeMs(quiet.from, quiet.to, o);
    let offset = 0;
    for (let o = -800; o <= 800; o += 20) if (score(o) > score(offset)) offset = o;
    const played = spans.map((p) => ({ text: p.text, ms: Math.round(p.to - p.from), speechMs: activeMs(p.from, p.to, offset) }));
    const waitSilence = activeMs(quiet.from, quiet.to, offset);
    const agentFrom = Math.max(0, frameAt(announced.at + 500, offset)) * 160;
    const agentTone = toneDbfs(rec.samples.subarray(agentFrom, Math.max(agentFrom, frameAt(hangupAt - 500, offset) * 160)), AGENT_HZ);
    const msg = JSON.stringify({ offset, played, waitSilence, agentTone });
    console.log(`ivr-packs-call audio: ${msg}`);
    // The notice, the greeting, the account and password prompts, the account menu, the balance (cut by *), the hand-off prompt, the agent's number.
    expect(prompts.length, msg).toBeGreaterThanOrEqual(8);
    expect(prompts[0], msg).toMatchObject({ node: 'notice:upgrade', result: 'played' });
    expect(prompts.some((p) => p.result.includes('总资产')), msg).toBe(true);
    for (const p of played) expect(p.speechMs, msg).toBeGreaterThan(0.6 * p.ms);
    expect(waitSilence, msg).toBe(0);
    expect(agentTone, msg).toBeGreaterThan(-30);
  }, 150_000);
});

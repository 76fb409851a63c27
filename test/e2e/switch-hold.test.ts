/**
 * A real call through Hotline's switch, proven by what each phone hears
 * (issue 4; TEL-1, CTI-1, CTI-2; DESIGN.md "How audio is checked in tests").
 *
 * Two baresip phones register as extensions 8001 (the agent side, sending
 * 700 Hz) and 8002 (the callee, in the customer's seat, sending 400 Hz,
 * answering by itself). 8001 dials 8002; the dial plan makes it a direct
 * call with 8001 as the agent; media flows phone → engine → bridge → phone.
 * Through the HTTP API the agent holds and retrieves the call:
 *   talking   each hears the other
 *   on hold   the customer hears the music-on-hold melody and NOT the agent;
 *             the agent still hears the customer (CTI-2)
 *   retrieved each hears the other again, no music
 * The call is recorded from answer to hang-up; the recording holds both tones.
 * Illegal operations on the live call and after its end answer 409 with
 * their typed codes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../src/media/wav/wav-reader.ts';
import { toneDbfs } from '../audio/analysis.ts';
import { startPhone, removePhoneDir, type Phone } from '../support/baresip-phone.ts';
import { PhoneRecording, sleep, until, type Heard } from '../support/call-audio.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import { runHotlineCli, type HotlineProcess } from '../support/server.ts';
import { hotlineInNetns, type NetnsHotline } from '../support/netns-hotline.ts';

const skip = netnsUnavailable();
const AGENT_TONE = 700;
const CUSTOMER_TONE = 400;
const PRESENT = -35;
const ABSENT = -55;

interface View {
  id: string;
  state: string;
  agentId?: string;
  legs: { id: string; party: { kind: string; id: string }; state: string }[];
}

describe.skipIf(skip)(`switch: a call between two phones, hold and retrieve proven by audio (TEL-1, CTI-1, CTI-2)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let agent: Phone;
  let customer: Phone;
  let api: NetnsHotline['api'];
  const t: Record<string, number> = {};
  let ix = '';
  let recording = '';

  beforeAll(async () => {
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(96, ['--digest-algorithms', 'MD5', '--log-level', 'warn']));
    agent = startPhone({ netns: ns, user: '8001', password: 'demo-8001', server: srv, listenPort: 5070, toneHz: AGENT_TONE });
    customer = startPhone({ netns: ns, user: '8002', password: 'demo-8002', server: srv, listenPort: 5072, toneHz: CUSTOMER_TONE, autoAnswer: true });
    await Promise.all([agent.waitRegistered(), customer.waitRegistered()]);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await customer?.stop();
    if (agent) removePhoneDir(agent);
    if (customer) removePhoneDir(customer);
    await server?.stop();
    ns?.destroy();
  });

  it('8001 calls 8002 through the switch; hold and retrieve through the API', async () => {
    agent.command(`/dial sip:8002@${ns.serverAddress}:${server.sipPort}`);
    const calls = await until('a talking call', () => api('GET', '/api/v1/calls').json as View[], (v) => v.length === 1 && v[0]!.state === 'talking');
    ix = calls[0]!.id;
    expect(calls[0]).toMatchObject({ agentId: '8001' });
    t.answered = Date.now();

    const rec = api('POST', `/api/v1/interactions/${ix}/recording/start`);
    expect(rec.status).toBe(200);
    recording = (rec.json as { path: string }).path;
    const cli = await runHotlineCli(['calls', '--json', '--data', server.dataDir], {}, ns);
    expect(JSON.parse(cli.stdout)).toEqual([expect.objectContaining({ id: ix, state: 'talking' })]);

    await sleep(3000);
    // Each span runs from the moment its state is confirmed (the API answered)
    // to the moment the next operation is asked for: on a loaded machine the
    // request itself (curl in the namespace) can take most of a second, and
    // until it is answered the customer rightly still hears the agent.
    t.holdAsked = Date.now();
    const held = api('POST', `/api/v1/interactions/${ix}/hold`, { agentId: '8001' });
    t.held = Date.now();
    expect([held.status, (held.json as View).state]).toEqual([200, 'on-hold']);
    await sleep(4000);
    t.retrieveAsked = Date.now();
    expect(api('POST', `/api/v1/interactions/${ix}/retrieve`, { agentId: '8001' }).status).toBe(200);
    t.retrieved = Date.now();
    // Illegal operations on the live call (they change nothing, so the audio spans stay clean).
    const refused: [string, string, object, string][] = [
      ['POST', `/api/v1/interactions/${ix}/retrieve`, { agentId: '8001' }, 'NOT_ON_HOLD'],
      ['POST', `/api/v1/interactions/${ix}/transfer`, { agentId: '8001' }, 'NO_CONSULT'],
      ['POST', `/api/v1/interactions/${ix}/conference`, { agentId: '8001' }, 'NO_CONSULT'],
      ['POST', `/api/v1/interactions/${ix}/alternate`, { agentId: '8001' }, 'NO_CONSULT'],
      ['POST', `/api/v1/interactions/${ix}/reconnect`, { agentId: '8001' }, 'NO_CONSULT'],
      ['POST', `/api/v1/interactions/${ix}/hold`, { agentId: '8003' }, 'AGENT_NOT_ON_CALL'],
      ['POST', '/api/v1/agents/8009/monitor', { supervisorId: '8100' }, 'AGENT_NOT_ON_CALL'],
      ['POST', '/api/v1/agents/8001/intercept', { supervisorId: '8100' }, 'NOT_SUPERVISING'],
    ];
    for (const [method, path, body, code] of refused) {
      const r = api(method, path, body);
      expect([path, r.status, (r.json as { error: { code: string } }).error.code]).toEqual([path, 409, code]);
    }
    await sleep(Math.max(0, t.retrieved + 3000 - Date.now()));
    expect(api('POST', `/api/v1/interactions/${ix}/recording/stop`).status).toBe(200);
    t.hangup = Date.now();
    agent.command('/hangup');
    await until('the call ends', () => (api('GET', `/api/v1/interactions/${ix}`).json as View).state, (s) => s === 'ended');
    const after = api('POST', `/api/v1/interactions/${ix}/hold`, { agentId: '8001' });
    expect([after.status, (after.json as { error: { code: string } }).error.code]).toEqual([409, 'INTERACTION_ENDED']);
    await sleep(300);
  }, 60_000);

  it('what each phone heard: music only for the held customer, the agent keeps hearing the customer', async () => {
    await agent.stop();
    await customer.stop();
    const probes = [AGENT_TONE, CUSTOMER_TONE];
    const atAgent = new PhoneRecording(agent.heardWav(), t.hangup!, t.answered!);
    const atCustomer = new PhoneRecording(customer.heardWav(), t.hangup!, t.answered!);
    const spans = { talking: [t.answered!, t.holdAsked!], 'on hold': [t.held!, t.retrieveAsked!], retrieved: [t.retrieved!, t.hangup!] } as const;
    const report: Record<string, unknown> = {
      apiMs: { hold: t.held! - t.holdAsked!, retrieve: t.retrieved! - t.retrieveAsked! },
      shortfallS: { agent: atAgent.shortfallS, customer: atCustomer.shortfallS },
    };
    for (const [name, [a, b]] of Object.entries(spans)) {
      report[name] = { agent: atAgent.heard(a, b, probes), customer: atCustomer.heard(a, b, probes) };
    }
    const r = report as unknown as Record<keyof typeof spans, Record<'agent' | 'customer', Heard>>;
    const msg = JSON.stringify(report);
    // talking: both ways, no music
    expect(r.talking.agent.tones[CUSTOMER_TONE], msg).toBeGreaterThan(PRESENT);
    expect(r.talking.customer.tones[AGENT_TONE], msg).toBeGreaterThan(PRESENT);
    expect(r.talking.customer.musicShare, msg).toBeLessThan(0.1);
    // on hold: the customer hears music and not the agent; the agent still hears the customer
    expect(r['on hold'].customer.music, msg).toBeGreaterThan(PRESENT);
    expect(r['on hold'].customer.musicShare, msg).toBeGreaterThan(0.5);
    expect(r['on hold'].customer.tones[AGENT_TONE], msg).toBeLessThan(ABSENT);
    expect(r['on hold'].agent.tones[CUSTOMER_TONE], msg).toBeGreaterThan(PRESENT);
    expect(r['on hold'].agent.musicShare, msg).toBeLessThan(0.1);
    // retrieved: both ways again, the music is gone
    expect(r.retrieved.agent.tones[CUSTOMER_TONE], msg).toBeGreaterThan(PRESENT);
    expect(r.retrieved.customer.tones[AGENT_TONE], msg).toBeGreaterThan(PRESENT);
    expect(r.retrieved.customer.musicShare, msg).toBeLessThan(0.1);
    console.log(`switch-hold audio: ${msg}`);
    // The recording (TEL-5) holds both parties: the mix of everyone audible in the bridge.
    const recorded = readWav(readFileSync(recording)).channels[0]!;
    const recMsg = `recording ${recording}: ${recorded.length / 8000} s`;
    expect(recorded.length / 8000, recMsg).toBeGreaterThan(8);
    expect(toneDbfs(recorded, CUSTOMER_TONE), recMsg).toBeGreaterThan(PRESENT);
    expect(toneDbfs(recorded, AGENT_TONE), recMsg).toBeGreaterThan(PRESENT);
  });
});

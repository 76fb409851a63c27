/**
 * A customer calls the service number 95001: the dial plan sends it to the
 * general queue, the ACD offers it to the ready agent 8001, whose phone
 * answers; then the agent presses transfer on the phone (REFER, RFC 3515)
 * to 8003 and the customer ends up talking to 8003. Proven by audio
 * (issue 4; TEL-1, CTI-1, CTI-4, ACD-3; DESIGN.md tone matrix):
 *   queued       the customer hears the queue music, nothing else
 *   answered     customer and agent hear each other
 *   transferred  customer and 8003 hear each other
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removePhoneDir, startPhone, type Phone } from '../support/baresip-phone.ts';
import { PhoneRecording, sleep, until } from '../support/call-audio.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';
import { hotlineInNetns, type NetnsHotline } from '../support/netns-hotline.ts';

const skip = netnsUnavailable();
const TONE = { customer: 400, agent: 700, second: 1100 } as const;
type Who = keyof typeof TONE;
const PRESENT = -35;
const ABSENT = -45;

interface View {
  id: string;
  state: string;
  agentId?: string;
  legs: { party: { kind: string; id: string }; state: string }[];
}

describe.skipIf(skip)(`switch: service number, queue, ACD offer, REFER from the phone (TEL-1, CTI-1, CTI-4, ACD-3)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  const phones = {} as Record<Who, Phone>;
  let api: NetnsHotline['api'];

  beforeAll(async () => {
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(94, ['--digest-algorithms', 'MD5', '--log-level', 'warn']));
    const ext: Record<Who, string> = { customer: '8009', agent: '8001', second: '8003' };
    (Object.keys(TONE) as Who[]).forEach((who, i) => {
      phones[who] = startPhone({ netns: ns, user: ext[who], password: `demo-${ext[who]}`, server: srv, listenPort: 5070 + 2 * i, toneHz: TONE[who], autoAnswer: who !== 'customer' });
    });
    await Promise.all(Object.values(phones).map((p) => p.waitRegistered()));
  }, 60_000);

  afterAll(async () => {
    for (const p of Object.values(phones)) {
      await p.stop();
      removePhoneDir(p);
    }
    await server?.stop();
    ns?.destroy();
  });

  it('95001 queues with music, the ready agent is offered the call and talks; the phone transfers it by REFER', async () => {
    phones.customer.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);
    const [queued] = await until('a queued call', () => api('GET', '/api/v1/calls').json as View[], (v) => v.length === 1 && v[0]!.state === 'queued');
    const ix = queued!.id;
    const t0 = Date.now();
    await sleep(3000);
    const tReady = Date.now();
    for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/8001/${step}`).status).toBe(200);
    await until('the agent talks', () => api('GET', `/api/v1/interactions/${ix}`).json as View, (v) => v.state === 'talking' && v.agentId === '8001');
    const tTalk = Date.now();
    await sleep(3000);
    const tRefer = Date.now();
    phones.agent.command(`/transfer sip:8003@${ns.serverAddress}:${server.sipPort}`);
    await until('8003 talks', () => api('GET', `/api/v1/interactions/${ix}`).json as View, (v) => v.state === 'talking' && v.agentId === '8003', 15_000);
    const tSecond = Date.now();
    await sleep(3000);
    const tEnd = Date.now();
    phones.customer.command('/hangup');
    await until('the call ends', () => (api('GET', `/api/v1/interactions/${ix}`).json as View).state, (s) => s === 'ended');
    await sleep(1000);

    const cust = new PhoneRecording(phones.customer.heardWav(), tEnd);
    const agent = new PhoneRecording(phones.agent.heardWav(), tRefer);
    const second = new PhoneRecording(phones.second.heardWav(), tEnd);
    const probes = Object.values(TONE);
    const q = cust.heard(t0, tReady, probes);
    const talk = { customer: cust.heard(tTalk, tRefer, probes), agent: agent.heard(tTalk, tRefer, probes) };
    const moved = { customer: cust.heard(tSecond, tEnd, probes), second: second.heard(tSecond, tEnd, probes) };
    const msg = JSON.stringify({ q, talk, moved });
    console.log(`switch-queue audio: ${msg}`);
    expect(q.musicShare, msg).toBeGreaterThan(0.5);
    expect(q.tones[TONE.agent], msg).toBeLessThan(ABSENT);
    expect(talk.customer.tones[TONE.agent], msg).toBeGreaterThan(PRESENT);
    expect(talk.customer.musicShare, msg).toBeLessThan(0.1);
    expect(talk.agent.tones[TONE.customer], msg).toBeGreaterThan(PRESENT);
    expect(moved.customer.tones[TONE.second], msg).toBeGreaterThan(PRESENT);
    expect(moved.customer.tones[TONE.agent], msg).toBeLessThan(ABSENT);
    expect(moved.second.tones[TONE.customer], msg).toBeGreaterThan(PRESENT);
  }, 90_000);
});

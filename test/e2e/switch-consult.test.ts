/**
 * Consult, alternate, conference (up to one customer and three agents),
 * supervision and attended transfer with five real phones, each proven by the tone matrix (issue 4; CTI-3, CTI-4, TEL-4,
 * SUP-2; DESIGN.md "How audio is checked in tests"):
 *
 *   8001 agent        700 Hz   dials 8002
 *   8002 customer     400 Hz   answers by itself
 *   8003 second agent 1100 Hz  answers by itself (consulted)
 *   8100 supervisor   1500 Hz  answers by itself (monitor, whisper, barge)
 *   8004 third agent  1650 Hz  answers by itself (the four-way conference)
 *
 * Every step is driven through the HTTP API; each span is then checked for
 * who hears whom in each phone's recording of what it heard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removePhoneDir, startPhone, type Phone } from '../support/baresip-phone.ts';
import { PhoneRecording, sleep, until, type Heard } from '../support/call-audio.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';
import { hotlineInNetns, type NetnsHotline } from '../support/netns-hotline.ts';

const skip = netnsUnavailable();
const TONE = { agent: 700, customer: 400, second: 1100, supervisor: 1500, third: 1650 } as const;
type Who = keyof typeof TONE;
const WHO = Object.keys(TONE) as Who[];
const EXT: Record<Who, string> = { agent: '8001', customer: '8002', second: '8003', supervisor: '8100', third: '8004' };
// Heard tones arrive near -7 dBFS. baresip's own sine (48 kHz, resampled, G.711) carries
// spurs about 48 dB under its tone, so "absent" is set well above them and far below "present".
const PRESENT = -35;
const ABSENT = -45;
const SPAN_MS = 3000;

interface View {
  id: string;
  state: string;
  agentId?: string;
}

describe.skipIf(skip)(`switch: consult, alternate, conference, supervision, transfer with five phones (CTI-3, CTI-4, TEL-4, SUP-2)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  const phones = {} as Record<Who, Phone>;
  let api: NetnsHotline['api'];

  beforeAll(async () => {
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(95, ['--digest-algorithms', 'MD5', '--log-level', 'warn']));
    WHO.forEach((who, i) => {
      phones[who] = startPhone({ netns: ns, user: EXT[who], password: `demo-${EXT[who]}`, server: srv, listenPort: 5070 + 2 * i, toneHz: TONE[who], autoAnswer: who !== 'agent' });
    });
    await Promise.all(WHO.map((w) => phones[w].waitRegistered()));
  }, 60_000);

  afterAll(async () => {
    for (const w of WHO) {
      await phones[w]?.stop();
      if (phones[w]) removePhoneDir(phones[w]);
    }
    await server?.stop();
    ns?.destroy();
  });

  const post = (path: string, body: object, state?: string) => {
    const r = api('POST', path, body);
    expect([path, r.status], JSON.stringify(r.json)).toEqual([path, 200]);
    if (state !== undefined) expect((r.json as View).state).toBe(state);
  };
  /** When each phone's call was known to be talking (the API said so), for PhoneRecording's shortfall. */
  const starts: Partial<Record<Who, number>> = {};
  const talkingCall = async (): Promise<string> => {
    phones.agent.command(`/dial sip:8002@${ns.serverAddress}:${server.sipPort}`);
    const calls = await until('a talking call', () => api('GET', '/api/v1/calls').json as View[], (v) => v.length === 1 && v[0]!.state === 'talking');
    starts.agent = starts.customer = Date.now();
    return calls[0]!.id;
  };
  /** Marks the start of a span and waits for it to last. */
  const spans: [string, number][] = [];
  const span = async (name: string) => {
    spans.push([name, Date.now()]);
    await sleep(SPAN_MS);
  };
  /** Who each phone heard in each span, from the WAVs; `ends` is when each phone's call ended. */
  const analyse = (ends: Partial<Record<Who, number>>, lastEnd: number) => {
    const present = WHO.filter((w) => ends[w] !== undefined);
    const rec = Object.fromEntries(present.map((w) => [w, new PhoneRecording(phones[w].heardWav(), ends[w]!, starts[w])])) as Record<Who, PhoneRecording>;
    console.log(`switch-consult: seconds each phone's recording lacks of its call: ${JSON.stringify(Object.fromEntries(present.map((w) => [w, Math.round(rec[w].shortfallS * 100) / 100])))}`);
    const out: Record<string, Record<string, Heard>> = {};
    spans.forEach(([name, from], i) => {
      const to = spans[i + 1]?.[1] ?? lastEnd;
      // A phone that joined later (the supervisor) or left earlier has no recording of that span.
      // A span is cut at the end of a phone's call (the API calls between an
      // operation and the next span's mark take time on a loaded machine).
      // A span is also cut at the start of a phone's recording: on a loaded
      // machine a phone's audio (and so its WAV) can start most of a second
      // after the API reports the call talking. A phone counts for a span when
      // its recording covers its two margins and 0.5 s to analyse.
      const start = (w: Who) => Math.max(from, ends[w]! - rec[w].durationS * 1000);
      const inRange = present.filter((w) => Math.min(to, ends[w]!) - start(w) >= 2 * rec[w].marginS * 1000 + 500);
      out[name] = Object.fromEntries(inRange.map((w) => [w, rec[w].heard(start(w), Math.min(to, ends[w]!), Object.values(TONE))]));
    });
    return out;
  };
  /** listener hears exactly `heard` of the phones (and music when asked). */
  const expectHears = (m: Record<string, Record<string, Heard>>, spanName: string, listener: Who, heard: (Who | 'music')[]) => {
    const h = m[spanName]?.[listener];
    if (h === undefined) throw new Error(`${spanName}: no recording of ${listener} covers the span (analysed: ${JSON.stringify(Object.keys(m[spanName] ?? {}))})`);
    // Three loud tones summed stay clean: the mixer limits instead of clipping, so no distortion product can pose as an absent phone's tone.
    const msg = `${spanName}: ${listener} heard ${JSON.stringify(h)}`;
    for (const w of WHO) {
      if (w === listener) continue;
      if (heard.includes(w)) expect(h.tones[TONE[w]], msg).toBeGreaterThan(PRESENT);
      else expect(h.tones[TONE[w]], msg).toBeLessThan(ABSENT);
    }
    if (heard.includes('music')) expect(h.musicShare, msg).toBeGreaterThan(0.5);
    else expect(h.musicShare, msg).toBeLessThan(0.1);
  };

  it('consult, alternate, conference, then monitor, whisper and barge by the supervisor', async () => {
    spans.length = 0;
    for (const w of WHO) delete starts[w];
    const ix = await talkingCall();
    await span('talking');
    post(`/api/v1/interactions/${ix}/consult`, { agentId: '8001', target: { agentId: '8003' } }, 'consulting');
    await until('the consulted agent answers', () => api('GET', `/api/v1/interactions/${ix}`).json as { legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === '8003' && l.state === 'connected'));
    starts.second = Date.now();
    await span('consult');
    post(`/api/v1/interactions/${ix}/alternate`, { agentId: '8001' });
    await span('alternate');
    post(`/api/v1/interactions/${ix}/conference`, { agentId: '8001' }, 'conferencing');
    await span('conference');
    post('/api/v1/agents/8001/monitor', { supervisorId: '8100' });
    await until('the supervisor joins', () => api('GET', `/api/v1/interactions/${ix}`).json as { supervisors: unknown[]; legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === '8100' && l.state === 'connected'));
    starts.supervisor = Date.now();
    await span('monitor');
    post('/api/v1/agents/8001/whisper', { supervisorId: '8100' });
    await span('whisper');
    post('/api/v1/agents/8001/barge', { supervisorId: '8100' });
    await span('barge');
    const endedAt = Date.now();
    post('/api/v1/agents/8001/force-release', { supervisorId: '8100' }, 'ended');
    await sleep(1000); // every phone got BYE and closed its recording

    const m = analyse({ agent: endedAt, customer: endedAt, second: endedAt, supervisor: endedAt }, endedAt);
    console.log(`switch-consult audio: ${JSON.stringify(m)}`);
    expectHears(m, 'talking', 'customer', ['agent']);
    expectHears(m, 'talking', 'agent', ['customer']);
    // consult: the customer hears music only; the agent and the consulted agent talk
    expectHears(m, 'consult', 'customer', ['music']);
    expectHears(m, 'consult', 'agent', ['second']);
    expectHears(m, 'consult', 'second', ['agent']);
    // alternate: back with the customer; the consulted agent waits with music
    expectHears(m, 'alternate', 'agent', ['customer']);
    expectHears(m, 'alternate', 'customer', ['agent']);
    expectHears(m, 'alternate', 'second', ['music']);
    // conference: everyone hears everyone
    expectHears(m, 'conference', 'customer', ['agent', 'second']);
    expectHears(m, 'conference', 'agent', ['customer', 'second']);
    expectHears(m, 'conference', 'second', ['customer', 'agent']);
    // monitor: the supervisor hears all, nobody hears the supervisor
    expectHears(m, 'monitor', 'supervisor', ['customer', 'agent', 'second']);
    expectHears(m, 'monitor', 'customer', ['agent', 'second']);
    expectHears(m, 'monitor', 'agent', ['customer', 'second']);
    // whisper: only the agent hears the supervisor
    expectHears(m, 'whisper', 'agent', ['customer', 'second', 'supervisor']);
    expectHears(m, 'whisper', 'customer', ['agent', 'second']);
    expectHears(m, 'whisper', 'second', ['customer', 'agent']);
    // barge: everyone hears the supervisor
    expectHears(m, 'barge', 'customer', ['agent', 'second', 'supervisor']);
    expectHears(m, 'barge', 'second', ['customer', 'agent', 'supervisor']);
  }, 90_000);

  it('attended transfer keeps the call data; the supervisor intercepts the new agent and keeps the customer (CTI-4, CTI-5, SUP-2)', async () => {
    spans.length = 0;
    for (const w of WHO) delete starts[w];
    await sleep(1100); // new recordings get a later file name (sndfile names them by the second)
    const ix = await talkingCall();
    post(`/api/v1/interactions/${ix}/data`, { callData: { ticket: 'T-42', verified: true } });
    post(`/api/v1/interactions/${ix}/consult`, { agentId: '8001', target: { agentId: '8003' } }, 'consulting');
    await until('the consulted agent answers', () => api('GET', `/api/v1/interactions/${ix}`).json as { legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === '8003' && l.state === 'connected'));
    starts.second = Date.now();
    await sleep(500);
    const transferredAt = Date.now();
    post(`/api/v1/interactions/${ix}/transfer`, { agentId: '8001' }, 'talking');
    const after = api('GET', `/api/v1/interactions/${ix}`).json as View & { callData: Record<string, unknown> };
    expect(after).toMatchObject({ agentId: '8003', callData: { ticket: 'T-42', verified: true } });
    await span('transferred');
    post('/api/v1/agents/8003/monitor', { supervisorId: '8100' });
    await until('the supervisor joins', () => api('GET', `/api/v1/interactions/${ix}`).json as { legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === '8100' && l.state === 'connected'));
    starts.supervisor = Date.now();
    await sleep(500);
    const interceptedAt = Date.now();
    post('/api/v1/agents/8003/intercept', { supervisorId: '8100' }, 'talking');
    expect((api('GET', `/api/v1/interactions/${ix}`).json as View).agentId).toBe('8100');
    await span('intercepted');
    const endedAt = Date.now();
    phones.customer.command('/hangup');
    await until('the call ends', () => (api('GET', `/api/v1/interactions/${ix}`).json as View).state, (st) => st === 'ended');
    await sleep(1000);

    const m = analyse({ customer: endedAt, second: interceptedAt, supervisor: endedAt, agent: transferredAt }, endedAt);
    console.log(`switch-transfer audio: ${JSON.stringify(m)}`);
    expectHears(m, 'transferred', 'customer', ['second']);
    expectHears(m, 'transferred', 'second', ['customer']);
    expectHears(m, 'intercepted', 'customer', ['supervisor']);
    expectHears(m, 'intercepted', 'supervisor', ['customer']);
  }, 90_000);

  it('conference of one customer and three agents; a fifth member is refused; one agent leaves and the rest go on (TEL-4, CTI-3)', async () => {
    spans.length = 0;
    for (const w of WHO) delete starts[w];
    await sleep(1100); // new recordings get a later file name (sndfile names them by the second)
    const ix = await talkingCall();
    const joined = async (agentId: string) => {
      await until(`${agentId} answers`, () => api('GET', `/api/v1/interactions/${ix}`).json as { legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === agentId && l.state === 'connected'));
      const who = WHO.find((w) => EXT[w] === agentId);
      if (who) starts[who] = Date.now();
    };
    post(`/api/v1/interactions/${ix}/consult`, { agentId: '8001', target: { agentId: '8003' } }, 'consulting');
    await joined('8003');
    post(`/api/v1/interactions/${ix}/conference`, { agentId: '8001' }, 'conferencing');
    post(`/api/v1/interactions/${ix}/consult`, { agentId: '8001', target: { agentId: '8004' } }, 'consulting');
    await joined('8004');
    post(`/api/v1/interactions/${ix}/conference`, { agentId: '8001' }, 'conferencing');
    await span('four-way');
    // The default maximum is four members (one customer and three agents): a fifth is refused with a typed 409, nothing changes.
    post(`/api/v1/interactions/${ix}/consult`, { agentId: '8001', target: { agentId: '8100' } }, 'consulting');
    await joined('8100');
    const full = api('POST', `/api/v1/interactions/${ix}/conference`, { agentId: '8001' });
    expect(full.status, JSON.stringify(full.json)).toBe(409);
    expect(full.json).toMatchObject({ error: { code: 'BRIDGE_FULL' } });
    post(`/api/v1/interactions/${ix}/reconnect`, { agentId: '8001' }, 'conferencing');
    await until('the fifth party is released', () => api('GET', `/api/v1/interactions/${ix}`).json as { legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === '8100' && l.state === 'terminated'));
    await span('four-way again');
    // The second agent hangs up its phone: the other three go on.
    const secondLeftAt = Date.now();
    phones.second.command('/hangup');
    await until('three members left', () => api('GET', `/api/v1/interactions/${ix}`).json as { legs: { party: { id: string }; state: string }[] }, (v) => v.legs.some((l) => l.party.id === '8003' && l.state === 'terminated'));
    expect((api('GET', `/api/v1/interactions/${ix}`).json as View).state).toBe('conferencing');
    await span('three left');
    const endedAt = Date.now();
    phones.customer.command('/hangup');
    await until('the call ends', () => (api('GET', `/api/v1/interactions/${ix}`).json as View).state, (st) => st === 'ended');
    await sleep(1000);

    const m = analyse({ customer: endedAt, agent: endedAt, second: secondLeftAt, third: endedAt }, endedAt);
    console.log(`switch-conference audio: ${JSON.stringify(m)}`);
    for (const name of ['four-way', 'four-way again']) {
      expectHears(m, name, 'customer', ['agent', 'second', 'third']);
      expectHears(m, name, 'agent', ['customer', 'second', 'third']);
      expectHears(m, name, 'second', ['customer', 'agent', 'third']);
      expectHears(m, name, 'third', ['customer', 'agent', 'second']);
    }
    expectHears(m, 'three left', 'customer', ['agent', 'third']);
    expectHears(m, 'three left', 'agent', ['customer', 'third']);
    expectHears(m, 'three left', 'third', ['customer', 'agent']);
  }, 120_000);
});

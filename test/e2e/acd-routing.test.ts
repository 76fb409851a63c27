/**
 * The ACD end to end with real peers (issue 5; ACD-2, ACD-3, ACD-4, ACD-5):
 * `hotline start` with the demo ACD (customer-level, then skill-first, then
 * longest-idle; 15 s ring time; position announcement after 15 s), baresip
 * agents 8004 (never answers), 8007 and 8005 (auto-answer) made ready
 * through the API, sipp customers calling 95001:
 *   - the first call is offered to 8004 (closest grade and best skill), who
 *     does not answer: after the ring time 8004 is not ready with reason
 *     RONA (counted) and the call reaches the next agent by the strategy, 8007;
 *   - the second call goes to the only ready agent left, 8005;
 *   - a third caller (a baresip phone) waits with every agent busy: it hears
 *     queue music, then the position announcement (speech where the music
 *     stops), proven by analysing the audio it received; it gives up, which
 *     is counted as an abandon.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmsDbfs, toneDbfs } from '../audio/analysis.ts';
import { MELODY_FREQUENCIES } from '../../src/switch/runtime/hold-music.ts';
import { startPhone, type Phone } from '../support/baresip-phone.ts';
import { PhoneRecording, sleep, until } from '../support/call-audio.ts';
import { writeTonePcap } from '../support/gateway-audio.ts';
import { netnsUnavailable, type Netns } from '../support/netns.ts';
import type { HotlineProcess } from '../support/server.ts';
import { hotlineInNetns, tearDownNetnsTest, type NetnsHotline } from '../support/netns-hotline.ts';
import { runSippPeer, type SippPeer } from '../support/sipp-peer.ts';

const skip = netnsUnavailable();
const SCENARIO = join(import.meta.dirname, '..', 'sipp', 'gateway-uac-wait-bye.xml');

interface Agent {
  id: string;
  state: string;
  reason?: string;
  interactionId?: string;
  counters: { ronaCount: number; answered: number };
}
interface Queue {
  id: string;
  waiting: number;
  counters: { entered: number; answered: number; abandoned: number };
}

describe.skipIf(skip)(`ACD with real peers: strategy, RONA to the next agent, position announcement (ACD-2, ACD-3, ACD-4, ACD-5)${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  let ns: Netns;
  let server: HotlineProcess;
  let api: NetnsHotline['api'];
  const agents: Record<string, Phone> = {};
  let caller: Phone;
  const sipps: SippPeer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'acd-e2e-'));
  const agentsNow = () => api('GET', '/api/v1/agents').json as Agent[];
  const agent = (id: string) => agentsNow().find((a) => a.id === id)!;

  beforeAll(async () => {
    let srv: string;
    ({ ns, server, api, srv } = await hotlineInNetns(93, ['--digest-algorithms', 'MD5', '--log-level', 'warn']));
    const phones: [string, boolean, number][] = [
      ['8004', false, 700],
      ['8007', true, 1100],
      ['8005', true, 1500],
    ];
    phones.forEach(([ext, auto, hz], i) => {
      agents[ext] = startPhone({ netns: ns, user: ext, password: `demo-${ext}`, server: srv, listenPort: 5070 + 2 * i, toneHz: hz, autoAnswer: auto });
    });
    caller = startPhone({ netns: ns, user: '8009', password: 'demo-8009', server: srv, listenPort: 5080, toneHz: 400 });
    await Promise.all([...Object.values(agents), caller].map((p) => p.waitRegistered()));
    mkdirSync(join(dir, 'sipp'), { recursive: true });
    writeTonePcap(join(dir, 'sipp', 'tone.pcap'), 400, 4000);
  }, 60_000);

  afterAll(async () => {
    for (const s of sipps) s.kill();
    await tearDownNetnsTest({ phones: [...Object.values(agents), caller], server, ns, dir });
  });

  const sippCustomer = (port: number) => {
    const s = runSippPeer(
      ns,
      [`${ns.serverAddress}:${server.sipPort}`, '-sf', SCENARIO, '-s', '95001', '-i', ns.phoneAddress, '-p', String(port), '-mi', ns.phoneAddress, '-mp', String(port + 1000), '-m', '1', '-timeout', '120s', '-timeout_error'],
      join(dir, 'sipp'),
    );
    sipps.push(s);
    return s;
  };

  it('routes by the strategy, re-offers after RONA, announces the position to a waiting caller', async () => {
    for (const ext of ['8004', '8007', '8005']) {
      for (const step of ['login', 'ready']) expect(api('POST', `/api/v1/agents/${ext}/${step}`).status).toBe(200);
    }

    // Call 1: the strategy picks 8004, whose phone rings unanswered.
    const c1 = sippCustomer(5090);
    const ringing = await until('8004 reserved', agentsNow, (l) => l.find((a) => a.id === '8004')?.state === 'reserved');
    expect(ringing.filter((a) => ['8007', '8005'].includes(a.id)).map((a) => a.state)).toEqual(['ready', 'ready']);
    const ix1 = ringing.find((a) => a.id === '8004')!.interactionId!;
    await agents['8004']!.waitFor(/Incoming call/i, 10_000);

    // After the 15 s ring time: RONA, counted, and 8007 (next by the strategy, auto-answer) talks.
    const talking = await until('8007 talks after RONA', agentsNow, (l) => l.find((a) => a.id === '8007')?.state === 'talking', 25_000);
    expect(talking.find((a) => a.id === '8004')).toMatchObject({ state: 'not-ready', reason: 'RONA', counters: { ronaCount: 1 } });
    expect(talking.find((a) => a.id === '8007')!.interactionId).toBe(ix1);
    expect(talking.find((a) => a.id === '8005')!.state).toBe('ready');

    // Call 2: the only ready agent left.
    const c2 = sippCustomer(5094);
    await until('8005 talks', () => agent('8005').state, (s) => s === 'talking', 15_000);

    // Call 3: nobody free; the caller hears music, then the position announcement after 15 s.
    caller.command(`/dial sip:95001@${ns.serverAddress}:${server.sipPort}`);
    await until('a call waits', () => api('GET', '/api/v1/queues').json as Queue[], (q) => q[0]!.waiting === 1);
    const t0 = Date.now();
    await sleep(24_000);
    const tEnd = Date.now();
    caller.command('/hangup');
    await until('the waiting call is abandoned', () => (api('GET', '/api/v1/queues').json as Queue[])[0]!, (q) => q.waiting === 0 && q.counters.abandoned === 1);
    await sleep(500);
    const heard = new PhoneRecording(caller.heardWav(), tEnd);
    const music = heard.heard(t0 + 2000, t0 + 14_000, []);
    const waited = speechStretches(heard, tEnd, t0 + 2000, t0 + 14_000);
    const announced = speechStretches(heard, tEnd, t0 + 14_000, tEnd - 500);
    const whole = speechStretches(heard, tEnd, t0 + 2000, tEnd - 500);
    const msg = JSON.stringify({ music, waited, announced, whole });
    console.log(`acd-routing audio: ${msg}`);
    expect(music.musicShare, msg).toBeGreaterThan(0.5);
    expect(waited.longestMs, msg).toBeLessThan(1000);
    // The announcement: seconds of sound that is not the queue melody, from the 15 s first-announcement time on.
    expect(announced.totalMs, msg).toBeGreaterThanOrEqual(2500);
    expect(announced.longestMs, msg).toBeGreaterThanOrEqual(1000);
    // The first second-long stretch of speech comes after the 15 s of music
    // (t0 is taken when the API first shows the call waiting, just after it
    // entered) and within a few seconds of the announcement's start (the
    // speech has short pauses between words).
    expect(whole.firstRunMs! - t0, msg).toBeGreaterThanOrEqual(13_500);
    expect(whole.firstRunMs! - t0, msg).toBeLessThanOrEqual(20_000);

    // The agents end their calls; the sipp customers get their BYE and finish cleanly.
    agents['8007']!.command('/hangup');
    agents['8005']!.command('/hangup');
    const [r1, r2] = await Promise.all([c1.done, c2.done]);
    expect([r1.code, r2.code], `${r1.output.slice(-800)}\n${r2.output.slice(-800)}`).toEqual([0, 0]);
    const q = (api('GET', '/api/v1/queues').json as Queue[])[0]!;
    expect(q.counters).toMatchObject({ entered: 3, answered: 2, abandoned: 1 });
    expect(agentsNow().filter((a) => ['8007', '8005'].includes(a.id)).map((a) => [a.id, a.state, a.counters.answered])).toEqual([
      ['8005', 'wrap-up', 1],
      ['8007', 'wrap-up', 1],
    ]);
  }, 150_000);
});

/**
 * Speech between two wall-clock instants, in 250 ms slices that carry sound
 * (above -45 dBFS) with no queue-melody note standing out (-35 dBFS): not
 * music and not silence. Total, longest run, the first such slice and the
 * start of the first run of a second or more.
 */
function speechStretches(rec: PhoneRecording, endedAt: number, fromMs: number, toMs: number): { totalMs: number; longestMs: number; firstMs?: number; firstRunMs?: number } {
  const at = (t: number) => Math.max(0, Math.round((rec.durationS - (endedAt - t) / 1000) * 8000));
  const a = at(fromMs);
  const b = Math.min(rec.samples.length, at(toMs));
  let total = 0;
  let best = 0;
  let run = 0;
  let first: number | undefined;
  let firstRun: number | undefined;
  for (let off = a; off + 2000 <= b; off += 2000) {
    const slice = rec.samples.subarray(off, off + 2000);
    const melody = Math.max(...MELODY_FREQUENCIES.map((f) => toneDbfs(slice, f)));
    const speech = rmsDbfs(slice) > -45 && melody < -35;
    run = speech ? run + 1 : 0;
    best = Math.max(best, run);
    if (run === 4) firstRun ??= Math.round(fromMs + ((off - 3 * 2000 - a) / 8000) * 1000);
    if (speech) {
      total++;
      first ??= Math.round(fromMs + ((off - a) / 8000) * 1000);
    }
  }
  return { totalMs: total * 250, longestMs: best * 250, ...(first !== undefined ? { firstMs: first } : {}), ...(firstRun !== undefined ? { firstRunMs: firstRun } : {}) };
}

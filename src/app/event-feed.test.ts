// The stream's feed from a real SwitchRuntime (over the runtime's test
// fakes): the screen pop names its agent and carries the call, DTMF never
// enters the stream.
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../api/event-stream.ts';
import { runtimeKit, settle } from '../switch/runtime/test-kit.ts';
import { eventFeed } from './event-feed.ts';

describe('event feed for /api/v1/events (CTI-6)', () => {
  it('interaction.offered is the screen pop: agentId and the call view; no dtmf', async () => {
    const k = runtimeKit();
    const got: StreamEvent[] = [];
    const off = eventFeed(k.runtime).subscribe((e) => got.push(e));
    const cust = k.gateway.inbound('13800000001', '95001');
    await settle();
    const ix = k.queue.enqueued.at(-1)!.interactionId;
    await k.runtime.attachData(ix, { account: '10000001' });
    await k.runtime.offerToAgent(ix, '8001', { autoAnswer: true, ringTimeoutMs: 15000 });
    await settle();
    k.gateway.emit({ type: 'dtmf', legId: cust, digit: '5' });
    await settle();
    off();
    const pop = got.find((e) => e.type === 'interaction.offered');
    expect(pop).toMatchObject({ source: 'switch', interaction: ix, agentId: '8001', call: { customer: { number: '13800000001' }, entryPoint: '95001', queueId: 'general', callData: { account: '10000001' } } });
    expect((pop as unknown as { call: { state: string; legs: { party: { kind: string } }[] } }).call).toMatchObject({ state: 'ringing', legs: expect.arrayContaining([expect.objectContaining({ party: { kind: 'agent', id: '8001' } })]) });
    expect(got.find((e) => e.type === 'leg.state' && (e['party'] as { kind: string }).kind === 'agent')).toMatchObject({ agentId: '8001' });
    expect(got.some((e) => e.type === 'dtmf')).toBe(false);
    expect(got.every((e) => typeof e.at === 'number' && e.source === 'switch')).toBe(true);
  });
});

describe('event feed: ACD kinds for the agent desktop (CTI-7, ACD-7, CTI-6)', () => {
  it('offered and connected carry the queue limit and the blacklist flag; service-time follows; queue-waiting counts the line', async () => {
    const { FakeClock } = await import('../shared/clock.ts');
    const { parseAcdConfig } = await import('../acd/service/acd-config.ts');
    const { AcdService } = await import('../acd/service/acd-service.ts');
    const { FakeSwitch, RecordingTreatment } = await import('../acd/service/test-kit.ts');
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 2, 0));
    const acd = new AcdService({
      clock,
      config: parseAcdConfig({
        agents: [{ id: '8001', skills: { general: 5 } }],
        queues: [{ id: 'general', requiredSkills: [{ skill: 'general' }], serviceTimeLimitMs: 60_000, serviceTimeReminderMs: 20_000 }],
        entryPoints: [{ id: 'general', numbers: ['95001'], queue: 'general', blacklistMode: 'flag' }],
        blacklist: [{ number: '13900000666' }],
      }),
    });
    const sw = new FakeSwitch(clock);
    sw.queuePort = acd;
    acd.attach(sw, new RecordingTreatment(sw));
    const got: StreamEvent[] = [];
    const off = eventFeed(runtimeKit().runtime, acd).subscribe((e) => got.push(e));
    const ix = sw.call('13900000666', { entryPoint: '95001' });
    await settle();
    expect(got.filter((e) => e.type === 'queue-waiting').at(-1)).toMatchObject({ source: 'acd', queueId: 'general', waiting: 1 });
    acd.control.act('8001', 'login');
    acd.control.act('8001', 'ready');
    await settle();
    expect(got.find((e) => e.type === 'offered')).toMatchObject({ agentId: '8001', interaction: ix, blacklistWarning: true, serviceTimeLimitMs: 60_000, serviceTimeReminderMs: 20_000 });
    sw.answer(ix);
    await settle();
    expect(got.find((e) => e.type === 'connected')).toMatchObject({ agentId: '8001', interaction: ix, serviceTimeLimitMs: 60_000, serviceTimeReminderMs: 20_000 });
    expect(got.filter((e) => e.type === 'queue-waiting').at(-1)).toMatchObject({ waiting: 0 });
    clock.advance(40_000);
    await settle();
    expect(got.filter((e) => e.type === 'service-time')).toEqual([expect.objectContaining({ agentId: '8001', interaction: ix, limitMs: 60_000, remainingMs: 20_000 })]);
    clock.advance(20_000);
    await settle();
    expect(got.filter((e) => e.type === 'service-time').map((e) => e['remainingMs'])).toEqual([20_000, 0]);
    off();
  });
});

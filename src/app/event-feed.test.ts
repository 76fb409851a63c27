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
    expect(got.some((e) => e.type === 'dtmf')).toBe(false);
    expect(got.every((e) => typeof e.at === 'number' && e.source === 'switch')).toBe(true);
  });
});

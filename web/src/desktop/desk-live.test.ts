import { describe, expect, it } from 'vitest';
import type { StreamFrame } from '../api/event-stream-client.ts';
import type { AgentStatus, Interaction, QueueStatus } from '../api/types.ts';
import { deskCallOf } from './desk-call.ts';
import {
  applyAgentFrame, applyBlacklistFrame, applyCallFrame, applyDirectoryFrame, applyQueueFrame, applyServiceFrame, deskPollMs, DESK_FALLBACK_MS, formatCountdown, serviceClock, serviceTimerFromSnapshot, type ServiceTimer,
} from './desk-live.ts';

let seq = 0;
const frame = (source: 'switch' | 'acd', type: string, over: Partial<StreamFrame> = {}): StreamFrame => ({ v: 1, seq: ++seq, source, type, at: 1_000_000, ...over });

const agent: AgentStatus = {
  id: '8001', extension: '8001', state: 'ready', since: '2026-01-01T00:00:00.000Z',
  counters: { offered: 0, answered: 0, ronaCount: 0, notReadyCount: 0, notReadyMs: 0, onlineMs: 0, talkMs: 0, wrapUpMs: 0, transfers: 0, consults: 0 },
};

const offered = frame('switch', 'interaction.offered', {
  interaction: 'ix-1', agentId: '8001', leg: 'l-2', party: { kind: 'agent', id: '8001' },
  call: {
    state: 'ringing', customer: { number: '13800000001' }, entryPoint: '95001', queueId: 'general', callData: { account: '1' }, startedAt: '2026-01-01T00:00:00.000Z',
    legs: [
      { id: 'l-1', party: { kind: 'customer', id: '13800000001' }, direction: 'inbound', state: 'connected', createdAt: 1 },
      { id: 'l-2', party: { kind: 'agent', id: '8001' }, direction: 'outbound', state: 'ringing', createdAt: 2 },
    ],
  },
});

describe('desk on the event stream: polling only as the fallback (CTI-1, CTI-6)', () => {
  it('no poll while the stream is live; the fallback otherwise', () => {
    expect(deskPollMs('live')).toBeUndefined();
    for (const l of ['connecting', 'down', 'refused'] as const) expect(deskPollMs(l)).toBe(DESK_FALLBACK_MS);
  });

  it('agent-state moves this agent only, with time, reason and the call it is on', () => {
    expect(applyAgentFrame(agent, frame('acd', 'agent-state', { agentId: '8002', to: 'talking' }))).toBe(agent);
    expect(applyAgentFrame(agent, frame('acd', 'agent-state', { agentId: '8001', to: 'bogus' }))).toBe(agent);
    const reserved = applyAgentFrame(agent, frame('acd', 'agent-state', { agentId: '8001', from: 'ready', to: 'reserved', interaction: 'ix-1' }))!;
    expect(reserved).toMatchObject({ state: 'reserved', since: new Date(1_000_000).toISOString(), interactionId: 'ix-1' });
    const talking = applyAgentFrame({ ...reserved, pendingNotReady: 'meal' }, frame('acd', 'agent-state', { agentId: '8001', to: 'talking' }))!;
    expect(talking).toMatchObject({ state: 'talking', interactionId: 'ix-1', pendingNotReady: 'meal' });
    const paused = applyAgentFrame(talking, frame('acd', 'agent-state', { agentId: '8001', to: 'not-ready', reason: 'meal' }))!;
    expect(paused).toMatchObject({ state: 'not-ready', reason: 'meal' });
    expect(paused.pendingNotReady).toBeUndefined();
    expect(paused.interactionId).toBeUndefined();
  });

  it('the screen pop brings the whole call; leg and interaction states follow; the end removes it', () => {
    let u = applyCallFrame([], offered);
    expect(u.stale).toBe(false);
    expect(deskCallOf(u.calls, '8001')).toMatchObject({ state: 'ringing', interaction: { id: 'ix-1', customer: { number: '13800000001' }, callData: { account: '1' } } });
    u = applyCallFrame(u.calls, frame('switch', 'leg.state', { interaction: 'ix-1', leg: 'l-2', party: { kind: 'agent', id: '8001' }, from: 'ringing', to: 'connected' }));
    u = applyCallFrame(u.calls, frame('switch', 'interaction.state', { interaction: 'ix-1', from: 'ringing', to: 'talking' }));
    expect(deskCallOf(u.calls, '8001').state).toBe('talking');
    expect(u.calls[0]!.legs[1]!.answerAt).toBe(1_000_000);
    u = applyCallFrame(u.calls, frame('switch', 'calldata.changed', { interaction: 'ix-1', callData: { account: '1', ticket: 'T-9' } }));
    expect(u.calls[0]!.callData).toEqual({ account: '1', ticket: 'T-9' });
    u = applyCallFrame(u.calls, frame('switch', 'interaction.state', { interaction: 'ix-1', to: 'consulting' }));
    u = applyCallFrame(u.calls, frame('switch', 'leg.state', { interaction: 'ix-1', leg: 'l-3', party: { kind: 'agent', id: '8003' }, to: 'ringing' }));
    expect(deskCallOf(u.calls, '8001').state).toBe('consult-dialing');
    u = applyCallFrame(u.calls, frame('switch', 'leg.state', { interaction: 'ix-1', leg: 'l-3', party: { kind: 'agent', id: '8003' }, to: 'connected' }));
    expect(deskCallOf(u.calls, '8001').state).toBe('consulting');
    const ended = applyCallFrame(u.calls, frame('switch', 'interaction.ended', { interaction: 'ix-1' }));
    expect(ended).toEqual({ calls: [], stale: false });
    expect(deskCallOf(ended.calls, '8001').state).toBe('idle');
  });

  it('an event about a call the desk does not hold asks for a reload; ACD events and unknown ends do not', () => {
    expect(applyCallFrame([], frame('switch', 'leg.state', { interaction: 'ix-9', leg: 'l-1', to: 'dialing', party: { kind: 'agent', id: '8001' } })).stale).toBe(true);
    expect(applyCallFrame([], frame('switch', 'interaction.offered', { interaction: 'ix-9' })).stale).toBe(true);
    expect(applyCallFrame([], frame('switch', 'interaction.ended', { interaction: 'ix-9' })).stale).toBe(false);
    const calls: Interaction[] = [];
    expect(applyCallFrame(calls, frame('acd', 'agent-state', { interaction: 'ix-9' })).calls).toBe(calls);
  });

  it('queue-waiting sets the waiting count of its queue', () => {
    const queues: QueueStatus[] = [{ id: 'general', waiting: 0, longestWaitSec: 0, serviceLevel: null, serviceLevelThresholdSec: 20, asaSec: null, ahtSec: 0 }];
    expect(applyQueueFrame(queues, frame('acd', 'queue-waiting', { queueId: 'general', waiting: 3 }))[0]!.waiting).toBe(3);
    expect(applyQueueFrame(queues, frame('acd', 'queue-waiting', { queueId: 'vip', waiting: 3 }))).toBe(queues);
  });
});

describe('service-time countdown (CTI-7)', () => {
  const connected = frame('acd', 'connected', { agentId: '8001', interaction: 'ix-1', at: 10_000, serviceTimeLimitMs: 60_000, serviceTimeReminderMs: 20_000 });

  it('starts at the answer with the queue limit; warning from the reminder; over at the limit', () => {
    const t = applyServiceFrame(undefined, connected, '8001')!;
    expect(t).toEqual({ interaction: 'ix-1', startAt: 10_000, limitMs: 60_000, reminderMs: 20_000 });
    expect(serviceClock(t, 10_000)).toEqual({ remainingMs: 60_000, phase: 'ok' });
    expect(serviceClock(t, 49_999).phase).toBe('ok');
    expect(serviceClock(t, 50_000)).toEqual({ remainingMs: 20_000, phase: 'warning' });
    expect(serviceClock(t, 70_000).phase).toBe('over');
    expect(serviceClock(t, 75_000)).toEqual({ remainingMs: -5_000, phase: 'over' });
  });

  it('other agents, queues without a limit and the end of the call', () => {
    expect(applyServiceFrame(undefined, { ...connected, agentId: '8002' }, '8001')).toBeUndefined();
    expect(applyServiceFrame(undefined, frame('acd', 'connected', { agentId: '8001', interaction: 'ix-1' }), '8001')).toBeUndefined();
    const t = applyServiceFrame(undefined, connected, '8001');
    expect(applyServiceFrame(t, frame('acd', 'call-ended', { agentId: '8001' }), '8001')).toBeUndefined();
    expect(applyServiceFrame(t, frame('acd', 'agent-state', { agentId: '8001', to: 'wrap-up' }), '8001')).toBeUndefined();
  });

  it('a service-time event alone (the desk opened mid-call) gives the start and the reminder', () => {
    const t = applyServiceFrame(undefined, frame('acd', 'service-time', { agentId: '8001', interaction: 'ix-1', at: 50_000, limitMs: 60_000, remainingMs: 20_000 }), '8001')!;
    expect(t).toEqual<ServiceTimer>({ interaction: 'ix-1', startAt: 10_000, limitMs: 60_000, reminderMs: 20_000 });
    expect(serviceClock(t, 50_000).phase).toBe('warning');
  });

  it('a desk loaded mid-call rebuilds it from the agent talking since `since` and the queue\'s limit; nothing without a limit or not talking', () => {
    const talking = { state: 'talking' as const, since: new Date(10_000).toISOString(), interactionId: 'ix-1' };
    const call = { id: 'ix-1', queueId: 'general' };
    const queues = [{ id: 'general', serviceTimeLimitSec: 60, serviceTimeReminderSec: 20 }, { id: 'vip' }];
    expect(serviceTimerFromSnapshot(talking, call, queues)).toEqual<ServiceTimer>({ interaction: 'ix-1', startAt: 10_000, limitMs: 60_000, reminderMs: 20_000 });
    expect(serviceTimerFromSnapshot(talking, { ...call, queueId: 'vip' }, queues)).toBeUndefined();
    expect(serviceTimerFromSnapshot({ ...talking, state: 'wrap-up' }, call, queues)).toBeUndefined();
    expect(serviceTimerFromSnapshot({ ...talking, interactionId: 'ix-9' }, call, queues)).toBeUndefined();
    expect(serviceTimerFromSnapshot(talking, undefined, queues)).toBeUndefined();
  });

  it('formats m:ss, minus once over', () => {
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(400)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-61_000)).toBe('-1:01');
  });
});

describe('blacklist warning (ACD-7)', () => {
  it('a flagged offer to this agent marks its call until the call ends', () => {
    const none: ReadonlySet<string> = new Set();
    const f = applyBlacklistFrame(none, frame('acd', 'offered', { agentId: '8001', interaction: 'ix-1', blacklistWarning: true }), '8001');
    expect([...f]).toEqual(['ix-1']);
    expect(applyBlacklistFrame(none, frame('acd', 'offered', { agentId: '8001', interaction: 'ix-2', blacklistWarning: false }), '8001')).toBe(none);
    expect(applyBlacklistFrame(none, frame('acd', 'offered', { agentId: '8002', interaction: 'ix-2', blacklistWarning: true }), '8001')).toBe(none);
    expect([...applyBlacklistFrame(f, frame('switch', 'interaction.ended', { interaction: 'ix-1' }), '8001')]).toEqual([]);
  });
});

describe('directory of agents (CTI-3, CTI-4)', () => {
  it('moves the agent an agent-state names; other frames and unknown agents leave the list as it is', () => {
    const list = [agent, { ...agent, id: '8002', extension: '8002' }];
    const moved = applyDirectoryFrame(list, frame('acd', 'agent-state', { agentId: '8002', to: 'talking', at: 5_000, interaction: 'ix-3' }));
    expect(moved[1]).toMatchObject({ id: '8002', state: 'talking', interactionId: 'ix-3', since: new Date(5_000).toISOString() });
    expect(moved[0]).toBe(list[0]);
    expect(applyDirectoryFrame(list, frame('acd', 'agent-state', { agentId: '8009', to: 'ready' }))).toBe(list);
    expect(applyDirectoryFrame(list, frame('switch', 'leg.state', { agentId: '8002' }))).toBe(list);
  });
});

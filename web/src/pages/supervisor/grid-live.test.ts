import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamFrame } from '../../api/event-stream-client.ts';
import type { AgentStatus } from '../../api/types.ts';
import { applyAgentState, Coalescer, gridRefreshMs } from './grid-live.ts';

const counters = { offered: 0, answered: 0, ronaCount: 0, notReadyCount: 0, notReadyMs: 0, onlineMs: 0, talkMs: 0, wrapUpMs: 0, transfers: 0, consults: 0 };
const rows: AgentStatus[] = [
  { id: '8001', extension: '8001', state: 'not-ready', since: '2026-12-06T12:00:00.000Z', reason: 'break', counters },
  { id: '8002', extension: '8002', state: 'ready', since: '2026-12-06T12:00:00.000Z', counters },
];
const frame = (f: Partial<StreamFrame> & Record<string, unknown>): StreamFrame => ({ v: 1, seq: 1, source: 'acd', type: 'agent-state', at: Date.UTC(2026, 11, 6, 12, 5), ...f });

describe('grid rows patched by agent-state events (SUP-1)', () => {
  it('the agent’s row takes the new state and its time, the old reason goes, the other rows stay as they were', () => {
    const out = applyAgentState(rows, frame({ agentId: '8001', from: 'not-ready', to: 'ready' }));
    expect(out[0]).toMatchObject({ id: '8001', state: 'ready', since: '2026-12-06T12:05:00.000Z', counters });
    expect(out[0]).not.toHaveProperty('reason');
    expect(out[1]).toBe(rows[1]);
    expect(rows[0]!.state).toBe('not-ready');
  });
  it('a new reason comes along', () => {
    expect(applyAgentState(rows, frame({ agentId: '8002', from: 'ready', to: 'not-ready', reason: 'meal' }))[1]).toMatchObject({ state: 'not-ready', reason: 'meal' });
  });
  it('other events, unknown agents and unknown states leave the rows alone', () => {
    for (const f of [
      frame({ source: 'switch', type: 'interaction.state', agentId: '8001', to: 'talking' }),
      frame({ type: 'offered', agentId: '8001' }),
      frame({ agentId: '9999', to: 'ready' }),
      frame({ agentId: '8001', to: 'dancing' }),
    ])
      expect(applyAgentState(rows, f)).toBe(rows);
  });
});

describe('grid polling (SUP-1)', () => {
  it('the chosen interval whatever the stream; with auto refresh off, none while the stream is live and the fallback while it is not', () => {
    expect(gridRefreshMs(2, 'live', 5)).toBe(2000);
    expect(gridRefreshMs(30, 'down', 5)).toBe(30_000);
    expect(gridRefreshMs(0, 'live', 5)).toBeUndefined();
    for (const l of ['connecting', 'down', 'refused'] as const) expect(gridRefreshMs(0, l, 5)).toBe(5000);
  });
});

describe('Coalescer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('runs at once, folds a burst into one more run at the end of the window, then is idle again', () => {
    vi.useFakeTimers();
    let runs = 0;
    const c = new Coalescer(() => runs++, 200);
    c.poke();
    expect(runs).toBe(1);
    for (let i = 0; i < 10; i++) c.poke();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(200);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(200);
    expect(runs).toBe(2);
    c.poke();
    expect(runs).toBe(3);
    c.stop();
    c.poke();
    expect(runs).toBe(4);
    c.poke();
    expect(runs).toBe(4);
    // now(): at once, the pending run folded into it, and a new window.
    c.now();
    expect(runs).toBe(5);
    vi.advanceTimersByTime(200);
    expect(runs).toBe(5);
    c.stop();
  });
});

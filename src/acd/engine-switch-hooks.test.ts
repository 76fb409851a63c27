// Engine hooks the switch drives (issue 5, ACD-4, ACD-7, ACD-9): offerFailed, the ring guard, queueSituation, Blacklist.list.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { AcdEngine } from './acd-engine.ts';
import type { AcdEvent } from './acd-events.ts';
import { Blacklist } from './blacklist.ts';

function setup(ringGuardMs?: number) {
  const clock = new FakeClock();
  const engine = new AcdEngine({ clock, ...(ringGuardMs !== undefined ? { ringGuardMs } : {}) });
  const events: AcdEvent[] = [];
  engine.events.on((e) => events.push(e));
  engine.defineQueue({ id: 'q', requiredSkills: [], ringTimeoutMs: 10_000 }, { initialAhtMs: 60_000 });
  for (const id of ['a1', 'a2']) {
    engine.addAgent({ id, level: 5, skills: {}, groups: [], autoAnswer: false });
    engine.login(id);
    engine.ready(id);
    clock.advance(1000);
  }
  return { clock, engine, events };
}

const call = { customerLevel: 'standard', media: 'voice' } as const;

describe('AcdEngine switch hooks (ACD-4)', () => {
  it.each([
    ['no-answer', 'RONA', 1, 'ring-no-answer'],
    ['busy', 'busy', 0, 'offer-failed'],
    ['unreachable', 'unreachable', 0, 'offer-failed'],
  ] as const)('offerFailed(%s): not ready with reason %s, RONA count %d, the contact goes to the next agent', (cause, reason, rona, type) => {
    const { engine, events } = setup();
    const e = engine.enqueue('q', call);
    expect(engine.offerFailed('a1', cause)).toBe(true);
    expect(engine.agentSnapshot('a1')).toMatchObject({ state: 'not-ready', reason, counters: { ronaCount: rona } });
    expect(events.find((x) => x.type === type)).toMatchObject({ entryId: e.id, agentId: 'a1' });
    expect(engine.agentSnapshot('a2')).toMatchObject({ state: 'reserved', entryId: e.id });
    // A late or repeated report changes nothing.
    expect(engine.offerFailed('a1', cause)).toBe(false);
  });

  it('the ring guard delays the engine’s own RONA past the ring time it announces', () => {
    const { clock, engine, events } = setup(3000);
    engine.enqueue('q', call);
    expect(events.find((x) => x.type === 'offered')).toMatchObject({ ringTimeoutMs: 10_000 });
    clock.advance(10_000);
    expect(engine.agentSnapshot('a1').state).toBe('reserved');
    clock.advance(3000);
    expect(engine.agentSnapshot('a1')).toMatchObject({ state: 'not-ready', reason: 'RONA' });
  });

  it('queueSituation: staffed agents, waiting contacts and the wait a newcomer faces (ACD-9 post-routing)', () => {
    const { engine } = setup();
    expect(engine.queueSituation('q')).toEqual({ staffed: 2, waiting: 0, estimatedWaitMs: 30_000 });
    engine.enqueue('q', call);
    engine.enqueue('q', call);
    engine.enqueue('q', call);
    expect(engine.queueSituation('q')).toEqual({ staffed: 2, waiting: 1, estimatedWaitMs: 60_000 });
  });
});

describe('Blacklist.list (ACD-7)', () => {
  it('lists exact then prefix entries with normalised numbers', () => {
    const b = new Blacklist([{ number: '0755', match: 'prefix', mode: 'hangup' }, { number: '+8613800000000' }]);
    expect(b.list().map((e) => [e.number, e.match, e.mode])).toEqual([
      ['13800000000', 'exact', undefined],
      ['0755', 'prefix', 'hangup'],
    ]);
  });
});

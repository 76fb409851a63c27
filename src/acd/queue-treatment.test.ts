import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { AcdEngine } from './acd-engine.ts';
import type { AcdEvent } from './acd-events.ts';
import type { TreatmentConfig } from './treatment-policy.ts';
import { HandleTimeEwma, estimateWaitMs } from './wait-estimator.ts';

function world(treatment: TreatmentConfig, initialAhtMs = 120_000) {
  const clock = new FakeClock();
  const engine = new AcdEngine({ clock });
  const events: AcdEvent[] = [];
  engine.events.on((e) => events.push(e));
  engine.defineQueue({ id: 'q', requiredSkills: [{ skill: 'general' }] }, { treatment, initialAhtMs });
  engine.defineQueue({ id: 'backup', requiredSkills: [{ skill: 'backup' }] });
  const cmds = () => events.flatMap((e) => (e.type === 'treatment' ? [e.command] : []));
  const call = (callerNumber = '13800000000') => engine.enqueue('q', { customerLevel: 'standard', media: 'voice', callerNumber });
  return { clock, engine, events, cmds, call };
}

describe('queue treatment (ACD-5)', () => {
  it('music on arrival, then position and estimated-wait announcements from recent handle time and staffed agents', () => {
    const { clock, engine, cmds, call } = world({
      music: 'moh-classical',
      announcements: { firstAfterMs: 30_000, everyMs: 60_000, position: true, estimatedWait: true },
    });
    // Two staffed agents, both busy: estimate = position * AHT / staffed.
    for (const id of ['a', 'b']) {
      engine.addAgent({ id, level: 5, skills: { general: 5 }, groups: [], autoAnswer: true });
      engine.login(id);
      engine.ready(id);
      call();
      engine.answer(id);
    }
    call();
    const third = call();
    expect(cmds().filter((c) => c.kind === 'play-music')).toHaveLength(4);
    expect(cmds()[0]).toEqual({ kind: 'play-music', resource: 'moh-classical' });
    clock.advance(30_000);
    const ann = cmds().filter((c) => c.kind === 'announce');
    expect(ann).toEqual([
      { kind: 'announce', position: 1, estimatedWaitSec: 60 }, // 1 * 120 s / 2
      { kind: 'announce', position: 2, estimatedWaitSec: 120 },
    ]);
    clock.advance(59_999);
    expect(cmds().filter((c) => c.kind === 'announce')).toHaveLength(2);
    clock.advance(1);
    expect(cmds().filter((c) => c.kind === 'announce')).toHaveLength(4);
    expect(engine.entry(third.id)?.state).toBe('waiting');
  });

  it('overflows to another queue after a time, keeping the original arrival', () => {
    const { clock, engine, events, call } = world({ overflow: { toQueue: 'backup', afterMs: 45_000 } });
    const c = call();
    clock.advance(45_000);
    expect(engine.entry(c.id)).toBeUndefined();
    const ended = events.find((e) => e.type === 'entry-ended');
    expect(ended).toMatchObject({ entryId: c.id, reason: 'overflow', state: 'overflowed', waitMs: 45_000 });
    const requeued = events.find((e) => e.type === 'entry-queued' && e.queueId === 'backup');
    expect(requeued).toMatchObject({ overflowFrom: c.id });
    const backupEntry = engine.entry(requeued!.type === 'entry-queued' ? requeued!.entryId : '');
    expect(backupEntry?.arrivedAt).toBe(c.arrivedAt);
    expect(engine.queueSnapshot('q').counters.overflowedOut).toBe(1);
    expect(engine.queueSnapshot('backup').waiting).toBe(1);
  });

  it('overflows on arrival when the line is longer than the limit', () => {
    const { engine, call } = world({ overflow: { toQueue: 'backup', whenLengthAbove: 2 } });
    call();
    call();
    const third = call();
    expect(third.state).toBe('overflowed');
    expect(engine.queueSnapshot('q').waiting).toBe(2);
    expect(engine.queueSnapshot('backup').waiting).toBe(1);
  });

  it('maximum wait to voicemail', () => {
    const { clock, engine, cmds, call } = world({ maxWait: { afterMs: 120_000, action: 'voicemail', mailbox: 'general' } });
    const c = call();
    clock.advance(120_000);
    expect(cmds()).toContainEqual({ kind: 'voicemail', reason: 'max-wait', mailbox: 'general' });
    expect(engine.entry(c.id)).toBeUndefined();
    expect(engine.queueSnapshot('q').counters.timedOut).toBe(1);
  });

  it('maximum wait offers a callback; accepting it keeps the place in line and produces a task', () => {
    const { clock, engine, events, cmds, call } = world({ maxWait: { afterMs: 60_000, action: 'callback-offer' } });
    const first = call('13800000001');
    clock.advance(1_000);
    const second = call('13800000002');
    clock.advance(59_000);
    expect(cmds()).toContainEqual({ kind: 'offer-callback', reason: 'max-wait' });
    const task = engine.acceptCallback(first.id);
    expect(task).toMatchObject({ entryId: first.id, callerNumber: '13800000001', placeFrom: first.arrivedAt });
    expect(events.find((e) => e.type === 'callback-task')).toMatchObject({ task });
    expect(engine.entry(first.id)?.state).toBe('callback');
    engine.addAgent({ id: 'a', level: 5, skills: { general: 5 }, groups: [], autoAnswer: false });
    engine.login('a');
    engine.ready('a');
    const offer = events.find((e) => e.type === 'offered');
    expect(offer).toMatchObject({ entryId: first.id, callback: true }); // ahead of the second caller
    expect(engine.entry(second.id)?.state).toBe('waiting');
  });

  it('DTMF exits: a digit leads to voicemail, callback or transfer; other digits do nothing', () => {
    const { engine, cmds, call } = world({
      dtmfExits: { '1': { action: 'callback' }, '2': { action: 'voicemail' }, '0': { action: 'transfer', target: 'ivr:main' } },
    });
    const a = call();
    const b = call();
    const c = call();
    expect(engine.pressDtmf(a.id, '9')).toBe(false);
    expect(engine.pressDtmf(a.id, '1')).toBe(true);
    expect(engine.entry(a.id)?.state).toBe('callback');
    engine.pressDtmf(b.id, '2');
    expect(engine.entry(b.id)).toBeUndefined();
    engine.pressDtmf(c.id, '0');
    expect(cmds()).toContainEqual({ kind: 'transfer', target: 'ivr:main', reason: 'dtmf' });
    expect(cmds()).toContainEqual({ kind: 'voicemail', reason: 'dtmf' });
    expect(engine.queueSnapshot('q').waiting).toBe(1); // only the callback keeps its place
  });
});

describe('estimated wait (ACD-5)', () => {
  it('EWMA of handle times and EWT = position * AHT / staffed', () => {
    const e = new HandleTimeEwma(100_000, 0.5);
    e.observe(200_000);
    expect(e.ahtMs).toBe(150_000);
    e.observe(-1);
    e.observe(Number.NaN);
    expect(e.count).toBe(1);
    expect(estimateWaitMs(3, 150_000, 5)).toBe(90_000);
    expect(estimateWaitMs(3, 150_000, 0)).toBeUndefined();
    expect(() => new HandleTimeEwma(1, 0)).toThrow(RangeError);
  });
});

// The running side of the event log: batching, record writes and their retry, and the
// queue/IVR entries taken from the runtime's port calls (issue 4 item 4, CTI-1, OPS-3).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/clock.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import { acceptInbound, answer, hangup, offer } from '../model/index.ts';
import { legOf } from '../model/test-kit.ts';
import type { EnqueueRequest, IvrStartRequest } from '../runtime/ports.ts';
import type { RecordBundle } from './call-record.ts';
import { CallRecorder } from './call-recorder.ts';
import type { CallRecordStore, EventLog } from './ports.ts';
import { recordIvrEntries, recordQueueEntries } from './recording-ports.ts';
import { Tape } from './test-tape.ts';

let stores: Stores;
beforeEach(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
});
afterEach(async () => {
  await stores.close();
});

/** Counts appends on the real table log. */
function counting(log: EventLog): EventLog & { batches: number[] } {
  const batches: number[] = [];
  return { batches, append: async (e) => (batches.push(e.length), log.append(e)), read: (a, l) => log.read(a, l), lastSeq: () => log.lastSeq() };
}

/** A record store whose first `n` writes fail (a database hiccup), then the real one. */
function flaky(store: CallRecordStore, n: number): CallRecordStore {
  let left = n;
  return {
    upsert: async (b: readonly RecordBundle[]) => {
      if (left-- > 0) throw new Error('database is locked');
      return store.upsert(b);
    },
    get: (id) => store.get(id),
    list: (q) => store.list(q),
  };
}

function oneCall(): { t: Tape; id: string } {
  const t = new Tape();
  const ix = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000000' }, { kind: 'queue', queueId: 'q1' })).interaction;
  t.op(offer(ix, '8001'));
  t.advance(1_000);
  t.op(answer(ix, legOf(ix, 'agent', '8001')));
  t.advance(20_000);
  t.op(hangup(ix, ix.customerLeg));
  return { t, id: ix.id };
}

describe('CallRecorder (CTI-1, OPS-3)', () => {
  it('appends events given in one tick as one batch, in order, and writes the record when the call ends', async () => {
    const log = counting(stores.events);
    const rec = new CallRecorder(log, stores.callRecords);
    const { t, id } = oneCall();
    for (const e of t.entries) rec.enqueue(e.event);
    await rec.drain();
    expect(log.batches).toEqual([t.entries.length]);
    expect((await stores.events.read(0, 1000)).map((e) => e.event)).toEqual(t.entries.map((e) => e.event));
    expect((await stores.callRecords.get(id))?.record).toMatchObject({ disposition: 'answered', talkMs: 20_000, status: 'ended' });
    expect(rec.live.list()).toEqual([]);
  });

  it('never logs digits (IVR PINs and passwords)', async () => {
    const rec = new CallRecorder(stores.events, stores.callRecords);
    const dtmf = { type: 'dtmf', interaction: 'ix-1', leg: 'leg-1', digit: '7', at: 1 };
    rec.enqueue(dtmf);
    await rec.publish([dtmf, { type: 'offer.failed', interaction: 'ix-1', agentId: '8001', cause: 'busy', at: 2 } as never]);
    await rec.drain();
    expect((await stores.events.read(0)).map((e) => e.event.type)).toEqual(['offer.failed']);
  });

  it('keeps a record whose write failed and writes it with the next one', async () => {
    const rec = new CallRecorder(stores.events, flaky(stores.callRecords, 1));
    const { t, id } = oneCall();
    await rec.publish(t.entries.map((e) => e.event));
    expect([rec.backlog, await stores.callRecords.get(id)]).toEqual([1, undefined]);
    await rec.publish([{ type: 'agent.wrapup-ended', interaction: id, agentId: '8001', at: t.now + 5_000 } as never]);
    expect(rec.backlog).toBe(0);
    expect((await stores.callRecords.get(id))?.record).toMatchObject({ wrapupMs: 5_000 });
    expect((await stores.callRecords.list()).total).toBe(1);
  });
});

describe('queue and IVR entries from the runtime\'s port calls (CTI-5, RPT-2)', () => {
  it('logs queue.entered, ivr.started and the entry point, then passes each call on unchanged', async () => {
    const clock = new FakeClock(5_000);
    const rec = new CallRecorder(stores.events, stores.callRecords);
    const calls: string[] = [];
    const queue = recordQueueEntries({ enqueue: (r) => void calls.push(`enqueue ${r.queueId}`), cancel: (id) => void calls.push(`cancel ${id}`) }, rec, clock);
    const ivr = recordIvrEntries({ start: (r) => void calls.push(`start ${r.script}`), stop: (id) => void calls.push(`stop ${id}`) }, rec, clock);
    const base = { interactionId: 'ix-1', callData: {}, customer: { number: '138' }, entryPoint: '95000' };
    ivr.start({ ...base, legId: 'leg-2', customerLegId: 'leg-1', script: 'main.vxml', mode: 'new' } satisfies IvrStartRequest);
    ivr.stop('ix-1');
    queue.enqueue({ ...base, queueId: 'funds' } satisfies EnqueueRequest);
    queue.cancel('ix-1');
    await rec.drain();
    expect(calls).toEqual(['start main.vxml', 'stop ix-1', 'enqueue funds', 'cancel ix-1']);
    expect((await stores.events.read(0)).map((e) => e.event)).toEqual([
      { type: 'interaction.entry', interaction: 'ix-1', entryPoint: '95000', at: 5_000 },
      { type: 'ivr.started', interaction: 'ix-1', leg: 'leg-2', script: 'main.vxml', mode: 'new', at: 5_000 },
      { type: 'interaction.entry', interaction: 'ix-1', entryPoint: '95000', at: 5_000 },
      { type: 'queue.entered', interaction: 'ix-1', queueId: 'funds', at: 5_000 },
    ]);
  });

  it('passes the refusal question (ACD-7) through to the ACD, and has none when the ACD has none', () => {
    const clock = new FakeClock(5_000);
    const rec = new CallRecorder(stores.events, stores.callRecords);
    const plain = { enqueue: () => undefined, cancel: () => undefined };
    expect(recordQueueEntries(plain, rec, clock).refuses).toBeUndefined();
    const screening = recordQueueEntries({ ...plain, refuses: (d: string, c: string) => (d === '95001' && c === '8009' ? 'blacklist-refused' : undefined) }, rec, clock);
    expect(screening.refuses?.('95001', '8009')).toBe('blacklist-refused');
    expect(screening.refuses?.('95001', '8008')).toBeUndefined();
  });

  it('passes the survey question (IVR-8) through to the IVR, and has none when the IVR has none', () => {
    const clock = new FakeClock(5_000);
    const rec = new CallRecorder(stores.events, stores.callRecords);
    const plain = recordIvrEntries({ start: () => undefined, stop: () => undefined }, rec, clock);
    expect(plain.surveyFor).toBeUndefined();
    const asked: string[] = [];
    const withSurvey = recordIvrEntries({ start: () => undefined, stop: () => undefined, surveyFor: (c) => (asked.push(c.agentId), { script: `survey-for-${c.entryPoint}` }) }, rec, clock);
    expect(withSurvey.surveyFor!({ interactionId: 'ix-1', agentId: '8001', entryPoint: '95000' })).toEqual({ script: 'survey-for-95000' });
    expect(asked).toEqual(['8001']);
  });
});

// CRM-3: wrap-up notes (contact.logged) on call records: during wrap-up, after it, filed again, and through a replay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../store/stores.ts';
import { acceptInbound, answer, hangup, offer } from '../model/index.ts';
import { legOf } from '../model/test-kit.ts';
import { CallRecordProjection } from './call-record-projection.ts';
import { CallRecorder } from './call-recorder.ts';
import type { ContactLogged, LogEvent } from './record-events.ts';
import { asRecordEvent } from './record-events.ts';
import { recover } from './recovery.ts';
import { Tape } from './test-tape.ts';

let stores: Stores;
beforeEach(async () => {
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
});
afterEach(async () => {
  await stores.close();
});

function answeredCall(): { t: Tape; id: string } {
  const t = new Tape();
  const ix = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000000' }, { kind: 'queue', queueId: 'q1' })).interaction;
  t.op(offer(ix, '8001'));
  t.advance(1_000);
  t.op(answer(ix, legOf(ix, 'agent', '8001')));
  t.advance(20_000);
  t.op(hangup(ix, ix.customerLeg));
  return { t, id: ix.id };
}

const ended = (interaction: string, at: number): LogEvent => ({ type: 'agent.wrapup-ended', interaction, agentId: '8001', at } as LogEvent);
const note = (interaction: string, at: number, over: Partial<ContactLogged> = {}): ContactLogged => ({
  type: 'contact.logged', interaction, agentId: '8001', at, category: 'account-inquiry', selfEvaluation: 'good', summary: 'asked for the balance',
  customer: { account: '10000001', name: '王建国', branchCode: '0101' }, ...over,
});

describe('contact log on call records (CRM-3)', () => {
  it('the event is validated: unknown self-evaluation or missing summary is ignored', () => {
    expect(asRecordEvent(note('ix', 1))).toBeDefined();
    expect(asRecordEvent({ ...note('ix', 1), selfEvaluation: 'great' } as unknown as ContactLogged)).toBeUndefined();
    expect(asRecordEvent({ ...note('ix', 1), summary: 3 } as unknown as ContactLogged)).toBeUndefined();
  });

  it('a note filed during wrap-up is in the record the wrap-up end writes; filed again it replaces the first', () => {
    const { t, id } = answeredCall();
    const p = new CallRecordProjection();
    for (const e of t.entries) p.apply(e);
    expect(p.holds(id)).toBe(true); // ended, waiting for the wrap-up
    let seq = t.entries.length;
    const first = p.apply({ seq: ++seq, event: note(id, t.now) });
    expect(first?.record.contacts).toEqual([{ agentId: '8001', at: t.now, category: 'account-inquiry', selfEvaluation: 'good', summary: 'asked for the balance', customer: { account: '10000001', name: '王建国', branchCode: '0101' } }]);
    const again = p.apply({ seq: ++seq, event: note(id, t.now + 5, { category: 'complaint', selfEvaluation: 'poor', summary: 'slow answer' }) });
    expect(again?.record.contacts?.map((c) => [c.category, c.selfEvaluation, c.summary])).toEqual([['complaint', 'poor', 'slow answer']]);
    const done = p.apply({ seq: ++seq, event: ended(id, t.now + 9) });
    expect(done?.record.contacts?.[0]?.category).toBe('complaint');
    expect(p.holds(id)).toBe(false);
  });

  it('a note filed after the wrap-up closed is merged into the stored record and survives a replay from the start', async () => {
    const rec = new CallRecorder(stores.events, stores.callRecords);
    const { t, id } = answeredCall();
    await rec.publish(t.entries.map((e) => e.event));
    await rec.publish([ended(id, t.now + 1_000)]);
    expect(rec.records.holds(id)).toBe(false);
    expect(await rec.logContact(note(id, t.now + 60_000, { summary: 'called back about a transfer', category: 'transfer' }))).toBe(true);
    const stored = await stores.callRecords.get(id);
    expect(stored?.record.contacts?.map((c) => [c.agentId, c.category, c.summary])).toEqual([['8001', 'transfer', 'called back about a transfer']]);
    expect(stored?.record.wrapupMs).toBe(1_000);
    expect(stored?.legs.length).toBeGreaterThan(0);
    expect((await rec.find(id))?.record.contacts?.[0]?.category).toBe('transfer');
    // A restart replays the whole log: the call's record is rebuilt (lower sequence) and the note stays.
    const again = await recover(stores.events, stores.callRecords, t.now + 120_000);
    expect(again.replayed).toBeGreaterThan(t.entries.length);
    expect((await stores.callRecords.get(id))?.record.contacts?.[0]?.summary).toBe('called back about a transfer');
  });

  it('a replay into an empty record store puts the late note back', async () => {
    const rec = new CallRecorder(stores.events, stores.callRecords);
    const { t, id } = answeredCall();
    await rec.publish(t.entries.map((e) => e.event));
    await rec.publish([ended(id, t.now)]);
    await rec.logContact(note(id, t.now + 1));
    const fresh = await openStores({ kind: 'sqlite', file: ':memory:' });
    try {
      await recover(stores.events, fresh.callRecords, t.now + 5);
      expect((await fresh.callRecords.get(id))?.record.contacts?.map((c) => c.summary)).toEqual(['asked for the balance']);
    } finally {
      await fresh.close();
    }
  });

  it('no record, no note: logContact answers false for an unknown interaction', async () => {
    const rec = new CallRecorder(stores.events, stores.callRecords);
    expect(await rec.logContact(note('nope', 1))).toBe(false);
    expect(await stores.events.lastSeq()).toBe(0);
  });
});

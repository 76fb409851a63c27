/**
 * Conformance cases of the CallRecordStore, run by store.conformance.ts on
 * SQLite and PostgreSQL (issue 4 item 4: one record per interaction, never
 * twice; filters of GET /api/v1/call-records).
 */
import { describe, expect, it } from 'vitest';
import type { CallRecord, Disposition, LegRecord, RecordBundle } from '../switch/records/call-record.ts';
import type { CallRecordStore } from '../switch/records/ports.ts';

const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);

function record(id: string, over: Partial<CallRecord> = {}): CallRecord {
  return {
    interactionId: id, direction: 'inbound', customer: '13800000000', parties: [{ kind: 'customer', id: '13800000000' }], agents: [],
    startedAt: T0, ivrMs: 0, queueMs: 0, ringMs: 0, talkMs: 0, holdMs: 0, holdCount: 0, wrapupMs: 0, wrapups: [], transfers: 0, conferences: 0,
    status: 'ended', disposition: 'answered', endedAt: T0 + 60_000, lastSeq: 10, ...over,
  };
}
function leg(id: string, interactionId: string, party: LegRecord['party'], over: Partial<LegRecord> = {}): LegRecord {
  return { legId: id, interactionId, party, direction: 'outbound', state: 'terminated', createdAt: T0, holdMs: 0, holdCount: 0, durationMs: 0, lastSeq: 10, ...over };
}
function call(id: string, startMs: number, opts: { agent?: string; customer?: string; external?: string; disposition?: Disposition; lastSeq?: number } = {}): RecordBundle {
  const customer = opts.customer ?? '13800000000';
  const r = record(id, { startedAt: T0 + startMs, customer, disposition: opts.disposition ?? 'answered', lastSeq: opts.lastSeq ?? 10, agents: opts.agent ? [opts.agent] : [] });
  const legs = [leg(`${id}-c`, id, { kind: 'customer', id: customer }, { direction: 'inbound', createdAt: T0 + startMs, lastSeq: r.lastSeq })];
  if (opts.agent) legs.push(leg(`${id}-a`, id, { kind: 'agent', id: opts.agent }, { createdAt: T0 + startMs + 1, lastSeq: r.lastSeq }));
  if (opts.external) legs.push(leg(`${id}-x`, id, { kind: 'external', id: opts.external }, { createdAt: T0 + startMs + 2, lastSeq: r.lastSeq }));
  return { record: r, legs };
}

export function callRecordStoreCases(store: () => CallRecordStore): void {
  describe('CallRecordStore (CTI-1, RPT-2)', () => {
    it('round-trips a record with its legs, in leg order', async () => {
      const b = call('ix-1', 0, { agent: '8001', external: '02188888888' });
      b.record.wrapups = [{ agentId: '8001', startedAt: T0 + 60_000 }];
      b.record.hungUpBy = 'customer';
      await store().upsert([b]);
      expect(await store().get('ix-1')).toEqual(b);
      expect(await store().get('ix-404')).toBeUndefined();
    });

    it('writes a record once however often it is upserted; an older version never wins', async () => {
      const v1 = call('ix-1', 0, { agent: '8001', lastSeq: 10 });
      const v2 = call('ix-1', 0, { agent: '8001', lastSeq: 12 });
      v2.record.wrapupMs = 30_000;
      v2.legs[1]!.cause = 'normal';
      await store().upsert([v1]);
      await store().upsert([v1]);
      await store().upsert([v2]);
      await store().upsert([v1]);
      expect(await store().get('ix-1')).toEqual(v2);
      const page = await store().list();
      expect([page.total, page.items.map((r) => r.interactionId)]).toEqual([1, ['ix-1']]);
      // Both versions in one batch: the newest is kept.
      await store().upsert([call('ix-2', 5, { lastSeq: 30, disposition: 'transferred' }), call('ix-2', 5, { lastSeq: 20 })]);
      expect((await store().get('ix-2'))?.record.disposition).toBe('transferred');
    });

    it('lists newest first, filtered by time range, agent, number and disposition, with paging', async () => {
      await store().upsert([
        call('ix-a', 0, { agent: '8001' }),
        call('ix-b', 1_000, { agent: '8002', disposition: 'abandoned-queue', customer: '13900000000' }),
        call('ix-c', 2_000, { agent: '8001', external: '02188888888', disposition: 'transferred' }),
        call('ix-d', 3_000, { disposition: 'abandoned-ivr' }),
      ]);
      const ids = async (q: Parameters<CallRecordStore['list']>[0]) => {
        const p = await store().list(q);
        return [p.total, p.items.map((r) => r.interactionId)];
      };
      expect(await ids({})).toEqual([4, ['ix-d', 'ix-c', 'ix-b', 'ix-a']]);
      expect(await ids({ from: T0 + 1_000, to: T0 + 3_000 })).toEqual([2, ['ix-c', 'ix-b']]);
      expect(await ids({ agent: '8001' })).toEqual([2, ['ix-c', 'ix-a']]);
      expect(await ids({ agent: '13800000000' })).toEqual([0, []]);
      expect(await ids({ number: '13900000000' })).toEqual([1, ['ix-b']]);
      expect(await ids({ number: '02188888888' })).toEqual([1, ['ix-c']]);
      expect(await ids({ disposition: 'abandoned-queue' })).toEqual([1, ['ix-b']]);
      expect(await ids({ agent: '8001', disposition: 'answered' })).toEqual([1, ['ix-a']]);
      expect(await ids({ limit: 2 })).toEqual([4, ['ix-d', 'ix-c']]);
      expect(await ids({ limit: 2, offset: 2 })).toEqual([4, ['ix-b', 'ix-a']]);
      expect(await ids({ limit: 2, offset: 4 })).toEqual([4, []]);
    });

    it('a batch is all or nothing', async () => {
      const bad = call('ix-2', 0);
      (bad.record as { customer: unknown }).customer = null;
      await expect(store().upsert([call('ix-1', 0), bad])).rejects.toThrow();
      expect((await store().list()).total).toBe(0);
    });
  });
}

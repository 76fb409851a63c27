// Crash and recovery of the event log and call records (OPS-3; issue 4 "kill -9 ... every
// interaction has exactly one complete record, dead dialogs are closed, the log replays to
// the same state"), over the real adapters: the JSON-lines file and SQLite.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLinesEventLog } from '../../store/json-lines-event-log.ts';
import { KyselyEventLog } from '../../store/kysely-event-log.ts';
import { metaReplayCheckpoint } from '../../store/replay-checkpoint.ts';
import { openStores, type Stores } from '../../store/stores.ts';
import {
  acceptInbound,
  answer,
  completeConference,
  consult,
  enqueue,
  hangup,
  hold,
  makeCall,
  monitor,
  offer,
  type Interaction,
} from '../model/index.ts';
import { legOf } from '../model/test-kit.ts';
import { CallRecordProjection } from './call-record-projection.ts';
import { CallRecorder } from './call-recorder.ts';
import type { EventLog } from './ports.ts';
import { recover } from './recovery.ts';
import { TeeEventLog } from './tee-event-log.ts';
import { Tape } from './test-tape.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cust = (n: number) => ({ kind: 'customer', id: `1380000${String(n).padStart(4, '0')}` }) as const;

/** Twelve calls: five finished, seven live in every state a crash can catch. */
function workload(t: Tape): Interaction[] {
  const ixs: Interaction[] = [];
  const inQueue = (n: number) => {
    const ix = t.op(acceptInbound(t.ctx, cust(n), { kind: 'queue', queueId: 'q1' })).interaction;
    ixs.push(ix);
    return ix;
  };
  const talking = (n: number, agent: string) => {
    const ix = inQueue(n);
    t.advance(1_000);
    t.op(offer(ix, agent));
    t.advance(1_000);
    t.op(answer(ix, legOf(ix, 'agent', agent)));
    return ix;
  };
  // finished
  const a = talking(1, '8001');
  t.advance(30_000);
  t.op(hangup(a, a.customerLeg));
  t.wrapupEnded(a.id, '8001');
  const b = inQueue(2);
  t.advance(9_000);
  t.op(hangup(b, b.customerLeg));
  const c = t.op(acceptInbound(t.ctx, cust(3), { kind: 'ivr', script: 'main.vxml' })).interaction;
  ixs.push(c);
  t.advance(5_000);
  t.op(hangup(c, c.customerLeg));
  const d = talking(4, '8002');
  t.op(consult(d, '8002', { kind: 'agent', agentId: '8003' }));
  t.op(answer(d, legOf(d, 'agent', '8003')));
  t.op(completeConference(d, '8002'));
  t.advance(20_000);
  t.op(hangup(d, d.customerLeg));
  const e = t.op(makeCall(t.ctx, '8004', '02150000000')).interaction;
  ixs.push(e);
  t.op(answer(e, e.customerLeg));
  t.advance(10_000);
  t.op(hangup(e, legOf(e, 'agent', '8004')));
  // live at the crash
  const ivr = t.op(acceptInbound(t.ctx, cust(6), { kind: 'ivr', script: 'main.vxml' })).interaction;
  ixs.push(ivr);
  const queued = t.op(acceptInbound(t.ctx, cust(7), { kind: 'ivr', script: 'main.vxml' })).interaction;
  ixs.push(queued);
  t.op(enqueue(queued, 'q2'));
  const ringing = inQueue(8);
  t.op(offer(ringing, '8005'));
  talking(9, '8006');
  const held = talking(10, '8007');
  t.op(hold(held, '8007'));
  const consulting = talking(11, '8008');
  t.op(consult(consulting, '8008', { kind: 'external', number: '02188888888' }));
  const watched = talking(12, '8009');
  t.op(monitor(watched, '8100', '8009'));
  t.op(answer(watched, legOf(watched, 'supervisor', '8100')));
  t.advance(4_000);
  return ixs;
}

interface Setup {
  name: string;
  /** Opens the log over the data directory (again after the crash). */
  openLog(dataDir: string): Promise<{ log: EventLog; close(): Promise<void> }>;
}

const setups: Setup[] = [
  {
    name: 'JSON-lines file alone',
    async openLog(d) {
      const file = await JsonLinesEventLog.open(join(d, 'events.jsonl'), { fsync: 'never' });
      return { log: file, close: () => file.close() };
    },
  },
  {
    name: 'events table (SQLite) mirrored to JSON lines',
    async openLog(d) {
      const stores = await openStores({ kind: 'sqlite', file: join(d, 'events.db') });
      const file = await JsonLinesEventLog.open(join(d, 'events.jsonl'), { fsync: 'never' });
      const tee = new TeeEventLog(new KyselyEventLog(stores.database.db), file);
      await tee.catchUp();
      return {
        log: tee,
        close: async () => {
          await file.close();
          await stores.close();
        },
      };
    },
  },
];

describe('recovery after a crash (OPS-3, CTI-1)', () => {
  it.each(setups)('$name: every interaction gets exactly one complete record; dead legs are returned; a second recovery changes nothing', async (setup) => {
    const data = mkdtempSync(join(dir, 'run-'));
    const t = new Tape(Date.UTC(2026, 0, 5, 2, 0, 0));
    const ixs = workload(t);
    const split = Math.floor(t.entries.length * 0.6);

    // Before the crash: the first 60% published as the runtime does (records written as calls end),
    // the rest appended to the log but the process died before writing their records.
    let opened = await setup.openLog(data);
    let stores: Stores = await openStores({ kind: 'sqlite', file: join(data, 'records.db') });
    const recorder = new CallRecorder(opened.log, stores.callRecords);
    for (let i = 0; i < split; i++) await recorder.publish([t.entries[i]!.event]);
    await opened.log.append(t.entries.slice(split).map((e) => e.event));
    const writtenBefore = (await stores.callRecords.list({ limit: 100 })).total;
    expect(writtenBefore).toBeGreaterThan(0);
    await opened.close();
    await stores.close();
    appendFileSync(join(data, 'events.jsonl'), '{"seq":9999,"event":{"type":"leg.sta'); // torn by the crash

    // After the restart: nothing in memory, everything from disk.
    opened = await setup.openLog(data);
    stores = await openStores({ kind: 'sqlite', file: join(data, 'records.db') });
    const now = t.now + 60_000;
    const r = await recover(opened.log, stores.callRecords, now);

    const liveIxs = ixs.filter((ix) => ix.state !== 'ended');
    expect(r.closed.sort()).toEqual(liveIxs.map((ix) => ix.id).sort());
    const expectedLegs = liveIxs.flatMap((ix) => [...ix.legs.values()].filter((l) => l.live && l.party.kind !== 'ivr').map((l) => `${ix.id}/${l.id}/${l.party.kind}:${l.party.id}/${l.state}`));
    expect(r.legsToEnd.map((l) => `${l.interactionId}/${l.legId}/${l.party.kind}:${l.party.id}/${l.state}`).sort()).toEqual(expectedLegs.sort());
    expect(r.live.list()).toEqual([]);

    const page = await stores.callRecords.list({ limit: 100 });
    expect(page.total).toBe(ixs.length);
    expect(new Set(page.items.map((x) => x.interactionId)).size).toBe(ixs.length);
    for (const rec of page.items) {
      expect(rec).toMatchObject({ status: 'ended', endedAt: expect.any(Number), disposition: expect.any(String) });
      const legs = (await stores.callRecords.get(rec.interactionId))!.legs;
      expect(legs.every((l) => l.state === 'terminated' && l.endAt !== undefined)).toBe(true);
    }
    // Calls that ended before the crash keep exactly the record their events describe.
    const direct = new CallRecordProjection();
    const expected = new Map(t.entries.map((e) => direct.apply(e)).filter((b) => b !== undefined).map((b) => [b.record.interactionId, b.record]));
    for (const ix of ixs.filter((x) => x.state === 'ended')) expect((await stores.callRecords.get(ix.id))?.record).toEqual(expected.get(ix.id));
    // Calls closed by the restart.
    for (const ix of liveIxs) {
      expect((await stores.callRecords.get(ix.id))?.record).toMatchObject({ endedAt: now, endedBy: 'system', hungUpBy: 'system', cause: 'server-restart' });
    }
    expect((await stores.callRecords.get(liveIxs[0]!.id))?.record.disposition).toBe('failed'); // in the IVR
    expect((await stores.callRecords.get(liveIxs[3]!.id))?.record.disposition).toBe('answered'); // talking
    // An agent cut off by the restart has no wrap-up to wait for: the record is complete.
    expect((await stores.callRecords.get(liveIxs[3]!.id))?.record).toMatchObject({ wrapupMs: 0, wrapups: [{ agentId: '8006', startedAt: now, endedAt: now }] });

    // Replay twice: the same state, nothing appended, the same records.
    const before = { seq: await opened.log.lastSeq(), records: await stores.callRecords.list({ limit: 100 }) };
    await opened.close();
    await stores.close();
    opened = await setup.openLog(data);
    stores = await openStores({ kind: 'sqlite', file: join(data, 'records.db') });
    const again = await recover(opened.log, stores.callRecords, now + 1_000);
    expect([again.closed, again.legsToEnd, again.lastSeq]).toEqual([[], [], before.seq]);
    expect(await stores.callRecords.list({ limit: 100 })).toEqual(before.records);
    expect(again.records.liveRecords()).toEqual(r.records.liveRecords());
    const file = readFileSync(join(data, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(file.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: before.seq }, (_, i) => i + 1));
    await opened.close();
    await stores.close();
  });

  it('a saved checkpoint shortens the replay and gives the same records as a full one', async () => {
    const run = async (withCheckpoint: boolean) => {
      const data = mkdtempSync(join(dir, 'ckpt-'));
      const t = new Tape(Date.UTC(2026, 0, 5, 3, 0, 0));
      workload(t);
      let stores = await openStores({ kind: 'sqlite', file: join(data, 'all.db') });
      const checkpoint = withCheckpoint ? metaReplayCheckpoint(stores.meta) : undefined;
      const recorder = new CallRecorder(stores.events, stores.callRecords, undefined, undefined, checkpoint ? { checkpoint, checkpointEvery: 5 } : {});
      for (const e of t.entries) await recorder.publish([e.event]);
      await stores.close();
      stores = await openStores({ kind: 'sqlite', file: join(data, 'all.db') });
      const ck = withCheckpoint ? metaReplayCheckpoint(stores.meta) : undefined;
      const from = (await ck?.load()) ?? 1;
      const r = await recover(stores.events, stores.callRecords, t.now + 1_000, ck ? { checkpoint: ck } : {});
      const records = await stores.callRecords.list({ limit: 100 });
      const again = await recover(stores.events, stores.callRecords, t.now + 2_000, ck ? { checkpoint: ck } : {});
      const after = await stores.callRecords.list({ limit: 100 });
      await stores.close();
      return { from, replayed: r.replayed, closed: r.closed, records, againClosed: again.closed, after };
    };
    const [full, short] = [await run(false), await run(true)];
    expect(full.from).toBe(1);
    expect(short.from).toBeGreaterThan(1);
    expect(short.replayed).toBeLessThan(full.replayed);
    expect(short.closed).toEqual(full.closed);
    expect(short.records).toEqual(full.records);
    expect([short.againClosed, short.after]).toEqual([[], short.records]);
  });
});

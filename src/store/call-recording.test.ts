// The assembled event log and call records across a restart, as the composition root
// uses them (issue 4 item 4, OPS-3, OPS-4).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptInbound, answer, hangup, offer } from '../switch/model/index.ts';
import { legOf } from '../switch/model/test-kit.ts';
import { Tape } from '../switch/records/test-tape.ts';
import { startCallRecording } from './call-recording.ts';
import { openStores } from './stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-recording-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startCallRecording (OPS-3, OPS-4, CTI-1)', () => {
  it('records calls, mirrors the log to JSON lines, and closes calls left live by the previous process', async () => {
    const db = join(dir, 'hotline.db');
    const jsonlPath = join(dir, 'events.jsonl');
    const t = new Tape();
    const done = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000001' }, { kind: 'queue', queueId: 'q1' })).interaction;
    t.op(offer(done, '8001'));
    t.op(answer(done, legOf(done, 'agent', '8001')));
    t.advance(30_000);
    t.op(hangup(done, done.customerLeg));
    const live = t.op(acceptInbound(t.ctx, { kind: 'customer', id: '13800000002' }, { kind: 'queue', queueId: 'q1' })).interaction;
    t.op(offer(live, '8002'));
    t.op(answer(live, legOf(live, 'agent', '8002')));

    let stores = await openStores({ kind: 'sqlite', file: db });
    let rec = await startCallRecording({ stores, jsonlPath, now: t.now });
    expect(rec.recovery.closed).toEqual([]);
    for (const e of t.entries) rec.recorder.enqueue(e.event);
    await rec.close();
    expect(rec.recorder.live.list().map((x) => x.interactionId)).toEqual([live.id]);
    await stores.close();

    stores = await openStores({ kind: 'sqlite', file: db });
    rec = await startCallRecording({ stores, jsonlPath, now: t.now + 5_000 });
    expect(rec.recovery.closed).toEqual([live.id]);
    expect(rec.recovery.legsToEnd.map((l) => `${l.party.kind}:${l.party.id}`)).toEqual(['customer:13800000002', 'agent:8002']);
    expect((await stores.callRecords.get(done.id))?.record).toMatchObject({ disposition: 'answered', talkMs: 30_000 });
    expect((await stores.callRecords.get(live.id))?.record).toMatchObject({ disposition: 'answered', cause: 'server-restart', endedAt: t.now + 5_000 });
    const last = await rec.log.lastSeq();
    await rec.close();
    await stores.close();
    const lines = readFileSync(jsonlPath, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  });
});

import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DialogRecord, DialogStore } from './dialog-store.ts';
import { MemoryDialogStore } from './dialog-store.ts';
import { JsonlDialogStore } from './jsonl-dialog-store.ts';
import { reply, settle, setup } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gw-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (legId: string, over: Partial<DialogRecord> = {}): DialogRecord => ({
  legId, callId: `c-${legId}`, localTag: 'l1', remoteTag: 'r1', localUri: '<sip:95000@192.0.2.1>', remoteUri: '"Caller" <sip:138@198.51.100.7>',
  remoteTarget: 'sip:caller@198.51.100.7:5062', routeSet: [], localSeq: 41, hop: { protocol: 'udp', address: '198.51.100.7', port: 5062 }, savedAt: 1, ...over,
});

describe.each([
  ['memory', () => new MemoryDialogStore()],
  ['json lines', () => new JsonlDialogStore(join(dir, `${Math.random()}`, 'sip-dialogs.jsonl'))],
] as Array<[string, () => DialogStore]>)('DialogStore conformance: %s (OPS-3)', (_n, make) => {
  it('put replaces by leg, remove forgets, clear empties', async () => {
    const s = make();
    expect(await s.list()).toEqual([]);
    await s.put(rec('a'));
    await s.put(rec('b'));
    await s.put(rec('a', { localSeq: 42 }));
    await s.remove('b');
    expect(await s.list()).toEqual([rec('a', { localSeq: 42 })]);
    await s.clear();
    expect(await s.list()).toEqual([]);
  });
});

describe('JsonlDialogStore (OPS-3)', () => {
  it('a torn last line from a crash is skipped; a new instance on the same file sees the records', async () => {
    const path = join(dir, 'torn', 'sip-dialogs.jsonl');
    const s = new JsonlDialogStore(path);
    await s.put(rec('a'));
    appendFileSync(path, '{"op":"put","record":{"legId":"b","cal');
    expect((await new JsonlDialogStore(path).list()).map((r) => r.legId)).toEqual(['a']);
  });
});

describe('recover(): dialogs left by a crashed process end with BYE (issue 4 item 4, OPS-3)', () => {
  it('a BYE per stored dialog, built from the record, to its flow; the store is cleared once each has its answer', async () => {
    const s = setup();
    await s.store.put(rec('x'));
    await s.store.put(rec('y', { routeSet: ['<sip:203.0.113.50;lr>'], remoteTarget: 'sip:p@203.0.113.9', hop: { protocol: 'tcp', address: '203.0.113.9', port: 5060 } }));
    const done = s.gateway.recover();
    await settle();
    const byes = s.requests('BYE');
    expect(byes).toHaveLength(2);
    const x = byes.find((b) => b.headers.get('Call-ID') === 'c-x')!;
    expect(x.uri).toBe('sip:caller@198.51.100.7:5062');
    expect(x.headers.get('CSeq')).toBe('42 BYE');
    expect(x.headers.get('From')).toBe('<sip:95000@192.0.2.1>;tag=l1');
    expect(x.headers.get('To')).toBe('Caller <sip:138@198.51.100.7>;tag=r1');
    expect(s.udp.sent.find((m) => m.data.toString().includes('c-x'))!.target.remote).toEqual({ address: '198.51.100.7', port: 5062 });
    const y = byes.find((b) => b.headers.get('Call-ID') === 'c-y')!;
    expect(y.headers.get('Route')).toBe('<sip:203.0.113.50;lr>');
    expect(s.udp.sent.find((m) => m.data.toString().includes('c-y'))!.target.remote).toEqual({ address: '203.0.113.50', port: 5060 });
    s.inject(reply(x, 200));
    s.inject(reply(y, 481));
    expect((await done).map((o) => [o.legId, o.status]).sort()).toEqual([['x', 200], ['y', 481]]);
    expect(await s.store.list()).toEqual([]);
  });

  it('a stream flow died with the process: the BYE goes to the remote target (its transport) first', async () => {
    const s = setup();
    await s.store.put(rec('t', { remoteTarget: 'sip:8004@198.51.100.40:5070;transport=tcp', hop: { protocol: 'tcp', address: '198.51.100.40', port: 40999 } }));
    const done = s.gateway.recover();
    await settle();
    expect(s.tcp.sent.map((m) => m.target.remote)).toEqual([{ address: '198.51.100.40', port: 5070 }]);
    s.inject(reply(s.requests('BYE')[0]!, 200));
    expect((await done).map((o) => o.status)).toEqual([200]);
  });
});

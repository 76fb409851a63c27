// kill -9 of a process that is writing calls (issue 4 "Done when": kill -9 during 50 live
// calls, then restart: every interaction has exactly one complete record and the event log
// replays to the same state), over the real adapters: SQLite and the JSON-lines mirror.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveCallsProjection, recover, replay, TeeEventLog } from '../switch/records/index.ts';
import { JsonLinesEventLog } from './json-lines-event-log.ts';
import { openStores } from './stores.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hotline-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, waits until 50 calls are live, lets it run a little more, kills it with SIGKILL. */
function runAndKill(data: string, extraMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(import.meta.dirname, 'test-crash-writer.ts'), data], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), extraMs);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && err === '') resolve();
      else reject(new Error(`writer ended with ${code ?? signal}: ${err}`));
    });
  });
}

async function open(data: string) {
  const stores = await openStores({ kind: 'sqlite', file: join(data, 'hotline.db') });
  const file = await JsonLinesEventLog.open(join(data, 'events.jsonl'), { fsync: 'never' });
  const log = new TeeEventLog(stores.events, file);
  await log.catchUp();
  return { stores, log, close: async () => (await file.close(), await stores.close()) };
}

describe('kill -9 while 50 calls are live (OPS-3, CTI-1)', () => {
  it('after recovery every interaction has exactly one complete record; a second recovery changes nothing', async () => {
    const data = mkdtempSync(join(dir, 'run-'));
    await runAndKill(data, 150);

    let h = await open(data);
    // What the log says was live at the kill, read before recovery touches anything.
    const before = new LiveCallsProjection();
    const everyIx = new Set<string>();
    await replay(h.stores.events, (e) => {
      before.apply(e);
      if (e.event.interaction !== undefined) everyIx.add(e.event.interaction);
    });
    const liveAtKill = before.list();
    expect(liveAtKill.length).toBeGreaterThanOrEqual(40);

    const r = await recover(h.log, h.stores.callRecords, Date.now());
    expect(r.closed.sort()).toEqual(liveAtKill.map((ix) => ix.interactionId).sort());
    expect(r.legsToEnd.length).toBe(liveAtKill.reduce((n, ix) => n + ix.legs.length, 0));
    const page = await h.stores.callRecords.list({ limit: 1000 });
    expect(page.total).toBe(everyIx.size);
    expect(new Set(page.items.map((x) => x.interactionId))).toEqual(everyIx);
    for (const rec of page.items) expect(rec).toMatchObject({ status: 'ended', endedAt: expect.any(Number), disposition: expect.any(String) });
    const restarted = page.items.filter((x) => x.cause === 'server-restart').map((x) => x.interactionId).sort();
    expect(restarted).toEqual(r.closed);

    await h.close();
    h = await open(data);
    const again = await recover(h.log, h.stores.callRecords, Date.now());
    expect([again.closed, again.legsToEnd, again.lastSeq]).toEqual([[], [], r.lastSeq]);
    expect(await h.stores.callRecords.list({ limit: 1000 })).toEqual(page);
    const lines = readFileSync(join(data, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: r.lastSeq }, (_, i) => i + 1));
    await h.close();
  }, 60_000);
});

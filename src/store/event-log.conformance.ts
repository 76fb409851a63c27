/**
 * One conformance suite for every EventLog adapter (STYLE.md "one
 * conformance suite per interface"): the `events` table on SQLite and
 * PostgreSQL (run from store.conformance.ts) and the JSON-lines file
 * (json-lines-event-log.test.ts). OPS-3 (state recovery), OPS-4 (open logs).
 */
import { describe, expect, it } from 'vitest';
import { replay, type EventLog, type LogEvent } from '../switch/records/ports.ts';

export interface EventLogBackend {
  /** A log over empty storage (called once per case, after the storage was wiped). */
  fresh(): Promise<EventLog>;
  /** Another log over the same storage as the last `fresh()`, as after a restart. */
  reopen(): Promise<EventLog>;
}

const ev = (n: number, extra: Record<string, unknown> = {}): LogEvent => ({ type: 'test.event', at: 1_700_000_000_000 + n, interaction: `ix-${n % 3}`, n, ...extra }) as LogEvent;

export function eventLogConformance(name: string, backend: EventLogBackend): void {
  describe(`EventLog conformance: ${name} (OPS-3, OPS-4)`, () => {
    it('numbers appended events 1, 2, 3... and reads them back after a sequence', async () => {
      const log = await backend.fresh();
      expect(await log.lastSeq()).toBe(0);
      expect(await log.read(0)).toEqual([]);
      const a = await log.append([ev(1), ev(2)]);
      const b = await log.append([ev(3)]);
      expect([...a, ...b].map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(await log.lastSeq()).toBe(3);
      expect(await log.read(0)).toEqual([...a, ...b]);
      expect((await log.read(1)).map((e) => e.seq)).toEqual([2, 3]);
      expect((await log.read(0, 2)).map((e) => e.seq)).toEqual([1, 2]);
      expect(await log.read(3)).toEqual([]);
      expect(await log.append([])).toEqual([]);
      expect(await log.lastSeq()).toBe(3);
    });

    it('keeps every field of an event, nested data and non-ASCII text included', async () => {
      const log = await backend.fresh();
      const e = ev(7, { callData: { account: '600123', name: '王小明', tags: ['vip', 1, true, null] }, party: { kind: 'customer', id: '13800000000' } });
      const noInteraction = { type: 'agent.state', at: 5, agentId: '8001' } as LogEvent;
      await log.append([e, noInteraction]);
      expect((await log.read(0)).map((x) => x.event)).toEqual([e, noInteraction]);
    });

    it('concurrent appends get gapless sequences in call order', async () => {
      const log = await backend.fresh();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append([ev(i * 2), ev(i * 2 + 1)])));
      expect(results.flat().map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await log.read(0, 100)).map((e) => (e.event as unknown as { n: number }).n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    });

    it('a log reopened over the same storage continues the numbering', async () => {
      const log = await backend.fresh();
      await log.append([ev(1), ev(2)]);
      const again = await backend.reopen();
      expect(await again.lastSeq()).toBe(2);
      expect((await again.append([ev(3)])).map((e) => e.seq)).toEqual([3]);
      expect((await again.read(0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('replay() walks the whole log page by page, from any sequence', async () => {
      const log = await backend.fresh();
      await log.append(Array.from({ length: 25 }, (_, i) => ev(i)));
      const seen: number[] = [];
      expect(await replay(log, (e) => void seen.push(e.seq), 0, 7)).toBe(25);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      const tail: number[] = [];
      expect(await replay(log, (e) => void tail.push(e.seq), 20, 7)).toBe(25);
      expect(tail).toEqual([21, 22, 23, 24, 25]);
    });
  });
}

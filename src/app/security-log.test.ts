import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecurityEventStore } from '../sip/memory-stores.ts';
import { JsonlSecurityEventStore } from './security-log.ts';

describe('security log (OPS-2, OPS-4)', () => {
  it('stores each event and writes it as one JSON line to DIR/logs/security.jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-seclog-'));
    try {
      const inner = new MemorySecurityEventStore();
      const log = new JsonlSecurityEventStore(inner, dir);
      const e1 = { at: new Date(Date.UTC(2025, 0, 1)), kind: 'auth-failure' as const, sourceAddress: '203.0.113.9', sourcePort: 5060, username: '100' };
      const e2 = { at: new Date(Date.UTC(2025, 0, 1, 0, 0, 1)), kind: 'ban' as const, sourceAddress: '203.0.113.9', detail: '5 failures' };
      await log.append(e1);
      await log.append(e2);
      expect(await log.list()).toEqual([e2, e1]);
      log.close();
      await new Promise((r) => setTimeout(r, 50));
      const lines = readFileSync(join(dir, 'logs', 'security.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
      expect(lines).toEqual([
        { ...e1, at: '2025-01-01T00:00:00.000Z' },
        { ...e2, at: '2025-01-01T00:00:01.000Z' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

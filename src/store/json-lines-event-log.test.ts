import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../shared/logger.ts';
import type { LogEvent } from '../switch/records/ports.ts';
import { eventLogConformance } from './event-log.conformance.ts';
import { JsonLinesEventLog } from './json-lines-event-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: JsonLinesEventLog[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close().catch(() => undefined);
});

let n = 0;
let current = '';
async function openLog(path: string, logger?: Logger, fsync: 'always' | 'interval' | 'never' = 'interval'): Promise<JsonLinesEventLog> {
  const log = await JsonLinesEventLog.open(path, { fsync, ...(logger ? { logger } : {}) });
  open.push(log);
  return log;
}

eventLogConformance('JSON-lines file', {
  fresh: () => openLog((current = join(dir, `conf-${++n}.jsonl`))),
  reopen: () => openLog(current),
});

function collecting(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const l: Logger & { warnings: string[] } = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (o, m) => void warnings.push(typeof o === 'string' ? o : (m ?? '')),
    error: () => undefined,
    child: () => l,
  };
  return l;
}
const ev = (i: number): LogEvent => ({ type: 'test.event', at: 1000 + i, interaction: 'ix-1' });

describe('JSON-lines event log after a crash (OPS-3, OPS-4)', () => {
  it.each(['always', 'never'] as const)('writes one JSON object per line, readable by other software (fsync %s)', async (fsync) => {
    const path = join(dir, `plain-${fsync}.jsonl`);
    const log = await openLog(path, undefined, fsync);
    await log.append([ev(1), ev(2)]);
    await log.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { seq: 1, event: ev(1) },
      { seq: 2, event: ev(2) },
    ]);
    await expect(log.append([ev(3)])).rejects.toThrow(/closed/);
  });

  it('a torn last line is skipped with a warning; appends go on cleanly after it', async () => {
    const path = join(dir, 'torn.jsonl');
    const log = await openLog(path);
    await log.append([ev(1), ev(2), ev(3)]);
    await log.close();
    appendFileSync(path, '{"seq":4,"event":{"type":"leg.st'); // the process died mid-write
    const logger = collecting();
    const again = await openLog(path, logger);
    expect(logger.warnings).toEqual(['event log: torn last line after a crash, cut off']);
    expect(await again.lastSeq()).toBe(3);
    expect((await again.read(0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await again.append([ev(4)])).map((e) => e.seq)).toEqual([4]);
    await again.close();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
  });

  it('a file holding only a torn line opens empty', async () => {
    const path = join(dir, 'only-torn.jsonl');
    writeFileSync(path, '{"seq":1,"ev');
    const logger = collecting();
    const log = await openLog(path, logger);
    expect([await log.lastSeq(), await log.read(0), logger.warnings.length]).toEqual([0, [], 1]);
    expect((await log.append([ev(1)]))[0]?.seq).toBe(1);
  });

  it('skips unreadable and repeated lines anywhere with a warning, never failing', async () => {
    const path = join(dir, 'garbage.jsonl');
    const good = (i: number) => `${JSON.stringify({ seq: i, event: ev(i) })}\n`;
    writeFileSync(path, good(1) + 'not json\n' + good(2) + '{"seq":"x","event":{}}\n' + good(2) + '\n' + good(3) + '{"seq":4}\n');
    const logger = collecting();
    const log = await openLog(path, logger);
    expect(await log.lastSeq()).toBe(3);
    expect((await log.read(0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(logger.warnings.filter((w) => w === 'event log: unreadable line skipped')).toHaveLength(3);
    await log.read(0);
    expect(logger.warnings).toHaveLength(3); // warned once per line
  });

  it('mirrors entries numbered elsewhere, skipping old ones and refusing gaps', async () => {
    const log = await openLog(join(dir, 'mirror.jsonl'));
    await log.appendEntries([{ seq: 1, event: ev(1) }, { seq: 2, event: ev(2) }]);
    await log.appendEntries([{ seq: 2, event: ev(2) }, { seq: 3, event: ev(3) }]);
    await expect(log.appendEntries([{ seq: 5, event: ev(5) }])).rejects.toThrow(RangeError);
    expect((await log.read(0)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('reads from late sequences of a long log through its index', async () => {
    const log = await openLog(join(dir, 'long.jsonl'), undefined, 'never');
    for (let b = 0; b < 5; b++) await log.append(Array.from({ length: 1000 }, (_, i) => ev(b * 1000 + i)));
    expect((await log.read(4_500, 3)).map((e) => e.seq)).toEqual([4_501, 4_502, 4_503]);
    expect((await log.read(999, 2)).map((e) => e.seq)).toEqual([1_000, 1_001]);
    expect(await log.read(5_000)).toEqual([]);
  });
});

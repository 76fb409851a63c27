import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../shared/logger.ts';
import { NoticeFile, packQueues } from './ivr-setup.ts';

const warnings: string[] = [];
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (_o, m) => void warnings.push(String(m)), error: () => undefined, child: () => logger };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ivr-setup-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  warnings.length = 0;
});

describe('IVR composition (issue 8, IVR-4, IVR-7)', () => {
  it('each pack hands callers to its own queue when the ACD has one, else to general, else the first queue', () => {
    expect(packQueues(['general', 'vip'])).toEqual({ securities: 'queue:general', fund: 'queue:general', bank: 'queue:general' });
    expect(packQueues(['general', 'securities', 'bank'])).toEqual({ securities: 'queue:securities', fund: 'queue:general', bank: 'queue:bank' });
    expect(packQueues(['front'])).toEqual({ securities: 'queue:front', fund: 'queue:front', bank: 'queue:front' });
  });

  it('notices: a valid list is in force at once and saved; a bad one is refused and the old one stays; a restart reads the file', () => {
    const file = join(tmp(), 'notices.json');
    const a = new NoticeFile(file, logger);
    expect(a.list()).toEqual([]);
    const notice = { id: 'upgrade', text: '系统将于今晚升级。', from: 1000, until: 5000, dnis: ['95000'] };
    a.replace([notice]);
    expect(a.board.active('95000', 2000).map((n) => n.id)).toEqual(['upgrade']);
    expect(a.board.active('95002', 2000)).toEqual([]);
    expect(a.board.active('95000', 5000)).toEqual([]);
    expect(() => a.replace([{ id: 'x', text: '', from: 1, until: 2 }])).toThrow(/notice 0: text/);
    expect(() => a.replace([notice, notice])).toThrow(/used twice/);
    expect(a.list()).toEqual([notice]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([notice]);
    expect(new NoticeFile(file, logger).board.active('95000', 2000).map((n) => n.id)).toEqual(['upgrade']);
  });

  it('a notices file that is not a valid list is ignored with a warning', () => {
    const file = join(tmp(), 'notices.json');
    writeFileSync(file, '{"id": "not a list"}');
    expect(new NoticeFile(file, logger).list()).toEqual([]);
    expect(warnings).toEqual(['ivr: notices file ignored']);
  });
});

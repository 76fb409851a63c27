import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { JsonlSurveyStore } from './jsonl-survey-store.ts';

describe('survey results in a JSON-lines file (IVR-8)', () => {
  it('keeps results across a restart, counts per agent, and skips a torn line without losing the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surveys-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'surveys.jsonl');
    const a = new JsonlSurveyStore(file);
    await Promise.all([
      a.save({ interactionId: 'ix-1', agentId: '8001', entryPoint: '95000', score: 1, completed: true, at: 1 }),
      a.save({ interactionId: 'ix-2', agentId: '8001', score: 3, completed: true, at: 2 }),
      a.save({ interactionId: 'ix-3', agentId: '8002', completed: false, at: 3 }),
    ]);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).interactionId)).toEqual(['ix-1', 'ix-2', 'ix-3']);
    appendFileSync(file, '{"interactionId":"ix-4","agen');
    const b = new JsonlSurveyStore(file);
    expect(b.skippedLines).toBe(1);
    expect(await b.summary('8001')).toEqual({ agentId: '8001', offered: 2, completed: 2, byScore: { '1': 1, '3': 1 }, meanScore: 2 });
    expect(await b.summary('8002')).toEqual({ agentId: '8002', offered: 1, completed: 0, byScore: {} });
    expect((await b.list()).map((r) => r.interactionId)).toEqual(['ix-1', 'ix-2', 'ix-3']);
    await b.save({ interactionId: 'ix-5', agentId: '8002', score: 2, completed: true, at: 5 });
    const c = new JsonlSurveyStore(file);
    expect(c.skippedLines).toBe(1);
    expect((await c.list('8002')).map((r) => r.interactionId)).toEqual(['ix-3', 'ix-5']);
  });
});

/**
 * IVR-8 results kept across restarts: one JSON line per answered (or
 * abandoned) survey, appended to a file; read back whole at start. A line
 * that does not parse (a torn write at a crash) is skipped and counted, so
 * one bad line never loses the others.
 */
import { appendFile } from 'node:fs/promises';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { InMemorySurveyStore, type SurveyResult } from './survey-store.ts';

function isResult(v: unknown): v is SurveyResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r['interactionId'] === 'string' && typeof r['agentId'] === 'string' && typeof r['completed'] === 'boolean' && typeof r['at'] === 'number' && (r['score'] === undefined || typeof r['score'] === 'number');
}

export class JsonlSurveyStore extends InMemorySurveyStore {
  /** Lines of the file that were not survey results. */
  readonly skippedLines: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {
    super();
    let skipped = 0;
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      // A torn last line is closed, so the next result starts a line of its own.
      if (text.length > 0 && !text.endsWith('\n')) appendFileSync(path, '\n');
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const v: unknown = JSON.parse(line);
          if (isResult(v)) this.results.push(v);
          else skipped++;
        } catch {
          skipped++;
        }
      }
    }
    this.skippedLines = skipped;
  }

  override async save(r: SurveyResult): Promise<void> {
    // Appends in order, one at a time; the result counts once it is on disk.
    const write = this.tail.then(() => appendFile(this.path, `${JSON.stringify(r)}\n`, { mode: 0o640 }));
    this.tail = write.catch(() => undefined);
    await write;
    await super.save(r);
  }
}

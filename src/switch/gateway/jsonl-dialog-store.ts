/**
 * DialogStore as a JSON-lines file (DIR/sip-dialogs.jsonl): every put and
 * remove is one appended line, written in order through one queue; list()
 * replays the file. A torn last line (the crash came mid-write) is skipped.
 * clear() truncates, which also compacts the file after recovery.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DialogRecord, DialogStore } from './dialog-store.ts';

type Line = { op: 'put'; record: DialogRecord } | { op: 'remove'; legId: string };

export class JsonlDialogStore implements DialogStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  put(record: DialogRecord): Promise<void> {
    return this.append({ op: 'put', record });
  }

  remove(legId: string): Promise<void> {
    return this.append({ op: 'remove', legId });
  }

  async list(): Promise<DialogRecord[]> {
    await this.queue;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const live = new Map<string, DialogRecord>();
    for (const raw of text.split('\n')) {
      if (raw.trim().length === 0) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      if (line.op === 'put' && typeof line.record?.legId === 'string') live.set(line.record.legId, line.record);
      else if (line.op === 'remove') live.delete(line.legId);
    }
    return [...live.values()];
  }

  clear(): Promise<void> {
    return this.enqueue(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(this.path, '');
    });
  }

  private append(line: Line): Promise<void> {
    return this.enqueue(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, JSON.stringify(line) + '\n');
    });
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

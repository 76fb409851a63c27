import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from './store.conformance.ts';

let dir = '';
storeConformance('SQLite (temp file, WAL)', {
  async setup() {
    dir = mkdtempSync(join(tmpdir(), 'hotline-sqlite-'));
    return { kind: 'sqlite', file: join(dir, 'hotline.db') };
  },
  async teardown() {
    rmSync(dir, { recursive: true, force: true });
  },
});

// House rules that a lint pass enforces (STYLE.md "Distilled" 9 and 10):
// no console in library code, process.env only in the composition root,
// files split before 800 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const files = [...walk(join(root, 'src')), ...walk(join(root, 'packs'))].map((f) => relative(root, f));

describe('house rules', () => {
  it('library code logs through the injected logger, never console', () => {
    const bad = files.filter((f) => !f.startsWith('src/app/') && /^\s*console\.(log|error|warn|info|debug)\(/m.test(readFileSync(join(root, f), 'utf8')));
    expect(bad).toEqual([]);
  });
  it('process.env is read only in the composition root', () => {
    const bad = files.filter((f) => !f.startsWith('src/app/') && /process\.env\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(bad).toEqual([]);
  });
  it('no source file is over 800 lines', () => {
    const bad = files.filter((f) => readFileSync(join(root, f), 'utf8').split('\n').length > 800);
    expect(bad).toEqual([]);
  });
});

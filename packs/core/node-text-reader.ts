import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { TextFileReader } from './mailbox.ts';

/** A TextFileReader over a folder on disk (the adapter the composition root hands to FolderMailbox). */
export function folderTextReader(root: string): TextFileReader {
  const base = resolve(root);
  return async (rel) => {
    const path = resolve(join(base, rel));
    if (!path.startsWith(base + sep)) return undefined;
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
  };
}

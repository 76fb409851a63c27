/**
 * Builds the web UI into web/dist with Vite's JS API when dist is missing
 * or older than any of its inputs (web/src, index.html, the Vite config,
 * package-lock.json), so `npm ci && npm start` serves a built UI on a fresh
 * machine (`prestart` runs this) and an unchanged tree starts at once.
 *
 *   node bin/run-ts.js web/build.ts           build if stale
 *   node bin/run-ts.js web/build.ts --force   always build
 *
 * Progress goes to stderr.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const WEB_DIR = import.meta.dirname;
export const WEB_DIST = join(WEB_DIR, 'dist');
const INPUTS = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.ts'), join(WEB_DIR, '..', 'package-lock.json')];

/** Newest modification time (ms) of a file or of any file below a directory; 0 when absent. */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the UI needs building, or undefined when web/dist is up to date. */
export function staleReason(dist = WEB_DIST, inputs = INPUTS): string | undefined {
  const built = join(dist, 'index.html');
  if (!existsSync(built)) return `${built} is missing`;
  const builtAt = statSync(built).mtimeMs;
  const changed = inputs.find((p) => newestMtime(p) > builtAt);
  return changed ? `${changed} changed since the last build` : undefined;
}

export interface EnsureOptions {
  force?: boolean;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
}

/** Builds web/dist unless it is fresh; resolves with what it did. */
export async function ensureWebBuild(opts: EnsureOptions = {}): Promise<'fresh' | 'built'> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const reason = opts.force ? 'forced' : staleReason();
  if (!reason) {
    log(`hotline: web UI is up to date (${WEB_DIST})`);
    return 'fresh';
  }
  log(`hotline: building the web UI into ${WEB_DIST} (${reason}); this takes a minute on a slow machine...`);
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'info', clearScreen: false });
  log(`hotline: web UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureWebBuild({ force: process.argv.includes('--force') }).catch((err: unknown) => {
    process.stderr.write(`hotline: building the web UI failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * Serves the built web UI (web/dist, made by web/build.ts) from the API's own
 * port: files by path, `index.html` for the UI's own page paths (client-side
 * routing), nothing under /api/ (those keep their JSON 404). Hashed files
 * under /assets/ are cached for a year; everything else is revalidated.
 * When the UI has not been built, pages answer 503 with how to build it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebStaticOptions {
  /** Absolute path of the built UI (the directory holding index.html). */
  root: string;
}

/** web/dist of this checkout (src/api → ../../web/dist). */
export const DEFAULT_WEB_ROOT = join(import.meta.dirname, '..', '..', 'web', 'dist');

/** Paths the UI must never shadow: the API, its document and health. */
const API_PATH = /^(api(\/|$)|openapi\.json$|health$)/;
/** A path naming a file (has an extension in its last segment), not a page of the UI. */
const FILE_PATH = /(^|\/)[^/]*\.[A-Za-z0-9]+$/;

const NOT_BUILT = `<!doctype html><html><head><meta charset="utf-8"><title>Hotline</title></head>
<body><h1>Hotline web UI is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first), then reload.</p>
<p>The API is up: <a href="/health">/health</a>, <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;

export function registerWebStatic(app: FastifyInstance, opts: WebStaticOptions): void {
  const indexFile = join(opts.root, 'index.html');
  void app.register(fastifyStatic, {
    root: opts.root,
    serve: false,
    dotfiles: 'ignore',
    cacheControl: false,
  });

  const handler = async (req: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) => {
    const path = (req.params['*'] ?? '').replace(/^\/+/, '');
    if (API_PATH.test(path)) return reply.callNotFound();
    if (!existsSync(indexFile)) return reply.code(503).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(NOT_BUILT);
    if (!FILE_PATH.test(path)) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    void reply.header('cache-control', path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.sendFile(path);
  };
  app.get('/', handler);
  app.get('/*', handler);
}

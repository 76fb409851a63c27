import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/clock.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { buildHttpApi } from './http-api.ts';

let root: string;
let stores: Stores;
let app: FastifyInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hotline-web-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hotline UI</title><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'index-Ab12.js'), 'console.log(1)');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, '.secret'), 'x');
  stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  const clock = new FakeClock(0);
  app = buildHttpApi({ version: 't', clock, realm: 'r', startedAt: 0, stores, components: async () => ({ http: { status: 'up' } }) }, { web: { root } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await stores.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('web UI on the API port (DESIGN.md: web UI served by the same process)', () => {
  it.each([
    ['/', 'text/html', 'Hotline UI', 'no-cache'],
    ['/admin/sip-users', 'text/html', 'Hotline UI', 'no-cache'],
    ['/assets/index-Ab12.js', 'javascript', 'console.log(1)', 'immutable'],
    ['/favicon.svg', 'image/svg+xml', '<svg', 'no-cache'],
  ])('GET %s serves the UI file', async (url, type, text, cache) => {
    const r = await get(url);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain(type);
    expect(r.body).toContain(text);
    expect(r.headers['cache-control']).toContain(cache);
  });

  it.each([
    ['/api/v1/nothing-here'],
    ['/api/'],
    ['/assets/missing.js'],
    ['/.secret'],
    ['/../package.json'],
  ])('GET %s answers the JSON 404, never a file outside the UI or index.html', async (url) => {
    const r = await get(url);
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not-found');
  });

  it.each([['/assets/..%2f..%2fpackage.json'], ['/%2e%2e/%2e%2e/package.json'], ['/assets/%2e%2e%2f.secret']])('GET %s is refused with a JSON error', async (url) => {
    const r = await get(url);
    expect([403, 404]).toContain(r.statusCode);
    expect(r.json().error.code).toMatch(/forbidden|not-found/);
  });

  it('API routes still win over the UI', async () => {
    expect((await get('/health')).json().status).toBe('ok');
    expect((await get('/openapi.json')).json().openapi).toBe('3.1.0');
    expect((await get('/api/v1/me')).statusCode).toBe(401);
  });

  it('answers 503 with how to build it while web/dist has no index.html', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'hotline-web-empty-'));
    const bare = buildHttpApi({ version: 't', clock: new FakeClock(0), realm: 'r', startedAt: 0, stores, components: async () => ({}) }, { web: { root: empty } });
    try {
      const r = await bare.inject({ method: 'GET', url: '/' });
      expect(r.statusCode).toBe(503);
      expect(r.body).toContain('npm run build:web');
      expect((await bare.inject({ method: 'GET', url: '/api/v1/x' })).statusCode).toBe(404);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

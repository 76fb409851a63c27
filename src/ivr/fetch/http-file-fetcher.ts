import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../shared/clock.ts';
import { FetchError, type FetchRequest, type FetchedResource, type ResourceFetcher } from './resource-fetcher.ts';

interface CachedHttp {
  readonly res: FetchedResource;
  readonly etag?: string;
  readonly freshUntil: number;
}

/**
 * Fetches over HTTP(S) with node's fetch (fetchtimeout as an abort signal,
 * Cache-Control max-age / no-store and ETag revalidation honoured) and from
 * file: URLs, re-reading a file whenever its mtime or size changed (IVR-2:
 * an edited document is used by the next fetch, no restart). Bodies larger
 * than maxBytes are refused (error.badfetch upstream).
 */
export class HttpFileFetcher implements ResourceFetcher {
  private readonly http = new Map<string, CachedHttp>();
  private readonly files = new Map<string, FetchedResource & { key: string }>();

  constructor(private readonly clock: Clock, private readonly maxCacheEntries = 500) {}

  async fetch(req: FetchRequest): Promise<FetchedResource> {
    const u = new URL(req.url);
    if (u.protocol === 'file:') return this.fetchFile(req, u);
    if (u.protocol === 'http:' || u.protocol === 'https:') return this.fetchHttp(req, u);
    throw new FetchError('bad-url', `unsupported URL scheme ${u.protocol}`);
  }

  private async fetchFile(req: FetchRequest, u: URL): Promise<FetchedResource> {
    const path = fileURLToPath(u);
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new FetchError('not-found', `${req.url}: no such file`);
    }
    if (st.size > req.maxBytes) throw new FetchError('too-large', `${req.url}: ${st.size} bytes > ${req.maxBytes}`);
    const key = `${st.mtimeMs}:${st.size}`;
    const hit = this.files.get(path);
    if (hit && hit.key === key) return hit;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new FetchError('io', `${req.url}: ${(e as Error).message}`);
    }
    const res = { url: u.href, text, version: `file:${key}`, key };
    this.remember(this.files, path, res);
    return res;
  }

  private async fetchHttp(req: FetchRequest, u: URL): Promise<FetchedResource> {
    const method = req.method ?? 'GET';
    const fields = req.fields ?? {};
    let body: string | undefined;
    if (method === 'GET') for (const [k, v] of Object.entries(fields)) u.searchParams.append(k, v);
    else body = new URLSearchParams(fields as Record<string, string>).toString();
    const cacheable = method === 'GET';
    const cached = cacheable ? this.http.get(u.href) : undefined;
    if (cached && cached.freshUntil > this.clock.now()) return cached.res;
    const headers: Record<string, string> = {};
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    let resp: Response;
    try {
      resp = await fetch(u, { method, headers, body, signal: AbortSignal.timeout(req.timeoutMs), redirect: 'follow' });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new FetchError('timeout', `${u.href}: no answer within ${req.timeoutMs} ms`);
      throw new FetchError('io', `${u.href}: ${err.message}`);
    }
    if (resp.status === 304 && cached) {
      await resp.body?.cancel();
      const fresh = { ...cached, freshUntil: this.clock.now() + maxAge(resp.headers.get('cache-control')) };
      this.remember(this.http, u.href, fresh);
      return cached.res;
    }
    if (resp.status === 404) {
      await resp.body?.cancel();
      throw new FetchError('not-found', `${u.href}: 404`);
    }
    if (!resp.ok) {
      await resp.body?.cancel();
      throw new FetchError('http-status', `${u.href}: HTTP ${resp.status}`);
    }
    const declared = Number(resp.headers.get('content-length') ?? '0');
    if (declared > req.maxBytes) {
      await resp.body?.cancel();
      throw new FetchError('too-large', `${u.href}: ${declared} bytes > ${req.maxBytes}`);
    }
    const text = await readLimited(resp, req.maxBytes, u.href, req.timeoutMs);
    const etag = resp.headers.get('etag') ?? undefined;
    const cc = resp.headers.get('cache-control');
    const res: FetchedResource = { url: resp.url || u.href, text, version: etag ?? `t:${this.clock.now()}` };
    if (cacheable && !/no-store/i.test(cc ?? '')) {
      this.remember(this.http, u.href, { res, etag, freshUntil: this.clock.now() + maxAge(cc) });
    }
    return res;
  }

  private remember<V>(m: Map<string, V>, k: string, v: V): void {
    m.delete(k);
    m.set(k, v);
    if (m.size > this.maxCacheEntries) m.delete(m.keys().next().value!);
  }
}

function maxAge(cc: string | null): number {
  if (!cc || /no-cache|no-store/i.test(cc)) return 0;
  const m = /max-age\s*=\s*(\d+)/i.exec(cc);
  return m ? Number(m[1]) * 1000 : 0;
}

async function readLimited(resp: Response, max: number, url: string, timeoutMs: number): Promise<string> {
  if (!resp.body) return '';
  const reader = resp.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel();
        throw new FetchError('too-large', `${url}: more than ${max} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof FetchError) throw e;
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new FetchError('timeout', `${url}: body not received within ${timeoutMs} ms`);
    throw new FetchError('io', `${url}: ${err.message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

import type { FetchRequest, FetchedResource, ResourceFetcher } from '../../src/ivr/fetch/resource-fetcher.ts';
import { FetchError } from '../../src/ivr/fetch/resource-fetcher.ts';

/** Test web server in memory: documents by URL; records each request. */
export class MemoryFetcher implements ResourceFetcher {
  readonly requests: FetchRequest[] = [];
  constructor(private readonly docs: Record<string, string>) {}
  async fetch(req: FetchRequest): Promise<FetchedResource> {
    this.requests.push(req);
    const u = new URL(req.url);
    if (req.fields && req.method !== 'POST') for (const [k, v] of Object.entries(req.fields)) u.searchParams.set(k, v);
    const key = Object.keys(this.docs).find((k) => k === u.href || k === req.url);
    if (key === undefined) throw new FetchError('not-found', `${req.url}: 404`);
    const text = this.docs[key]!;
    if (text.length > req.maxBytes) throw new FetchError('too-large', `${req.url}: too large`);
    return { url: req.url, text, version: 'v1' };
  }
}

export const vxml = (body: string, attrs = ''): string =>
  `<?xml version="1.0"?><vxml version="2.1" xmlns="http://www.w3.org/2001/vxml" ${attrs}>` +
  `${body}<catch><exit expr="'fail: ' + _event + ' ' + _message"/></catch></vxml>`;

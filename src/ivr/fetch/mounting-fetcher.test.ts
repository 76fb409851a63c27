// The fetch layer's mount point for in-process application servers (issue 8, IVR-1).
import { describe, expect, it } from 'vitest';
import { MountingFetcher } from './mounting-fetcher.ts';
import { FetchError, type FetchRequest, type ResourceFetcher } from './resource-fetcher.ts';

function named(name: string, seen: FetchRequest[]): ResourceFetcher {
  return {
    async fetch(req) {
      seen.push(req);
      return { url: req.url, text: name, version: '1' };
    },
  };
}

describe('IVR-1 MountingFetcher routes URLs under a prefix to an in-process server', () => {
  const seen: FetchRequest[] = [];
  const f = new MountingFetcher(named('fallback', seen), [
    { prefix: 'http://hotline.invalid/ivr/packs/', fetcher: named('packs', seen) },
    { prefix: 'http://hotline.invalid/ivr/packs/bank/', fetcher: named('bank', seen) },
  ]);
  it.each([
    ['http://hotline.invalid/ivr/packs/securities/zh-CN/start', 'packs'],
    ['http://hotline.invalid/ivr/packs/bank/en-US/start#menu', 'bank'],
    ['http://hotline.invalid/ivr/other.vxml', 'fallback'],
    ['file:///srv/app.vxml', 'fallback'],
    ['http://example.com/ivr/packs/securities/', 'fallback'],
  ])('%s -> %s', async (url, want) => {
    const r = await f.fetch({ url, timeoutMs: 1000, maxBytes: 1000, method: 'POST', fields: { a: '1' } });
    expect(r.text).toBe(want);
    expect(seen.at(-1)).toMatchObject({ url, method: 'POST', fields: { a: '1' } });
  });

  it.each(['packs/', 'HTTP://Hotline.invalid/x/'])('refuses a prefix that is not a normal absolute URL: %s', (prefix) => {
    expect(() => new MountingFetcher(named('x', []), [{ prefix, fetcher: named('y', []) }])).toThrow(FetchError);
  });
});

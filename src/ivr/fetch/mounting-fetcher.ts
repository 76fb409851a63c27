import { FetchError, type FetchRequest, type FetchedResource, type ResourceFetcher } from './resource-fetcher.ts';

/** A fetcher that answers every URL under `prefix` (for example an in-process VoiceXML application server). */
export interface FetchMount {
  /** Absolute URL prefix, e.g. `http://hotline.invalid/ivr/packs/`; matched on the URL without its fragment. */
  readonly prefix: string;
  readonly fetcher: ResourceFetcher;
}

/**
 * The IVR fetch layer's extension point: URLs under a mounted prefix go to
 * that mount's fetcher (longest prefix first), everything else to the
 * fallback (HTTP and files). This is how an application server living in
 * the same process (the securities, fund and bank packs) is reached without
 * a socket, while the documents keep ordinary http: URLs, so the same
 * application can later be served over real HTTP unchanged.
 */
export class MountingFetcher implements ResourceFetcher {
  private readonly mounts: readonly FetchMount[];

  constructor(private readonly fallback: ResourceFetcher, mounts: readonly FetchMount[]) {
    for (const m of mounts) {
      let u: URL;
      try {
        u = new URL(m.prefix);
      } catch {
        throw new FetchError('bad-url', `mount prefix '${m.prefix}' is not an absolute URL`);
      }
      if (u.href !== m.prefix) throw new FetchError('bad-url', `mount prefix '${m.prefix}' is not in normal form ('${u.href}')`);
    }
    this.mounts = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  fetch(req: FetchRequest): Promise<FetchedResource> {
    const url = req.url.split('#')[0]!;
    const mount = this.mounts.find((m) => url.startsWith(m.prefix));
    return (mount ? mount.fetcher : this.fallback).fetch(req);
  }
}

/** Where documents, grammars, scripts and data come from. */
export interface FetchRequest {
  readonly url: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly method?: 'GET' | 'POST';
  /** Form fields for submit / data namelist (query string for GET, urlencoded body for POST). */
  readonly fields?: Readonly<Record<string, string>>;
}
export interface FetchedResource {
  /** Final URL (after redirects), used to resolve relative references. */
  readonly url: string;
  readonly text: string;
  /** Changes whenever the content may have changed (ETag, mtime): the parse cache key. */
  readonly version: string;
}

export type FetchErrorCode = 'timeout' | 'not-found' | 'too-large' | 'http-status' | 'io' | 'bad-url';
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  constructor(code: FetchErrorCode, message: string) {
    super(message);
    this.name = 'FetchError';
    this.code = code;
  }
}

export interface ResourceFetcher {
  fetch(req: FetchRequest): Promise<FetchedResource>;
}

/** Resolve `ref` against `base` (http(s) and file URLs). */
export function resolveUrl(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    throw new FetchError('bad-url', `cannot resolve '${ref}' against '${base}'`);
  }
}

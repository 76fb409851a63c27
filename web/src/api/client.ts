/**
 * The UI's one way to the HTTP API: JSON in and out, the session's bearer
 * token on every call, and a typed error carrying the API's status and code.
 * A 401 on an authenticated call tells the session it has ended.
 */

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  token?: string;
  /** Called when an authenticated request answers 401 (expired or revoked token). */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export class ApiClient {
  constructor(private readonly opts: ApiClientOptions = {}) {}

  /** The session's bearer token, for what cannot go through fetch (the event stream's WebSocket). */
  get token(): string | undefined {
    return this.opts.token;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    const doFetch = this.opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new ApiRequestError(0, 'network', err instanceof Error ? err.message : 'network error');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      if (res.status === 401 && this.opts.token) this.opts.onUnauthorized?.();
      throw new ApiRequestError(res.status, error?.code ?? `http-${res.status}`, error?.message ?? (res.statusText || `HTTP ${res.status}`));
    }
    return json as T;
  }
}

/**
 * A client of the server's event stream at /api/v1/events (CTI-6, SUP-1):
 * opens the WebSocket, authenticates with the session token in the first
 * frame (a browser cannot set headers on an upgrade), hands each event
 * frame to `onEvent`, and reconnects after a drop with a growing delay
 * (`retryMs`, doubled up to `maxRetryMs`, back to the start once a
 * connection says hello). A refused token (close 4401) is final: the
 * session has ended, polling takes over. No React here; use-event-stream.ts
 * is the hook.
 */

/** One event frame as the stream sends it (protocol version 1). */
export interface StreamFrame {
  v: number;
  seq: number;
  source: 'switch' | 'acd';
  type: string;
  at: number;
  interaction?: string;
  agentId?: string;
  [field: string]: unknown;
}

/** `live` once the server said hello; `down` while (re)connecting; `refused` when the token was not accepted. */
export type StreamLink = 'connecting' | 'live' | 'down' | 'refused';

/** The part of the WebSocket API used here (the browser's, or Node's global one in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface EventStreamClientOptions {
  url: string;
  token: string;
  onEvent(frame: StreamFrame): void;
  onLink?(link: StreamLink): void;
  /** First reconnect delay (ms); default 1000. */
  retryMs?: number;
  /** Longest reconnect delay (ms); default 15000. */
  maxRetryMs?: number;
  /** Defaults to the global WebSocket. */
  connect?: (url: string) => SocketLike;
}

/** ws(s)://<this page's host>/api/v1/events. */
export function eventStreamUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/events`;
}

export class EventStreamClient {
  private socket: SocketLike | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay: number;
  private stopped = false;
  private linkNow: StreamLink = 'connecting';

  constructor(private readonly o: EventStreamClientOptions) {
    this.delay = o.retryMs ?? 1000;
  }

  get link(): StreamLink {
    return this.linkNow;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.onclose = null;
      s.onmessage = null;
      s.onerror = null;
      s.close(1000);
    }
  }

  private setLink(l: StreamLink): void {
    if (l === this.linkNow) return;
    this.linkNow = l;
    this.o.onLink?.(l);
  }

  private open(): void {
    if (this.stopped) return;
    this.setLink(this.linkNow === 'live' ? 'down' : this.linkNow);
    let s: SocketLike;
    try {
      s = (this.o.connect ?? ((u: string) => new WebSocket(u) as unknown as SocketLike))(this.o.url);
    } catch {
      this.retry();
      return;
    }
    this.socket = s;
    s.onopen = () => s.send(JSON.stringify({ type: 'auth', token: this.o.token }));
    s.onmessage = (ev) => {
      let f: Partial<StreamFrame> & { code?: string };
      try {
        f = JSON.parse(String(ev.data)) as typeof f;
      } catch {
        return;
      }
      if (f.type === 'hello') {
        this.delay = this.o.retryMs ?? 1000;
        this.setLink('live');
      } else if (f.type === 'error') {
        if (f.code === 'unauthorized') this.setLink('refused');
      } else if (typeof f.seq === 'number') this.o.onEvent(f as StreamFrame);
    };
    s.onerror = () => undefined;
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.socket = undefined;
      if (ev.code === 4401 || this.linkNow === 'refused') {
        this.setLink('refused');
        return;
      }
      this.setLink('down');
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.o.maxRetryMs ?? 15_000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open();
    }, wait);
  }
}

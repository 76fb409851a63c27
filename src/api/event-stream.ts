/**
 * The WebSocket event stream at /api/v1/events (CTI-6, SUP-1, RPT-1): typed,
 * versioned events of the switch and the ACD, pushed to desktops and
 * consoles as they happen instead of polled.
 *
 * Protocol (version 1), JSON text frames:
 *   client → server, first frame unless the upgrade carried
 *     `Authorization: Bearer TOKEN`: {"type":"auth","token":"TOKEN"}
 *   server → client: {"v":1,"type":"hello","user":…,"role":…} once
 *     authenticated, then one frame per event:
 *     {"v":1,"seq":N,"source":"switch"|"acd"|"board","type":…,"at":epochMs,
 *      "interaction"?:…,"agentId"?:…,"recipients"?:[…], …the event's own fields}
 *   errors: {"v":1,"type":"error","code":"unauthorized"|"forbidden"|"too-slow"}
 *     and the socket is closed (4401, 4403, 4408).
 * Kinds beyond the switch's and the ACD engine's own (src/app/event-feed.ts):
 *   acd `queue-waiting` {queueId, waiting}: sent to every client;
 *   acd `offered` / `connected` carry `serviceTimeLimitMs` and
 *   `serviceTimeReminderMs` when the queue has a CTI-7 limit, `offered`
 *   carries `blacklistWarning` (ACD-7); acd `service-time` {limitMs,
 *   remainingMs} is the CTI-7 reminder (remainingMs > 0) or the limit (0).
 * A supervisor or admin sees every event, or with `?agent=ID` on the URL
 * only what that agent's own desktop would (a wallboard tile, a CTI link);
 * an agent sees events about itself and about the calls it was offered or
 * took part in (its `?agent=` must be itself). A client that does
 * not read (more than `maxBufferedBytes` waiting) is dropped, so one stuck
 * browser never holds the server's memory. DTMF never enters the stream.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { UserRole } from '../store/user-store.ts';
import type { ApiDeps } from './api-deps.ts';
import { userOfToken } from './auth.ts';
import { permits } from './permissions.ts';

export const EVENTS_PATH = '/api/v1/events';
export const STREAM_VERSION = 1;

/** One event as the stream sends it (before `v` and `seq` are stamped). */
export interface StreamEvent {
  readonly source: 'switch' | 'acd' | 'board';
  /** Board events (tasks, notices): the agents they concern; only those agents (and supervisors) receive them. */
  readonly recipients?: readonly string[];
  readonly type: string;
  readonly at: number;
  readonly interaction?: string;
  readonly agentId?: string;
  readonly [field: string]: unknown;
}

/** Where events come from (the composition root joins the switch and the ACD). */
export interface EventFeed {
  subscribe(listener: (e: StreamEvent) => void): () => void;
}

/**
 * ADM-1: the permission (API area) an event belongs to, for a user with a
 * custom role: the same area as the routes that show that information.
 */
export function permissionOfEvent(e: Pick<StreamEvent, 'source' | 'type'>): string {
  if (e.source === 'switch') return 'calls';
  if (e.source === 'acd') return 'acd';
  return e.type.startsWith('task.') ? 'tasks' : 'notices';
}

/** Which events one subscriber may see; agents follow the calls they were part of. */
export class Audience {
  private readonly calls = new Set<string>();

  /**
   * `focus`: narrow a supervisor's or admin's view to one agent's.
   * `customPermissions`: asked at every event (a role may change while the
   * client is connected); undefined for a user without a custom role.
   */
  constructor(
    readonly role: UserRole,
    readonly agentId: string,
    private readonly focus?: string,
    private readonly customPermissions: () => readonly string[] | undefined = () => undefined,
  ) {
    if (focus !== undefined) this.agentId = focus;
  }

  admits(e: StreamEvent): boolean {
    const custom = this.customPermissions();
    if (custom !== undefined && !permits(custom, permissionOfEvent(e))) return false;
    if (this.role !== 'agent' && this.focus === undefined) return true;
    if (e.recipients !== undefined) return e.recipients.includes(this.agentId);
    if (e.source === 'acd' && e.type === 'queue-waiting') return true;
    // The desktop's directory of agents (CTI-3, CTI-4): every agent's state, as GET /api/v1/agents shows it to agents too.
    if (e.source === 'acd' && e.type === 'agent-state' && e.agentId !== this.agentId) return true;
    const mine = e.agentId === this.agentId;
    if (mine && e.interaction !== undefined) this.calls.add(e.interaction);
    const follows = e.interaction !== undefined && this.calls.has(e.interaction);
    if (follows && e.source === 'switch' && e.type === 'interaction.ended') this.calls.delete(e.interaction!);
    return mine || follows;
  }
}

export interface EventStreamOptions {
  /** A connection must authenticate within this time (ms). */
  authTimeoutMs?: number;
  /** A client with more than this many bytes not yet sent is dropped. */
  maxBufferedBytes?: number;
  /** Ping interval (ms); a client that misses a pong is dropped. */
  pingMs?: number;
}

/** Serves the stream on the Fastify app's HTTP server (the `upgrade` of EVENTS_PATH). */
export function attachEventStream(app: FastifyInstance, deps: ApiDeps, feed: EventFeed, o: EventStreamOptions = {}): { close(): void; readonly clients: number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const maxBuffered = o.maxBufferedBytes ?? 1 << 20;
  let seq = 0;
  const live = new Set<{ ws: WebSocket; audience: Audience }>();
  const unsubscribe = feed.subscribe((e) => {
    if (live.size === 0) return;
    const frame = JSON.stringify({ v: STREAM_VERSION, seq: ++seq, ...e });
    for (const c of live) {
      if (!c.audience.admits(e)) continue;
      if (c.ws.bufferedAmount > maxBuffered) {
        fail(c.ws, 4408, 'too-slow', 'the client does not read its events');
        continue;
      }
      c.ws.send(frame);
    }
  });

  const fail = (ws: WebSocket, code: number, error: string, message: string) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ v: STREAM_VERSION, type: 'error', code: error, message }));
    ws.close(code, error);
  };

  const start = async (ws: WebSocket, bearer: string, focus: string | undefined) => {
    let user;
    try {
      user = await userOfToken(bearer, deps, 'agent');
    } catch (e) {
      fail(ws, 4401, 'unauthorized', e instanceof Error ? e.message : 'invalid token');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    if (user.role === 'agent' && focus !== undefined && focus !== user.username) return fail(ws, 4403, 'forbidden', 'an agent follows only itself');
    const username = user.username;
    const client = { ws, audience: new Audience(user.role, username, focus, () => deps.roles?.roleOf(username)?.permissions) };
    live.add(client);
    ws.on('close', () => live.delete(client));
    ws.send(JSON.stringify({ v: STREAM_VERSION, type: 'hello', user: user.username, role: user.role }));
  };

  const onConnection = (ws: WebSocket, req: IncomingMessage) => {
    const focus = new URL(req.url ?? '/', 'http://x').searchParams.get('agent') ?? undefined;
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return void ws.terminate();
      alive = false;
      ws.ping();
    }, o.pingMs ?? 30_000);
    ping.unref();
    ws.on('close', () => clearInterval(ping));
    ws.on('error', () => ws.terminate());
    const header = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (header) return void start(ws, header[1]!, focus);
    const timer = setTimeout(() => fail(ws, 4401, 'unauthorized', 'no auth frame in time'), o.authTimeoutMs ?? 5_000);
    timer.unref();
    ws.once('message', (data) => {
      clearTimeout(timer);
      let token: unknown;
      try {
        const m = JSON.parse(String(data)) as { type?: unknown; token?: unknown };
        token = m.type === 'auth' ? m.token : undefined;
      } catch {
        token = undefined;
      }
      if (typeof token !== 'string' || token === '') return fail(ws, 4401, 'unauthorized', 'the first frame must be {"type":"auth","token":"…"}');
      void start(ws, token, focus);
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== EVENTS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  };
  app.server.on('upgrade', onUpgrade);
  return {
    get clients() {
      return live.size;
    },
    close() {
      unsubscribe();
      app.server.off('upgrade', onUpgrade);
      for (const c of live) c.ws.close(1001, 'server stopping');
      wss.close();
    },
  };
}

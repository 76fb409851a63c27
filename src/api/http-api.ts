/**
 * Builds the Fastify application: health, /api/v1 routes, /openapi.json,
 * and the one error handler. Listening is the caller's business.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.ts';
import { installErrorHandler } from './error-handler.ts';
import { ApiError } from './api-error.ts';
import { attachEventStream, EVENTS_PATH, type EventFeed } from './event-stream.ts';
import { ErrorBody } from './schemas.ts';
import { buildOpenApi } from './openapi.ts';
import { defineRoute, registerRoutes, type RouteDef } from './route-def.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { installAuditHook } from './routes/audit-hook.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { callRecordRoutes } from './routes/call-record-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { queueRoutes } from './routes/queue-routes.ts';
import { registrationRoutes } from './routes/registration-routes.ts';
import { securityRoutes } from './routes/security-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { sipUserRoutes } from './routes/sip-user-routes.ts';
import { registerWebStatic, type WebStaticOptions } from './web-static.ts';

export const API_ROUTES: readonly RouteDef[] = [...healthRoutes, ...registrationRoutes, ...sipUserRoutes, ...securityRoutes, ...sessionRoutes, ...agentRoutes, ...queueRoutes, ...callRecordRoutes, ...auditRoutes];

const mountedRoutes = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route mounted on an app built here (HEAD twins left out), to check the OpenAPI document. */
export function listMountedRoutes(app: FastifyInstance): { method: string; url: string }[] {
  return [...(mountedRoutes.get(app) ?? [])];
}

export interface HttpApiOptions {
  /** pino logger for request logs; none when omitted. */
  logger?: FastifyBaseLogger;
  /** Extra routes mounted the same way (and documented), e.g. by later modules. */
  routes?: readonly RouteDef[];
  /** Serve the built web UI from this port too (web-static.ts). */
  web?: WebStaticOptions;
  /** Serve the WebSocket event stream at /api/v1/events from this feed. */
  events?: EventFeed;
}

/** Documents the stream; a plain GET (no WebSocket upgrade) gets 426. */
const eventsRoute = defineRoute({
  method: 'GET',
  path: EVENTS_PATH,
  summary:
    'WebSocket event stream (upgrade this GET). Authenticate with Authorization: Bearer on the upgrade or a first frame {"type":"auth","token":"…"}; ' +
    'then {"v":1,"type":"hello",…} and one frame per event {"v":1,"seq":N,"source":"switch"|"acd","type":…,"at":ms,"interaction"?,"agentId"?,…}. ' +
    'Switch events: interaction.offered (the screen pop: with the call view), interaction.state, leg.state, agent.connected, agent.released, supervision.changed, ' +
    'calldata.changed, recording.changed, offer.failed, interaction.ended; ACD events: agent-state, offered, connected, ring-no-answer, offer-failed, ' +
    'entry-queued, entry-ended, call-ended, wrap-up-ended, service-time {limitMs, remainingMs: >0 the CTI-7 reminder, 0 the limit passed}, queue-waiting {queueId, waiting} (to every client); ' +
    'offered and connected carry serviceTimeLimitMs/serviceTimeReminderMs when the queue has a limit, offered carries blacklistWarning (ACD-7). Board events (source "board", SUP-4): task.assigned, task.updated, notice.posted, notice.read, each with recipients (agent ids), sent only to them and to supervisors. ' +
    'Agents see their own calls; supervisors and admins everything.',
  tag: 'events',
  responses: { 426: { description: 'not a WebSocket upgrade', schema: ErrorBody } },
  handler: async () => {
    throw new ApiError('upgrade-required', 'connect with a WebSocket client');
  },
});

export function buildHttpApi(deps: ApiDeps, opts: HttpApiOptions = {}): FastifyInstance {
  const app = Fastify(opts.logger ? { loggerInstance: opts.logger } : { logger: false });
  installErrorHandler(app);
  const mounted: { method: string; url: string }[] = [];
  mountedRoutes.set(app, mounted);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') mounted.push({ method, url: r.url });
  });
  let doc: unknown;
  const openApiRoute = defineRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'meta',
    responses: { 200: { description: 'OpenAPI document' } },
    handler: async () => ({ status: 200, body: doc }),
  });
  const routes = [...API_ROUTES, ...(opts.routes ?? []), ...(opts.events ? [eventsRoute] : []), openApiRoute];
  doc = buildOpenApi(routes, deps.version);
  if (deps.audit) installAuditHook(app, deps, deps.audit);
  registerRoutes(app, deps, routes);
  if (opts.events) {
    const stream = attachEventStream(app, deps, opts.events);
    // Before the HTTP server closes: it would otherwise wait for the upgraded sockets of connected desktops.
    app.addHook('preClose', async () => stream.close());
  }
  if (opts.web) registerWebStatic(app, opts.web);
  return app;
}

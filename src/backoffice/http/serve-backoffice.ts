/**
 * serveBackOffice(): serves any BackOffice over the HTTP contract (SEC-1),
 * the reference implementation a broker can read and the server the
 * HttpBackOffice adapter is tested against (with the simulator behind it).
 * Requests are validated with the contract's zod schemas; a BackOfficeError
 * answers `{code, message, details}` with ERROR_STATUS; anything else is a
 * 400 invalid-argument (malformed request) or a 500 unavailable.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BackOfficeError, isBackOfficeError } from '../backoffice-error.ts';
import type { Logger } from '../../shared/logger.ts';
import type { BackOffice } from '../port.ts';
import { AGENT_KEY_HEADER, ERROR_STATUS, ROUTES, type RouteSpec } from './contract.ts';
import { backofficeOpenApi } from './openapi.ts';

export interface ServeBackOfficeOptions {
  readonly backOffice: BackOffice;
  /** Shared key the trusted agent-side routes demand; without one they are open (tests, demos). */
  readonly agentKey?: string;
  /** Where unexpected failures (not BackOfficeError) are reported. */
  readonly logger?: Logger;
}

function keyMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

function fail(reply: FastifyReply, e: BackOfficeError): FastifyReply {
  return reply.code(ERROR_STATUS[e.code]).type('application/json').send(e.toJSON());
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, what: string): z.infer<T> | undefined {
  if (!schema) return undefined;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new BackOfficeError('invalid-argument', `bad ${what}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}

function mount(app: FastifyInstance, opts: ServeBackOfficeOptions, r: RouteSpec): void {
  const bo = opts.backOffice;
  app.route({
    method: r.method,
    url: r.path,
    handler: async (req, reply) => {
      const token = bearer(req);
      if (r.trusted && opts.agentKey !== undefined && !keyMatches(req.headers[AGENT_KEY_HEADER], opts.agentKey)) {
        return fail(reply, new BackOfficeError('not-permitted', `agent-side route needs a valid ${AGENT_KEY_HEADER}`));
      }
      if (r.auth && token === undefined) return fail(reply, new BackOfficeError('not-authenticated', 'missing bearer session token'));
      const params = (parse(r.params, req.params, 'path') ?? {}) as Record<string, string>;
      const query = (parse(r.query, req.query, 'query') ?? {}) as Record<string, string | undefined>;
      const body = r.body ? parse(r.body, req.body, 'body') : undefined;
      const result = await r.invoke(bo, { token: token ?? '', params, query, body });
      if (r.response === null) return reply.code(204).send();
      return reply.code(200).type('application/json').send(JSON.stringify(result));
    },
  });
}

/** Fastify plugin: the contract's routes plus GET /v1/openapi.json. */
export async function backOfficeRoutes(app: FastifyInstance, opts: ServeBackOfficeOptions): Promise<void> {
  app.setErrorHandler((err, req, reply) => {
    if (isBackOfficeError(err)) return fail(reply, err);
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return fail(reply, new BackOfficeError('invalid-argument', err instanceof Error ? err.message : 'bad request'));
    }
    opts.logger?.error({ err, method: req.method, url: req.url }, 'back-office route failed');
    return reply.code(500).type('application/json').send({ code: 'unavailable', message: 'internal error', details: {} });
  });
  app.setNotFoundHandler((req, reply) => fail(reply, new BackOfficeError('invalid-argument', `no route ${req.method} ${req.url}`)));
  const doc = backofficeOpenApi();
  app.get('/v1/openapi.json', async () => doc);
  for (const r of ROUTES) mount(app, opts, r);
}

/** A standalone Fastify server over a BackOffice; call listen() on it. */
export async function serveBackOffice(backOffice: BackOffice, opts: Omit<ServeBackOfficeOptions, 'backOffice'> = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(backOfficeRoutes, { backOffice, ...opts });
  return app;
}

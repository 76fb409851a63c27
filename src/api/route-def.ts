/**
 * Routes are declared once as data: method, path, zod schemas for params,
 * query, body and responses, the role required, and a handler over parsed
 * input. registerRoutes() mounts them on Fastify (validating input with zod);
 * openapi.ts describes the same list, so the document cannot drift from the
 * routes that exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { UserRole } from '../store/user-store.ts';
import { authenticate, checkPermission } from './auth.ts';
import type { ApiDeps } from './api-deps.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  deps: ApiDeps;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Fastify path syntax: `/api/v1/sip-users/:ext`. */
  path: string;
  summary: string;
  tag: string;
  /** Role needed; undefined means no authentication. With a role, the tag is also the permission a custom role must include (permissions.ts). */
  role?: UserRole;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Responses by status, with a description and (unless empty) a schema. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler(input: RouteInput<P, Q, B>): Promise<RouteResult>;
}

/** Keeps the schema/handler types tied together for each route literal. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(def: RouteDef<P, Q, B>): RouteDef {
  return def as unknown as RouteDef;
}

export function registerRoutes(app: FastifyInstance, deps: ApiDeps, routes: readonly RouteDef[]): void {
  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.path,
      handler: async (req, reply) => {
        if (def.role) checkPermission(await authenticate(req, deps, def.role), deps, def.tag);
        const input = {
          params: def.params ? def.params.parse(req.params) : undefined,
          query: def.query ? def.query.parse(req.query) : undefined,
          body: def.body ? def.body.parse(req.body ?? {}) : undefined,
          req,
          deps,
        };
        const result = await def.handler(input);
        void reply.code(result.status);
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
    });
  }
}

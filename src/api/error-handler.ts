/**
 * ONE place where failures become HTTP responses (STYLE.md "typed failures
 * mapped to HTTP status in one place"): ApiError by its status, zod input
 * errors as 400, Fastify's own client errors (bad JSON, wrong content type,
 * body too large) by their status, the switch's CallModelError as 409 with
 * its typed code, SwitchRuntimeError by its kind (404 / 422 / 409 / 403), anything
 * else as 500 without details.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { CallModelError } from '../switch/model/index.ts';
import { SwitchRuntimeError, type SwitchRuntimeErrorCode } from '../switch/runtime/switch-runtime-error.ts';
import { ApiError, type ApiErrorBody, type ApiErrorCode } from './api-error.ts';

const SWITCH_STATUS: Record<SwitchRuntimeErrorCode, number> = {
  'no-such-interaction': 404,
  'unknown-agent': 404,
  'no-route': 422,
  'not-recording': 409,
  'no-bridge': 409,
  'dial-out-not-allowed': 403,
};

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'already-exists';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'internal' : 'invalid-request';
}

export function toErrorResponse(err: unknown): { status: number; body: ApiErrorBody } {
  if (err instanceof ApiError) return { status: err.status, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof CallModelError) return { status: 409, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof SwitchRuntimeError) return { status: SWITCH_STATUS[err.code], body: { error: { code: err.code, message: err.message } } };
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
    return { status: 400, body: { error: { code: 'invalid-request', message: `${where}${first?.message ?? 'invalid input'}` } } };
  }
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: codeForStatus(fe.statusCode), message: fe.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal server error' } } };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    if (status === 401) void reply.header('www-authenticate', 'Bearer realm="hotline"');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const { status, body } = toErrorResponse(new ApiError('not-found', `no route ${req.method} ${req.url.split('?')[0]}`));
    return reply.code(status).send(body);
  });
}

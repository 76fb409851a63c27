/**
 * backofficeOpenApi(): the OpenAPI 3.1 document of the back-office contract
 * (SEC-1), built from the zod schemas of contract.ts so the document and the
 * code cannot drift. Named schemas land in components.schemas.
 */
import { z } from 'zod';
import { AGENT_KEY_HEADER, ERROR_CODES, ERROR_STATUS, ROUTES } from './contract.ts';
import { ErrorBody } from './schemas.ts';

type Json = Record<string, unknown>;

export function backofficeOpenApi(): Json {
  const components: Record<string, unknown> = {};
  const toSchema = (t: z.ZodType): Json => {
    const raw = z.toJSONSchema(t, { target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
    const text = JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/');
    const { $schema: _s, $defs, ...rest } = JSON.parse(text) as Json & { $defs?: Record<string, unknown> };
    // zod names a schema with a registered id in $defs and answers a $ref to it.
    Object.assign(components, $defs ?? {});
    return rest;
  };
  const errorRef = toSchema(ErrorBody);
  (components['BackOfficeError'] as Json)['properties'] = { ...((components['BackOfficeError'] as Json)['properties'] as Json), code: { type: 'string', enum: ERROR_CODES } };
  const paths: Record<string, Json> = {};
  for (const r of ROUTES) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: Json[] = [];
    for (const [where, obj] of [['path', r.params], ['query', r.query]] as const) {
      if (!obj) continue;
      for (const [name, t] of Object.entries(obj.shape)) {
        parameters.push({ name, in: where, required: !(t as z.ZodType).safeParse(undefined).success, schema: toSchema(t as z.ZodType) });
      }
    }
    const codes = new Set(Object.values(ERROR_STATUS));
    const errors: Record<string, Json> = {};
    for (const status of [...codes].sort()) {
      errors[String(status)] = {
        description: ERROR_CODES.filter((c) => ERROR_STATUS[c] === status).join(', '),
        content: { 'application/json': { schema: errorRef } },
      };
    }
    const op: Json = {
      operationId: r.op,
      summary: r.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body) } } } } : {}),
      ...(r.auth ? { security: [{ session: [] }] } : {}),
      ...(r.trusted ? { security: [{ agentKey: [] }] } : {}),
      responses: {
        ...(r.response
          ? { 200: { description: 'OK', content: { 'application/json': { schema: toSchema(r.response) } } } }
          : { 204: { description: 'Done' } }),
        ...errors,
      },
    };
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hotline back-office contract',
      version: '1.0.0',
      description: 'What a broker or bank implements so Hotline\'s IVR packs and screen pop reach its back office. Money is integer fen, instants ISO 8601 UTC, business dates YYYYMMDD (Beijing). Errors answer {code, message, details}; callers branch on code.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: 'Session token from /v1/auth/*' },
        agentKey: { type: 'apiKey', in: 'header', name: AGENT_KEY_HEADER, description: 'Shared key of the trusted agent side (screen pop)' },
      },
    },
  };
}

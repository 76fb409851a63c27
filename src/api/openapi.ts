/**
 * The OpenAPI 3.1 document, generated from the same route list that is
 * mounted (route-def.ts), with zod's JSON Schema output for parameters,
 * bodies and responses.
 */
import { z } from 'zod';
import type { RouteDef } from './route-def.ts';
import { ErrorBody } from './schemas.ts';

type Json = Record<string, unknown>;

function hoistRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(hoistRefs);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : hoistRefs(v);
    }
    return out;
  }
  return node;
}

/** JSON Schema of a zod schema; named parts (zod `.meta({ id })`) go into `components`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const s = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' }) as Json;
  delete s.$schema;
  const defs = (s.$defs ?? {}) as Record<string, Json>;
  delete s.$defs;
  for (const [id, def] of Object.entries(defs)) {
    components[id] = hoistRefs(def) as Json;
  }
  return hoistRefs(s) as Json;
}

/** Parameters from a zod object schema: one per property. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Record<string, Json>): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input', components);
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s, ...(s.description ? { description: s.description } : {}) }));
}

export const openApiPath = (fastifyPath: string) => fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function buildOpenApi(routes: readonly RouteDef[], version: string): Json {
  const components: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${openApiPath(r.path).replace(/[{}]/g, '').replace(/(^|[/\-])(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
      summary: r.summary,
      tags: [r.tag],
    };
    const params = [...parameters(r.params, 'path', components), ...parameters(r.query, 'query', components)];
    if (params.length) op.parameters = params;
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input', components) } } };
    op.responses = Object.fromEntries(
      Object.entries(r.responses).map(([status, resp]) => [
        status,
        resp.schema ? { description: resp.description, content: { 'application/json': { schema: jsonSchema(resp.schema, 'output', components) } } } : { description: resp.description },
      ]),
    );
    if (r.role) {
      op.security = [{ bearer: [] }];
      // ADM-1: the tag is the permission a custom role must include; without it 403 permission-denied (route-def.ts).
      op['x-permission'] = r.tag;
      const responses = op.responses as Record<string, Json>;
      const denied = `permission-denied: the user's custom role leaves out the \`${r.tag}\` permission`;
      const own = responses['403'];
      responses['403'] = own
        ? { ...own, description: `${String(own.description)}; ${denied}` }
        : { description: `forbidden: role too low; ${denied}`, content: { 'application/json': { schema: jsonSchema(ErrorBody, 'output', components) } } };
    }
    (paths[openApiPath(r.path)] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Hotline API', version, description: 'Hotline contact center: administration and operations API. Bearer tokens: see `hotline` CLI and DIR/admin-token.' },
    servers: [{ url: '/' }],
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

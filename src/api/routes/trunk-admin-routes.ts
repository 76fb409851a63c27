/**
 * Trunks administration over HTTP (ADM-1, ADM-2): list, create, change,
 * remove; each in force at once (trunk-admin.ts) and kept across a restart.
 * The registration password is write-only: GET shows the username, realm,
 * expiry and the registration state, never the password. The operation log
 * (audit-hook.ts) writes the request with the password redacted.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import type { TrunkAdmin, TrunkChange, TrunkDefinition } from './trunk-admin.ts';

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be an id (letters, digits, _ . -)' });
const digits = z.string().regex(/^[0-9*#+]{1,32}$/, { error: 'must be digits (0-9, *, #, +)' });
const host = z
  .string()
  .min(1)
  .max(253)
  .refine((h) => isIP(h) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(h), { error: 'must be an IP address or a host name' });
const address = z.string().refine((a) => isIP(a) !== 0, { error: 'must be an IP address' });
const transport = z.enum(['udp', 'tcp', 'tls']);
const registrationFields = {
  username: z.string().min(1).max(128),
  realm: z.string().regex(/^[A-Za-z0-9.\-_]{1,253}$/, { error: 'must be a domain-like token' }).optional().describe('carrier SIP domain and digest realm; the AOR is sip:username@realm (default: host)'),
  expiresSec: z.number().int().min(60).max(86_400).optional().describe('registration lifetime asked for (default 600)'),
};

export const NewTrunkBody = z
  .object({
    id,
    host: host.describe('carrier registrar and where outbound INVITEs go'),
    port: z.number().int().min(1).max(65535).optional(),
    transport: transport.optional().describe('default udp'),
    registration: z.object({ ...registrationFields, password: z.string().min(1).max(256) }).strict().optional().describe('register to the carrier; INVITEs from host (an IP) are then this trunk'),
    inboundAddresses: z.array(address).max(64).optional().describe('IP authentication: INVITEs from these addresses come from this trunk'),
    dids: z.record(digits, id).default({}).describe('DID (Request-URI user) -> entry point id'),
    defaultEntryPoint: id.optional().describe('entry point for a DID not listed'),
  })
  .strict()
  .meta({ id: 'NewTrunk' });

export const TrunkChangeBody = z
  .object({
    host: host.optional(),
    port: z.number().int().min(1).max(65535).nullable().optional(),
    transport: transport.nullable().optional(),
    registration: z.object({ ...registrationFields, password: z.string().min(1).max(256).optional().describe('absent: keep the password in force') }).strict().nullable().optional().describe('null: stop registering (unregisters)'),
    inboundAddresses: z.array(address).max(64).nullable().optional(),
    dids: z.record(digits, id).optional().describe('replaces the whole DID table'),
    defaultEntryPoint: id.nullable().optional(),
  })
  .strict()
  .describe('fields to change; null removes a setting')
  .meta({ id: 'TrunkChange' });

export const TrunkDto = z
  .object({
    id: z.string(),
    host: z.string().optional().describe('absent for a trunk of the dial-plan file that has only routing'),
    port: z.number().int().optional(),
    transport: transport.optional(),
    registration: z.object({ username: z.string(), realm: z.string().optional(), expiresSec: z.number().int().optional(), state: z.string().describe('idle, registering, registered, failed, stopped') }).optional(),
    inboundAddresses: z.array(z.string()).optional(),
    dids: z.record(z.string(), z.string()),
    defaultEntryPoint: z.string().optional(),
    origin: z.enum(['admin', 'dial-plan']),
  })
  .meta({ id: 'Trunk' });

const IdParams = z.object({ id: z.string().min(1).max(64).describe('trunk id') });
const common = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'not an admin', schema: ErrorBody },
};
const invalid = { description: 'invalid input, or an entry point the dial plan does not know, or a trunk an external route still uses', schema: ErrorBody };

export function trunkAdminRoutes(admin: TrunkAdmin): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/trunks',
      summary: 'Trunks in force: connection, registration (without the password) and its state, IP-authenticated addresses, DIDs and default entry point (ADM-1)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'trunks', schema: z.array(TrunkDto) }, ...common },
      async handler() {
        return { status: 200, body: admin.list() };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/admin/trunks',
      summary: 'Add a trunk, in force at once: it registers within seconds and its DIDs route on the next call (ADM-2)',
      tag: 'admin',
      role: 'admin',
      body: NewTrunkBody,
      responses: { 201: { description: 'created', schema: TrunkDto }, 400: invalid, 409: { description: 'the trunk exists', schema: ErrorBody }, ...common },
      async handler({ body }) {
        return { status: 201, body: await admin.create(body as TrunkDefinition) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/admin/trunks/:id',
      summary: 'Change a trunk live: a changed registration re-registers, new DIDs route at once; calls in progress go on (ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      body: TrunkChangeBody,
      responses: { 200: { description: 'the trunk as now in force', schema: TrunkDto }, 400: invalid, 404: { description: 'no such trunk', schema: ErrorBody }, ...common },
      async handler({ params, body }) {
        return { status: 200, body: await admin.update(params.id, body as TrunkChange) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/admin/trunks/:id',
      summary: 'Remove a trunk: it unregisters and its DIDs stop routing; calls in progress go on (ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: IdParams,
      responses: { 204: { description: 'removed' }, 400: invalid, 404: { description: 'no such trunk', schema: ErrorBody }, ...common },
      async handler({ params }) {
        await admin.remove(params.id);
        return { status: 204 };
      },
    }),
  ];
}

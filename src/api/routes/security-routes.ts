import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { defineRoute } from '../route-def.ts';
import { AddressParams, BanDto, ErrorBody, SecurityEventDto, SecurityEventQuery, banDto, securityEventDto } from '../schemas.ts';

const unauthorized = { 401: { description: 'no valid token', schema: ErrorBody } };

/** Bans and the security event log (OPS-2, OPS-4). */
export const securityRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/security/bans',
    summary: 'Source addresses banned now',
    tag: 'security',
    role: 'admin',
    responses: { 200: { description: 'active bans', schema: z.array(BanDto) }, ...unauthorized },
    async handler({ deps }) {
      const now = deps.clock.now();
      return { status: 200, body: (await deps.stores.bans.list()).filter((b) => b.until.getTime() > now).map(banDto) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/security/bans/:address',
    summary: 'Lift the ban of one address (logged as an unban security event)',
    tag: 'security',
    role: 'admin',
    params: AddressParams,
    responses: { 204: { description: 'ban lifted' }, 404: { description: 'address not banned', schema: ErrorBody }, ...unauthorized },
    async handler({ deps, params, req }) {
      let lifted: boolean;
      if (deps.liftBan) lifted = await deps.liftBan(params.address);
      else {
        lifted = await deps.stores.bans.remove(params.address);
        if (lifted) await deps.stores.securityEvents.append({ at: new Date(deps.clock.now()), kind: 'unban', sourceAddress: params.address, detail: `lifted via API from ${req.ip}` });
      }
      if (!lifted) throw new ApiError('not-found', `${params.address} is not banned`);
      req.log.info({ address: params.address, by: req.ip }, 'ban lifted via API');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/security/events',
    summary: 'Security events, newest first',
    tag: 'security',
    role: 'admin',
    query: SecurityEventQuery,
    responses: { 200: { description: 'events', schema: z.array(SecurityEventDto) }, 400: { description: 'invalid query', schema: ErrorBody }, ...unauthorized },
    async handler({ deps, query }) {
      const opts: { since?: Date; kind?: typeof query.kind; limit: number } = { limit: query.limit ?? 100 };
      if (query.since) opts.since = new Date(query.since);
      if (query.kind) opts.kind = query.kind;
      return { status: 200, body: (await deps.stores.securityEvents.list(opts)).map(securityEventDto) };
    },
  }),
];

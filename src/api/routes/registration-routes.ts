import { z } from 'zod';
import { defineRoute } from '../route-def.ts';
import { ErrorBody, RegistrationDto, RegistrationQuery, registrationDto } from '../schemas.ts';

export const registrationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/registrations',
    summary: 'Current (unexpired) SIP registrations, optionally of one AOR',
    tag: 'sip',
    role: 'admin',
    query: RegistrationQuery,
    responses: { 200: { description: 'bindings', schema: z.array(RegistrationDto) }, 401: { description: 'no valid token', schema: ErrorBody } },
    async handler({ deps, query }) {
      const now = deps.clock.now();
      const all = query.aor ? await deps.stores.registrations.list(query.aor) : await deps.stores.registrations.listAll();
      return { status: 200, body: all.filter((r) => r.expiresAt.getTime() > now).map((r) => registrationDto(r, now)) };
    },
  }),
];

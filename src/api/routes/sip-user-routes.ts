import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createSipAccount } from '../../sip/auth/sip-account-factory.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute } from '../route-def.ts';
import { CreatedSipUser, ErrorBody, ExtParams, NewSipUser, SipUserDto, sipUserDto } from '../schemas.ts';

const unauthorized = { 401: { description: 'no valid token', schema: ErrorBody } };

/** The user part of a `sip:user@host` AOR. */
const userOfAor = (aor: string) => /^sips?:([^@;]+)@/i.exec(aor)?.[1];

export const sipUserRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/sip-users',
    summary: 'SIP accounts (never their credentials)',
    tag: 'sip',
    role: 'admin',
    responses: { 200: { description: 'accounts', schema: z.array(SipUserDto) }, ...unauthorized },
    async handler({ deps }) {
      return { status: 200, body: (await deps.stores.sipAccounts.list()).map(sipUserDto) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/sip-users/:ext',
    summary: 'One SIP account',
    tag: 'sip',
    role: 'admin',
    params: ExtParams,
    responses: { 200: { description: 'account', schema: SipUserDto }, 404: { description: 'no such account', schema: ErrorBody }, ...unauthorized },
    async handler({ deps, params }) {
      const a = await deps.stores.sipAccounts.get(params.ext);
      if (!a) throw new ApiError('not-found', `no SIP user ${params.ext}`);
      return { status: 200, body: sipUserDto(a) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/sip-users',
    summary: 'Create a SIP account; a password is generated (and returned once) when none is given',
    tag: 'sip',
    role: 'admin',
    body: NewSipUser,
    responses: {
      201: { description: 'created', schema: CreatedSipUser },
      400: { description: 'invalid input', schema: ErrorBody },
      409: { description: 'extension exists', schema: ErrorBody },
      ...unauthorized,
    },
    async handler({ deps, body }) {
      if (await deps.stores.sipAccounts.get(body.ext)) throw new ApiError('already-exists', `SIP user ${body.ext} already exists`);
      const password = body.password ?? randomBytes(12).toString('base64url');
      const input = { username: body.ext, realm: deps.realm, password, createdAt: new Date(deps.clock.now()), enabled: body.enabled ?? true };
      const account = createSipAccount(body.name === undefined ? input : { ...input, displayName: body.name });
      await deps.stores.sipAccounts.put(account);
      const dto = sipUserDto(account);
      return { status: 201, body: body.password === undefined ? { ...dto, password } : dto };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/sip-users/:ext',
    summary: 'Remove a SIP account and its registrations',
    tag: 'sip',
    role: 'admin',
    params: ExtParams,
    responses: { 204: { description: 'removed' }, 404: { description: 'no such account', schema: ErrorBody }, ...unauthorized },
    async handler({ deps, params }) {
      if (!(await deps.stores.sipAccounts.remove(params.ext))) throw new ApiError('not-found', `no SIP user ${params.ext}`);
      const aors = new Set((await deps.stores.registrations.listAll()).map((r) => r.aor).filter((aor) => userOfAor(aor) === params.ext));
      for (const aor of aors) await deps.stores.registrations.removeAll(aor);
      return { status: 204 };
    },
  }),
];

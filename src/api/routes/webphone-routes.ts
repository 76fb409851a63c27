/**
 * The web caller's configuration (MSG-4, TEL-2): what a browser needs to
 * call a service number without an account: the SIP-over-WebSocket port
 * (the page builds ws(s)://<its own host>:<port>), the SIP domain for the
 * Request-URI, and the service numbers with the entry point each reaches.
 * No authentication: service numbers are public (anyone may call them).
 *
 * GET /api/v1/webphone/credentials (any signed-in user with a SIP account
 * of the same name, i.e. an agent): what the agent desktop's browser
 * softphone registers with, so the agent never types a SIP password: the
 * account's digest HA1 for MD5 (SIP.js's `authorizationHa1`). The HA1 is
 * good for this realm only and never reveals the password itself; it is
 * what the signed-in agent could already use by knowing their own SIP
 * password. SIP.js answers only MD5 challenges, and only the first one it
 * gets: such deployments run with `--digest-algorithms MD5,SHA-256`.
 */
import { z } from 'zod';
import type { DialPlan } from '../../switch/dialplan/dial-plan.ts';
import { authenticate } from '../auth.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';

export interface WebphoneSource {
  /** Port of the SIP WebSocket transport (RFC 7118), e.g. 5066. */
  wsPort: number;
  /** The WebSocket URL browsers use when it is not ws(s)://<page host>:<wsPort> (e.g. wss through an HTTPS reverse proxy). */
  wsUrl?: string;
  /** Host part of the Request-URI (the SIP realm). */
  sipDomain: string;
  /** The service numbers anyone may call, with the entry point each reaches. */
  serviceNumbers(): Array<{ number: string; entryPoint: string; kind: 'queue' | 'ivr' }>;
}

export const WebphoneConfigBody = z.object({
  wsPort: z.number().int(),
  wsUrl: z.string().optional(),
  sipDomain: z.string(),
  entryPoints: z.array(z.object({ number: z.string(), entryPoint: z.string(), kind: z.enum(['queue', 'ivr']) })),
});

export const WebphoneCredentialsBody = z.object({
  username: z.string(),
  realm: z.string(),
  ha1: z.string().describe('MD5 H(username:realm:password), for SIP.js authorizationHa1'),
  wsPort: z.number().int(),
  wsUrl: z.string().optional(),
  sipDomain: z.string(),
});

export function webphoneRoutes(source: WebphoneSource): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/webphone/credentials',
      summary: "The signed-in user's SIP registration for the browser softphone (digest HA1, never the password)",
      tag: 'webphone',
      role: 'agent',
      responses: {
        200: { description: 'what SIP.js registers with', schema: WebphoneCredentialsBody },
        401: { description: 'not signed in', schema: ErrorBody },
        404: { description: 'no enabled SIP account of that name', schema: ErrorBody },
      },
      async handler({ req, deps }) {
        const user = await authenticate(req, deps, 'agent');
        const account = await deps.stores.sipAccounts.get(user.username);
        if (!account || !account.enabled) throw new ApiError('not-found', `no enabled SIP account ${user.username}`);
        const body = { username: account.username, realm: account.realm, ha1: account.ha1Md5, wsPort: source.wsPort, sipDomain: source.sipDomain };
        return { status: 200, body: source.wsUrl !== undefined ? { ...body, wsUrl: source.wsUrl } : body };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/webphone/config',
      summary: 'What the web caller needs to call a service number from a browser (no authentication)',
      tag: 'webphone',
      responses: { 200: { description: 'WebSocket port, SIP domain and the service numbers', schema: WebphoneConfigBody } },
      async handler() {
        const entryPoints = [...source.serviceNumbers()].sort((a, b) => a.number.localeCompare(b.number));
        return { status: 200, body: { wsPort: source.wsPort, ...(source.wsUrl !== undefined ? { wsUrl: source.wsUrl } : {}), sipDomain: source.sipDomain, entryPoints } };
      },
    }),
  ];
}

/** The dial plan's service numbers as the web caller lists them. */
export function serviceNumbersOf(plan: DialPlan): ReturnType<WebphoneSource['serviceNumbers']> {
  return Object.entries(plan.config.serviceNumbers).map(([number, entryPoint]) => ({ number, entryPoint, kind: plan.entryPoint(entryPoint).kind }));
}

/**
 * The web caller's configuration (MSG-4, TEL-2): what a browser needs to
 * call a service number without an account: the SIP-over-WebSocket port
 * (the page builds ws://<its own host>:<wsPort>; a page served over https
 * uses wss://<its own host>:<wssPort> when the server serves wss,
 * --sip-wss-port), the SIP domain for the
 * Request-URI, and the service numbers with the entry point each reaches.
 * No authentication: service numbers are public (anyone may call them).
 *
 * GET /api/v1/webphone/credentials (any signed-in user with a SIP account
 * of the same name, i.e. an agent): what the agent desktop's browser
 * softphone registers with, so the agent never types a SIP password: the
 * MD5 HA1 (SIP.js's `authorizationHa1`) of a short-lived random secret the
 * SIP authenticator accepts for this user only until `expiresAt`
 * (src/sip/auth/ephemeral-credentials.ts), never the account's own hash.
 * Over WebSocket the digest challenge offers MD5 first, which is all
 * SIP.js answers.
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
  /** Port of SIP over secure WebSocket, when served: pages loaded over https connect to wss://<page host>:<wssPort>. */
  wssPort?: number;
  /** The WebSocket URL browsers use when it is not ws(s)://<page host>:<wsPort> (e.g. wss through an HTTPS reverse proxy). */
  wsUrl?: string;
  /** Host part of the Request-URI (the SIP realm). */
  sipDomain: string;
  /** The service numbers anyone may call, with the entry point each reaches. */
  serviceNumbers(): Array<{ number: string; entryPoint: string; kind: 'queue' | 'ivr' }>;
  /** A short-lived credential for the user's SIP registration (MD5 HA1 and its expiry, epoch ms). */
  issueCredential(username: string): { ha1Md5: string; expiresAt: number };
}

export const WebphoneConfigBody = z.object({
  wsPort: z.number().int(),
  wssPort: z.number().int().optional().describe('SIP over secure WebSocket; a page served over https uses wss://<its host>:<wssPort>'),
  wsUrl: z.string().optional(),
  sipDomain: z.string(),
  entryPoints: z.array(z.object({ number: z.string(), entryPoint: z.string(), kind: z.enum(['queue', 'ivr']) })),
});

export const WebphoneCredentialsBody = z.object({
  username: z.string(),
  realm: z.string(),
  ha1: z.string().describe('MD5 H(username:realm:secret) of a short-lived secret, for SIP.js authorizationHa1'),
  expiresAt: z.string().describe('when the credential stops working (ISO); fetch a new one before'),
  wsPort: z.number().int(),
  wssPort: z.number().int().optional(),
  wsUrl: z.string().optional(),
  sipDomain: z.string(),
});

export function webphoneRoutes(source: WebphoneSource): RouteDef[] {
  const wss = () => (source.wssPort !== undefined ? { wssPort: source.wssPort } : {});
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/webphone/credentials',
      summary: "A short-lived SIP credential for the signed-in user's browser softphone (digest HA1 of a random secret, never the account's password or hash)",
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
        const issued = source.issueCredential(account.username);
        const body = { username: account.username, realm: account.realm, ha1: issued.ha1Md5, expiresAt: new Date(issued.expiresAt).toISOString(), wsPort: source.wsPort, ...wss(), sipDomain: source.sipDomain };
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
        return { status: 200, body: { wsPort: source.wsPort, ...wss(), ...(source.wsUrl !== undefined ? { wsUrl: source.wsUrl } : {}), sipDomain: source.sipDomain, entryPoints } };
      },
    }),
  ];
}

/** The dial plan's service numbers as the web caller lists them. */
export function serviceNumbersOf(plan: DialPlan): ReturnType<WebphoneSource['serviceNumbers']> {
  return Object.entries(plan.config.serviceNumbers).map(([number, entryPoint]) => ({ number, entryPoint, kind: plan.entryPoint(entryPoint).kind }));
}

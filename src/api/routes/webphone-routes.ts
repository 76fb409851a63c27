/**
 * The web caller's configuration (MSG-4, TEL-2): what a browser needs to
 * call a service number without an account: the SIP-over-WebSocket port
 * (the page builds ws(s)://<its own host>:<port>), the SIP domain for the
 * Request-URI, and the service numbers with the entry point each reaches.
 * No authentication: service numbers are public (anyone may call them).
 */
import { z } from 'zod';
import type { DialPlan } from '../../switch/dialplan/dial-plan.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';

export interface WebphoneSource {
  /** Port of the SIP WebSocket transport (RFC 7118), e.g. 5066. */
  wsPort: number;
  /** Host part of the Request-URI (the SIP realm). */
  sipDomain: string;
  /** The service numbers anyone may call, with the entry point each reaches. */
  serviceNumbers(): Array<{ number: string; entryPoint: string; kind: 'queue' | 'ivr' }>;
}

export const WebphoneConfigBody = z.object({
  wsPort: z.number().int(),
  sipDomain: z.string(),
  entryPoints: z.array(z.object({ number: z.string(), entryPoint: z.string(), kind: z.enum(['queue', 'ivr']) })),
});

export function webphoneRoutes(source: WebphoneSource): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/webphone/config',
      summary: 'What the web caller needs to call a service number from a browser (no authentication)',
      tag: 'webphone',
      responses: { 200: { description: 'WebSocket port, SIP domain and the service numbers', schema: WebphoneConfigBody } },
      async handler() {
        const entryPoints = [...source.serviceNumbers()].sort((a, b) => a.number.localeCompare(b.number));
        return { status: 200, body: { wsPort: source.wsPort, sipDomain: source.sipDomain, entryPoints } };
      },
    }),
  ];
}

/** The dial plan's service numbers as the web caller lists them. */
export function serviceNumbersOf(plan: DialPlan): ReturnType<WebphoneSource['serviceNumbers']> {
  return Object.entries(plan.config.serviceNumbers).map(([number, entryPoint]) => ({ number, entryPoint, kind: plan.entryPoint(entryPoint).kind }));
}

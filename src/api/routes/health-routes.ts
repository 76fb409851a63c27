import { defineRoute } from '../route-def.ts';
import { HealthBody } from '../schemas.ts';

/** Liveness and readiness: 200 unless a component is down (then 503). No authentication. */
export const healthRoutes = [
  defineRoute({
    method: 'GET',
    path: '/health',
    summary: 'Server health with per-component status',
    tag: 'health',
    responses: { 200: { description: 'serving', schema: HealthBody }, 503: { description: 'a component is down', schema: HealthBody } },
    async handler({ deps }) {
      const components = await deps.components();
      const states = Object.values(components).map((c) => c.status);
      const status = states.includes('down') ? 'down' : states.every((s) => s === 'up') ? 'ok' : 'degraded';
      const body = { status, version: deps.version, uptimeSec: Math.round((deps.clock.now() - deps.startedAt) / 1000), components };
      return { status: status === 'down' ? 503 : 200, body };
    },
  }),
];

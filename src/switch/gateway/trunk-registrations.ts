/**
 * Outbound registrations of the trunks that ask for one (TrunkConfig
 * `register`): one RegisterClient each, started and stopped with the
 * gateway, their states readable for health checks.
 */
import { RegisterClient, type RegisterState } from '../../sip/ua/register-client.ts';
import type { GatewayCore } from './gateway-core.ts';

export class TrunkRegistrations {
  private readonly clients = new Map<string, RegisterClient>();

  constructor(private readonly core: GatewayCore) {}

  start(): void {
    const { o } = this.core;
    for (const t of o.trunks) {
      if (!t.register || this.clients.has(t.id)) continue;
      if (t.username === undefined || t.password === undefined) throw new Error(`gateway: trunk ${t.id} registers but has no username and password`);
      const protocol = t.transport ?? 'udp';
      const hostPort = `${t.host}${t.port ? `:${t.port}` : ''}`;
      const client = new RegisterClient({
        stack: o.stack,
        clock: o.clock,
        logger: this.core.log,
        registrarUri: `sip:${hostPort}${protocol === 'udp' ? '' : `;transport=${protocol}`}`,
        aor: `sip:${t.username}@${t.domain ?? t.host}`,
        contact: this.core.contact(protocol).replace('sip:hotline@', `sip:${t.username}@`),
        credentials: { username: t.username, password: t.password },
        expiresSec: t.registerExpiresSec ?? 600,
        userAgent: o.userAgent,
        onStateChange: (state, detail) => this.core.log.info({ trunk: t.id, state, ...detail }, 'trunk registration'),
      });
      this.clients.set(t.id, client);
      client.start();
    }
  }

  stop(): void {
    for (const c of this.clients.values()) c.stop();
    this.clients.clear();
  }

  states(): Record<string, RegisterState> {
    const out: Record<string, RegisterState> = {};
    for (const [id, c] of this.clients) out[id] = c.state;
    return out;
  }
}

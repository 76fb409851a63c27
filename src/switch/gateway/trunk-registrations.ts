/**
 * Outbound registrations of the trunks that ask for one (TrunkConfig
 * `register`): one RegisterClient each, started and stopped with the
 * gateway, their states readable for health checks. ADM-2: sync() after
 * the trunk list changed live starts the new registrations, re-starts the
 * changed ones and unregisters (Expires: 0) the removed ones.
 */
import { RegisterClient, type RegisterState } from '../../sip/ua/register-client.ts';
import type { GatewayCore } from './gateway-core.ts';
import type { TrunkConfig } from './gateway-options.ts';

/** What a registration depends on: a change to any of these re-registers. */
const registrationKey = (t: TrunkConfig) => JSON.stringify([t.host, t.port, t.transport, t.username, t.password, t.registerExpiresSec, t.domain]);

export class TrunkRegistrations {
  private readonly clients = new Map<string, { client: RegisterClient; key: string }>();
  private running = false;

  constructor(private readonly core: GatewayCore) {}

  start(): void {
    this.running = true;
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
      this.clients.set(t.id, { client, key: registrationKey(t) });
      client.start();
    }
  }

  /** After the trunk list changed: unregister removed or changed trunks, then (when running) register the new and changed ones. */
  sync(): void {
    const now = new Map(this.core.o.trunks.filter((t) => t.register).map((t) => [t.id, registrationKey(t)]));
    for (const [id, c] of this.clients) {
      if (now.get(id) === c.key) continue;
      c.client.stop();
      this.clients.delete(id);
    }
    if (this.running) this.start();
  }

  stop(): void {
    this.running = false;
    for (const c of this.clients.values()) c.client.stop();
    this.clients.clear();
  }

  states(): Record<string, RegisterState> {
    const out: Record<string, RegisterState> = {};
    for (const [id, c] of this.clients) out[id] = c.client.state;
    return out;
  }
}

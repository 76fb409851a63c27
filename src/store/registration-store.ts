import type { Kysely, Selectable } from 'kysely';
import type { Registration, RegistrationStore } from '../sip/ports.ts';
import type { HotlineDatabase, RegistrationTable } from './schema.ts';

function toRegistration(r: Selectable<RegistrationTable>): Registration {
  const reg: Registration = {
    aor: r.aor,
    contact: r.contact,
    contactHeader: r.contact_header,
    q: Number(r.q),
    callId: r.call_id,
    cseq: r.cseq,
    expiresAt: new Date(r.expires_at),
    registeredAt: new Date(r.registered_at),
    transport: r.transport,
    sourceAddress: r.source_address,
    sourcePort: r.source_port,
  };
  if (r.connection_id !== null) reg.connectionId = r.connection_id;
  if (r.user_agent !== null) reg.userAgent = r.user_agent;
  if (r.instance_id !== null) reg.instanceId = r.instance_id;
  return reg;
}

/** Location service bindings in table `registrations`, keyed by (aor, contact). */
export class KyselyRegistrationStore implements RegistrationStore {
  constructor(private readonly db: Kysely<HotlineDatabase>) {}

  async list(aor: string): Promise<Registration[]> {
    const rows = await this.db.selectFrom('registrations').selectAll().where('aor', '=', aor).orderBy('q', 'desc').orderBy('contact').execute();
    return rows.map(toRegistration);
  }

  async listAll(): Promise<Registration[]> {
    const rows = await this.db.selectFrom('registrations').selectAll().orderBy('aor').orderBy('q', 'desc').orderBy('contact').execute();
    return rows.map(toRegistration);
  }

  async put(reg: Registration): Promise<void> {
    await this.upsert(this.db, reg);
  }

  async putMany(regs: Registration[]): Promise<void> {
    if (regs.length === 1) return this.put(regs[0]!);
    await this.db.transaction().execute(async (tx) => {
      for (const reg of regs) await this.upsert(tx, reg);
    });
  }

  private async upsert(db: Kysely<HotlineDatabase>, reg: Registration): Promise<void> {
    const row = {
      aor: reg.aor,
      contact: reg.contact,
      contact_header: reg.contactHeader,
      q: reg.q,
      call_id: reg.callId,
      cseq: reg.cseq,
      expires_at: reg.expiresAt.getTime(),
      registered_at: reg.registeredAt.getTime(),
      transport: reg.transport,
      source_address: reg.sourceAddress,
      source_port: reg.sourcePort,
      connection_id: reg.connectionId ?? null,
      user_agent: reg.userAgent ?? null,
      instance_id: reg.instanceId ?? null,
    };
    await db
      .insertInto('registrations')
      .values(row)
      .onConflict((oc) => oc.columns(['aor', 'contact']).doUpdateSet({ ...row }))
      .execute();
  }

  async remove(aor: string, contact: string): Promise<void> {
    await this.db.deleteFrom('registrations').where('aor', '=', aor).where('contact', '=', contact).execute();
  }

  async removeAll(aor: string): Promise<void> {
    await this.db.deleteFrom('registrations').where('aor', '=', aor).execute();
  }

  async purgeExpired(now: Date): Promise<number> {
    const r = await this.db.deleteFrom('registrations').where('expires_at', '<=', now.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

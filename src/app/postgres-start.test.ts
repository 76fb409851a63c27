// `hotline start` on PostgreSQL: the scaled mode's database (OPS-5). Skips only when PostgreSQL 15 is not installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../../test/support/postgres.ts';
import { startHotline, type HotlineProcess } from '../../test/support/server.ts';

const reason = postgresUnavailableReason();
if (reason) console.warn(`hotline start on PostgreSQL skipped: ${reason}`);

describe.skipIf(reason !== undefined)('hotline start --database postgres://... (OPS-5)', () => {
  let pg: TempPostgres | undefined;
  let h: HotlineProcess | undefined;
  beforeAll(async () => {
    pg = await startTempPostgres('hotline_start');
    h = await startHotline({ args: ['--log-level', 'warn', '--database', pg.url] });
  });
  afterAll(async () => {
    await h?.stop();
    await pg?.stop();
  });

  it('migrates, seeds and serves from PostgreSQL; a restart keeps the data', async () => {
    const health = (await (await fetch(`${h!.httpUrl}/health`)).json()) as { components: { store: { status: string } } };
    expect(health.components.store.status).toBe('up');
    const list = async () => ((await (await fetch(`${h!.httpUrl}/api/v1/sip-users`, { headers: { authorization: `Bearer ${h!.adminToken}` } })).json()) as { ext: string }[]).map((u) => u.ext);
    expect(await list()).toHaveLength(11);
    const add = await fetch(`${h!.httpUrl}/api/v1/sip-users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h!.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ext: '7100', password: 'secret-7100' }),
    });
    expect(add.status).toBe(201);
    await h!.restart();
    expect(h!.stdout()).not.toContain('first start');
    expect(await list()).toContain('7100');
  });
});

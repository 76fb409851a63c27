import { describe, it } from 'vitest';
import { postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../../test/support/postgres.ts';
import { storeConformance } from './store.conformance.ts';

const reason = postgresUnavailableReason();
if (reason) {
  // The only case in which the PostgreSQL run may skip: its binaries are absent on a
  // developer's machine. CI installs them, so there a missing PostgreSQL is a failure.
  process.stderr.write(`store conformance on PostgreSQL: ${reason}\n`);
  describe('store conformance: PostgreSQL 15', () => {
    it.runIf(process.env.CI === 'true')('needs PostgreSQL 15 (CI installs it)', () => {
      throw new Error(`PostgreSQL 15 missing in CI: ${reason}`);
    });
  });
} else {
  let pg: TempPostgres | undefined;
  storeConformance('PostgreSQL 15 (temp cluster)', {
    async setup() {
      pg = await startTempPostgres();
      return { kind: 'postgres', url: pg.url };
    },
    async teardown() {
      await pg?.stop();
    },
  });
}

import { describe, it } from 'vitest';
import { postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../../test/support/postgres.ts';
import { storeConformance } from './store.conformance.ts';

const reason = postgresUnavailableReason();
if (reason) {
  // The only case in which the PostgreSQL run may skip: its binaries are absent.
  console.warn(`store conformance on PostgreSQL skipped: ${reason}`);
  describe.skip(`store conformance: PostgreSQL 15 (skipped: ${reason})`, () => {
    it('needs PostgreSQL 15', () => undefined);
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

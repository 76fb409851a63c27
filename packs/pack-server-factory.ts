/**
 * Builds the pack server with the three packs over a BackOffice (what a
 * composition root calls: `hotline ivr run 95000` and `hotline start`, src/app/ivr-setup.ts).
 */
import type { BackOffice } from '../src/backoffice/index.ts';
import type { Clock } from '../src/shared/clock.ts';
import type { Logger } from '../src/shared/logger.ts';
import type { PackName } from './core/call-data.ts';
import { FolderMailbox } from './core/mailbox.ts';
import { folderTextReader } from './core/node-text-reader.ts';
import { DEFAULT_PACK_PREFIX, PackServer } from './core/pack-server.ts';
import { bankPack } from './bank/bank-pack.ts';
import { fundPack } from './fund/fund-pack.ts';
import { securitiesPack } from './securities/securities-pack.ts';

export interface PackServerSetup {
  readonly backOffice: BackOffice;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Folder of the SEC-3 mailbox texts (see core/mailbox.ts for the layout). */
  readonly mailboxDir: string;
  /** Where the server is mounted in the IVR fetch layer; DEFAULT_PACK_PREFIX by default. */
  readonly prefix?: string;
  /** The `queue:ID` each pack hands callers to (defaults: queue:securities, queue:fund, queue:bank). */
  readonly agentQueues?: Partial<Record<PackName, string>>;
}

export function createPackServer(o: PackServerSetup): PackServer {
  return new PackServer({
    backOffice: o.backOffice,
    clock: o.clock,
    logger: o.logger,
    prefix: o.prefix ?? DEFAULT_PACK_PREFIX,
    packs: [
      securitiesPack({ mailbox: new FolderMailbox(folderTextReader(o.mailboxDir)), ...queue(o, 'securities') }),
      fundPack(queue(o, 'fund')),
      bankPack(queue(o, 'bank')),
    ],
  });
}

const queue = (o: PackServerSetup, pack: PackName): { agentQueue?: string } => {
  const q = o.agentQueues?.[pack];
  return q === undefined ? {} : { agentQueue: q };
};

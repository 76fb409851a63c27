/** The packs' public surface for composition roots (src/app) and edge adapters. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackName } from './core/call-data.ts';

export { createPackServer, type PackServerSetup } from './pack-server-factory.ts';
export { PackServer, DEFAULT_PACK_PREFIX, type PackRequest, type PackServerOptions } from './core/pack-server.ts';
export type { CallAttachedData, AgentReason, PackName } from './core/call-data.ts';
export { LOCALES, isLocale, type Locale } from './core/locale.ts';
export { FolderMailbox, type MailboxSource, type MailboxItem } from './core/mailbox.ts';
export { folderTextReader } from './core/node-text-reader.ts';
export { securitiesPack } from './securities/securities-pack.ts';
export { fundPack } from './fund/fund-pack.ts';
export { bankPack } from './bank/bank-pack.ts';
/** The demo SEC-3 mailbox texts shipped with the securities pack. */
export const DEMO_MAILBOX_DIR = join(dirname(fileURLToPath(import.meta.url)), 'securities', 'mailbox-demo');

/**
 * The service numbers the packs answer (zh-CN), one plan for `hotline start`
 * (src/app/ivr-setup.ts, the demo dial plan) and `hotline ivr run NUMBER`.
 * 95001 is the general queue (no IVR).
 */
export const PACK_SERVICE_NUMBERS = { '95000': 'securities', '95002': 'bank', '95003': 'fund' } as const satisfies Readonly<Record<string, PackName>>;

/**
 * Test support for the packs: the real interpreter (IvrService) on a
 * ScriptedChannel, fetching from the real PackServer mounted in the fetch
 * layer, over the real simulator. Not product code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatedBackOffice, type BackOffice } from '../../src/backoffice/index.ts';
import { ScriptedChannel, type CallerAction } from '../../src/ivr/channel/scripted-channel.ts';
import type { TransferRequest } from '../../src/ivr/channel/voice-channel.ts';
import { HttpFileFetcher, MountingFetcher } from '../../src/ivr/fetch/index.ts';
import type { IvrStepEvent } from '../../src/ivr/interpreter/ivr-step-event.ts';
import type { SessionOutcome } from '../../src/ivr/interpreter/vxml-session.ts';
import { EntryPointTable } from '../../src/ivr/service/entry-point-table.ts';
import { IvrService } from '../../src/ivr/service/ivr-service.ts';
import { NoticeBoard } from '../../src/ivr/service/notice-board.ts';
import { FakeClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { CallAttachedData, PackName } from '../core/call-data.ts';
import type { Locale } from '../core/locale.ts';
import { createPackServer } from '../pack-server-factory.ts';
import type { PackServer } from '../core/pack-server.ts';

export const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };

/** Monday 2026-11-23 10:00 Beijing: the market is open. */
export const TRADING = Date.parse('2026-11-23T02:00:00Z');
/** The same day at 16:00 Beijing: closed. */
export const CLOSED = Date.parse('2026-11-23T08:00:00Z');

export const MAILBOX_DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', 'securities', 'mailbox-demo');

export interface World {
  readonly clock: FakeClock;
  readonly backOffice: SimulatedBackOffice;
  readonly server: PackServer;
  readonly ivr: IvrService;
  readonly steps: IvrStepEvent[];
}

export const DNIS: Record<PackName, Record<Locale, string>> = {
  securities: { 'zh-CN': '95000', 'en-US': '95010' },
  fund: { 'zh-CN': '95003', 'en-US': '95013' },
  bank: { 'zh-CN': '95002', 'en-US': '95012' },
};

export function world(at = TRADING): World {
  const clock = new FakeClock(at);
  return worldOf(clock, new SimulatedBackOffice(clock, { customers: 20 }));
}

/** A world over a given simulator; `packsBackOffice` is what the packs talk to instead of it (e.g. the HTTP adapter in front of it). */
export function worldOf(clock: FakeClock, backOffice: SimulatedBackOffice, packsBackOffice: BackOffice = backOffice): World {
  const server = createPackServer({ backOffice: packsBackOffice, clock, logger: quiet, mailboxDir: MAILBOX_DEMO });
  const fetcher = new MountingFetcher(new HttpFileFetcher(clock), [{ prefix: server.prefix, fetcher: server }]);
  const entries = (Object.keys(DNIS) as PackName[]).flatMap((p) => (Object.keys(DNIS[p]) as Locale[]).map((l) => ({ dnis: DNIS[p][l], application: server.entryUrl(p, l) })));
  const steps: IvrStepEvent[] = [];
  const ivr = new IvrService({ logger: quiet, clock, fetcher, entryPoints: new EntryPointTable(entries), notices: new NoticeBoard([]), steps: (e) => steps.push(e) });
  return { clock, backOffice, server, ivr, steps };
}

export interface CallResult {
  readonly outcome: SessionOutcome;
  readonly prompts: string[];
  /** All prompts joined: what the caller heard, in order. */
  readonly heard: string;
  readonly transfers: TransferRequest[];
  /** The call-attached data of the agent transfer (its aai), if there was one. */
  readonly attached?: CallAttachedData;
  readonly channel: ScriptedChannel;
}

let calls = 0;

export async function dial(w: World, pack: PackName, locale: Locale, script: CallerAction[]): Promise<CallResult> {
  const channel = new ScriptedChannel(script);
  const sessionId = `test-call-${++calls}`;
  const r = await w.ivr.handleCall({ dnis: DNIS[pack][locale], channel, sessionId, vars: { hotline: { sessionId } } });
  if (r.kind !== 'ran') throw new Error(`no entry point for ${pack}/${locale}`);
  const transfers = channel.transcript.flatMap((e) => (e.kind === 'transfer' ? [e.request] : []));
  const aai = transfers.at(-1)?.aai;
  const prompts = channel.prompts();
  return { outcome: r.outcome, prompts, heard: prompts.join(' | '), transfers, attached: aai ? (JSON.parse(aai) as CallAttachedData) : undefined, channel };
}

/** Keys as caller actions: `keys('1', '10000001#', '135790')`. */
export const keys = (...k: string[]): CallerAction[] => k.map((x) => (x === '' ? { silence: true as const } : { keys: x }));

/**
 * ===================== IVR WIRING POINT =====================
 * The IVR on real calls (server.ts calls this once the switch and the ACD run):
 *
 *   SimulatedBackOffice -> PackServer (securities, fund, bank packs; SEC-3
 *     mailbox texts in DATA/ivr/mailbox, the demo texts copied there once)
 *   IvrService fetching through MountingFetcher(HttpFileFetcher, packs)
 *     entry points: 95000 securities, 95002 bank, 95003 fund (zh-CN)
 *   IvrCallService (prompts by espeak-ng on the caller's media leg, digits
 *     from the engine) -> runtime.setIvrPort
 *
 * A pack's `*` hands the caller to its queue (queue:securities, queue:fund,
 * queue:bank) when the ACD has it, else to `general`; the call-attached data
 * (authenticated customer, path, non-secret inputs) travels as the
 * transfer's aai and lands in the interaction's call data (IVR-4, CTI-5).
 * Every step goes to the process log as `ivr step`, secrets masked (IVR-6);
 * ivrRoutes() gives the counts per menu node and the service numbers to
 * the HTTP API (GET /api/v1/ivr/usage, /api/v1/ivr/entry-points).
 * IVR-8: when the agent hangs up first on a call to a service number the
 * `post-call-survey` setting names, the caller hears the satisfaction
 * survey (src/ivr/survey, zh-CN or en-US by the number's language); the
 * answers go to DATA/ivr/surveys.jsonl and GET /api/v1/ivr/surveys.
 * ============================================================
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createPackServer, DEMO_MAILBOX_DIR, PACK_SERVICE_NUMBERS, type PackName, type PackServer } from '../../packs/index.ts';
import { SimulatedBackOffice } from '../backoffice/index.ts';
import { mediaLegChannels } from '../ivr/call/call-channel.ts';
import { IvrCallService } from '../ivr/call/ivr-call-service.ts';
import { HttpFileFetcher, MountingFetcher } from '../ivr/fetch/index.ts';
import { DEFAULT_PLATFORM } from '../ivr/interpreter/session-options.ts';
import { AudioFileLoader } from '../ivr/prompt/audio-file-loader.ts';
import { DEFAULT_APOLOGY, PromptRenderer } from '../ivr/prompt/prompt-renderer.ts';
import type { PromptLocale } from '../ivr/prompt/say-as.ts';
import { EntryPointTable } from '../ivr/service/entry-point-table.ts';
import { JsonlSurveyStore } from '../ivr/survey/jsonl-survey-store.ts';
import { SURVEY_APPLICATIONS } from '../ivr/survey/survey-applications.ts';
import type { SurveyStore } from '../ivr/survey/survey-store.ts';
import { IvrServiceError } from '../ivr/service/ivr-service-error.ts';
import { NoticeBoard, type Notice } from '../ivr/service/notice-board.ts';
import { ApiError } from '../api/api-error.ts';
import { defineRoute, type RouteDef } from '../api/route-def.ts';
import { ErrorBody } from '../api/schemas.ts';
import { EspeakTts } from '../media/tts/espeak-tts.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { SwitchParts } from './switch-setup.ts';

export interface IvrParts {
  readonly calls: IvrCallService;
  /** IVR-7 notices in force (DATA/ivr/notices.json). */
  readonly notices: NoticeFile;
  readonly packs: PackServer;
  readonly backOffice: SimulatedBackOffice;
  /** IVR-8 answers (DATA/ivr/surveys.jsonl). */
  readonly surveys: SurveyStore;
  /** The numbers the IVR answers and their applications, and their prompt language; changed live by ivr-entry-admin.ts (ADM-2). */
  readonly entryPointTable: EntryPointTable;
  readonly locales: Record<string, PromptLocale>;
  stop(): Promise<void>;
}

export interface IvrSetupContext {
  readonly dataDir: string;
  readonly sw: SwitchParts;
  /** The ACD's queue IDs: a pack's own queue is used when it exists, else `general`. */
  readonly queueIds: readonly string[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** IVR-8 (setting post-call-survey): `ivr`: the numbers the IVR answers; `all`; a list; empty: no survey. */
  readonly surveyEntryPoints?: 'ivr' | 'all' | readonly string[];
}

/** The queue each pack hands callers to: its own when the ACD has one, else general (else the first queue). */
export function packQueues(queueIds: readonly string[]): Record<PackName, string> {
  const fallback = queueIds.includes('general') ? 'general' : (queueIds[0] ?? 'general');
  const pick = (own: string) => `queue:${queueIds.includes(own) ? own : fallback}`;
  return { securities: pick('securities'), fund: pick('fund'), bank: pick('bank') };
}

/**
 * IVR-7: the notices played before the main menu, kept in a JSON file
 * (an array of {id, text, audioUrl?, from, until, dnis?}, epoch ms) so they
 * survive a restart; a new list is validated whole and applies to the next
 * call (IVR-2), a bad one is refused and the old one stays.
 */
export class NoticeFile {
  readonly board = new NoticeBoard();
  private current: Notice[] = [];

  constructor(
    private readonly path: string,
    logger: Logger,
  ) {
    if (!existsSync(path)) return;
    try {
      this.apply(JSON.parse(readFileSync(path, 'utf8')));
    } catch (e) {
      logger.warn({ file: path, err: (e as Error).message }, 'ivr: notices file ignored');
    }
  }

  list(): readonly Notice[] {
    return this.current;
  }

  /** Validate, put in force and save; throws IvrServiceError (invalid-notice) and keeps the old list. */
  replace(raw: readonly unknown[]): readonly Notice[] {
    this.apply(raw);
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.current, null, 2)}\n`, { mode: 0o640 });
    renameSync(tmp, this.path);
    return this.current;
  }

  private apply(raw: unknown): void {
    if (!Array.isArray(raw)) throw new IvrServiceError('invalid-notice', 'notices must be an array');
    this.board.replace(raw);
    this.current = raw.map((n) => ({ ...(n as Notice) }));
  }
}

export function startIvr(ctx: IvrSetupContext): IvrParts {
  const { clock, logger, dataDir, sw } = ctx;
  const ivrDir = join(dataDir, 'ivr');
  const mailboxDir = join(ivrDir, 'mailbox');
  if (!existsSync(mailboxDir)) cpSync(DEMO_MAILBOX_DIR, mailboxDir, { recursive: true });
  const workDir = join(ivrDir, 'work');
  mkdirSync(workDir, { recursive: true, mode: 0o750 });
  const notices = new NoticeFile(join(ivrDir, 'notices.json'), logger);

  const backOffice = new SimulatedBackOffice(clock);
  const queues = packQueues(ctx.queueIds);
  const packs = createPackServer({ backOffice, clock, logger: logger.child({ component: 'packs' }), mailboxDir, agentQueues: queues });
  const fetcher = new MountingFetcher(new HttpFileFetcher(clock), [{ prefix: packs.prefix, fetcher: packs }]);
  const numbers = Object.entries(PACK_SERVICE_NUMBERS) as [string, PackName][];
  const entryPoints = new EntryPointTable(numbers.map(([dnis, pack]) => ({ dnis, application: packs.entryUrl(pack, 'zh-CN'), name: pack })));
  const locales: Record<string, PromptLocale> = Object.fromEntries(numbers.map(([dnis]) => [dnis, 'zh-CN']));

  const surveys = new JsonlSurveyStore(join(ivrDir, 'surveys.jsonl'));
  if (surveys.skippedLines > 0) logger.warn({ skipped: surveys.skippedLines }, 'ivr: unreadable lines in surveys.jsonl skipped');
  const surveyAt = ctx.surveyEntryPoints ?? 'ivr';
  const surveyEntryPoints = surveyAt === 'ivr' ? numbers.map(([dnis]) => dnis) : surveyAt;
  const renderer = new PromptRenderer({ tts: new EspeakTts({ cacheDir: join(dataDir, 'tts-cache') }), audio: new AudioFileLoader(), logger, apologyText: DEFAULT_APOLOGY });
  const calls = new IvrCallService({
    ivr: { logger, clock, fetcher, entryPoints, notices: notices.board, platform: { ...DEFAULT_PLATFORM, agentDestination: queues.securities } },
    control: sw.runtime,
    channels: mediaLegChannels({ media: sw.media, renderer, clock, logger, workDir }),
    logger,
    clock,
    locales,
    ...(surveyEntryPoints.length > 0 ? { survey: { entryPoints: surveyEntryPoints, applications: SURVEY_APPLICATIONS, store: surveys } } : {}),
  });
  sw.runtime.setIvrPort(calls);
  logger.info({ serviceNumbers: PACK_SERVICE_NUMBERS, queues, survey: surveyEntryPoints }, 'ivr ready');
  return {
    calls,
    notices,
    packs,
    backOffice,
    surveys,
    entryPointTable: entryPoints,
    locales,
    async stop() {
      calls.close();
      // Halted sessions end at their next media step; do not hold the shutdown for a stuck one.
      await Promise.race([calls.idle(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    },
  };
}

const NodeUsageDto = z.object({
  node: z.string().describe('menu or field: document URL (query string left out) # dialog / item'),
  kind: z.enum(['menu', 'field']),
  attempts: z.number().int(),
  outcomes: z.record(z.string(), z.number().int()).describe('menus: the choice taken (its target), noinput, nomatch; fields: filled, noinput, nomatch (never the value)'),
});
const UsageDto = z.object({ since: z.number().optional().describe('epoch ms of the first counted step'), nodes: z.array(NodeUsageDto) }).meta({ id: 'IvrUsage' });
const EntryPointDto = z.object({ dnis: z.string(), name: z.string().optional(), application: z.string() }).meta({ id: 'IvrEntryPoint' });
const NoticeDto = z
  .object({
    id: z.string(),
    text: z.string().describe('what TTS says (or the fallback of audioUrl)'),
    audioUrl: z.string().optional(),
    from: z.number().int().describe('epoch ms, inclusive'),
    until: z.number().int().describe('epoch ms, exclusive'),
    dnis: z.array(z.string()).optional().describe('only these service numbers; all when absent'),
  })
  .meta({ id: 'IvrNotice' });
const denied = {
  401: { description: 'no valid token', schema: ErrorBody },
  403: { description: 'requires role supervisor', schema: ErrorBody },
};

const SurveyResultDto = z
  .object({
    interactionId: z.string(),
    agentId: z.string().describe('the agent who hung up first'),
    entryPoint: z.string().optional(),
    score: z.number().int().optional().describe('1 very satisfied, 2 satisfied, 3 not satisfied; absent when the caller left without answering'),
    completed: z.boolean(),
    at: z.number().int().describe('epoch ms'),
  })
  .meta({ id: 'SurveyResult' });
const SurveySummaryDto = z
  .object({
    agentId: z.string(),
    offered: z.number().int(),
    completed: z.number().int(),
    byScore: z.record(z.string(), z.number().int()),
    meanScore: z.number().optional(),
  })
  .meta({ id: 'SurveySummary' });
const SurveysDto = z.object({ agents: z.array(SurveySummaryDto), results: z.array(SurveyResultDto).describe('newest first, at most `limit`') }).meta({ id: 'Surveys' });
const SurveyQuery = z.object({ agent: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/** IVR-6 reports over HTTP: how callers used each menu since the start, and which numbers the IVR answers. */
export function ivrRoutes(ivr: Pick<IvrParts, 'calls' | 'notices' | 'surveys'>): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/ivr/surveys',
      summary: 'Post-call satisfaction survey answers, counted per agent (IVR-8)',
      tag: 'ivr',
      role: 'supervisor',
      query: SurveyQuery,
      responses: { 200: { description: 'per-agent counts and the latest answers', schema: SurveysDto }, 400: { description: 'bad query', schema: ErrorBody }, ...denied },
      async handler({ query }) {
        const results = await ivr.surveys.list(query.agent);
        const agents = [...new Set(results.map((r) => r.agentId))].sort();
        const summaries = await Promise.all(agents.map((a) => ivr.surveys.summary(a)));
        return { status: 200, body: { agents: summaries, results: results.slice(-query.limit).reverse() } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/ivr/usage',
      summary: 'IVR menu usage since the server started: attempts and outcomes per menu and field node (IVR-6)',
      tag: 'ivr',
      role: 'supervisor',
      responses: { 200: { description: 'usage per node', schema: UsageDto }, ...denied },
      async handler() {
        const s = ivr.calls.service.usage.snapshot();
        return { status: 200, body: { ...(s.since !== undefined ? { since: s.since } : {}), nodes: s.nodes } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/ivr/entry-points',
      summary: 'The service numbers the IVR answers and their applications (IVR-1)',
      tag: 'ivr',
      role: 'supervisor',
      responses: { 200: { description: 'entry points', schema: z.array(EntryPointDto) }, ...denied },
      async handler() {
        return { status: 200, body: ivr.calls.service.entryPoints().map((e) => ({ dnis: e.dnis, ...(e.name !== undefined ? { name: e.name } : {}), application: e.url })) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/ivr/notices',
      summary: 'The notices played before the main menu while their window is open (IVR-7)',
      tag: 'ivr',
      role: 'supervisor',
      responses: { 200: { description: 'notices', schema: z.array(NoticeDto) }, ...denied },
      async handler() {
        return { status: 200, body: ivr.notices.list() };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/ivr/notices',
      summary: 'Replace the notices; validated whole, in force from the next call, no restart (IVR-7, IVR-2)',
      tag: 'ivr',
      role: 'supervisor',
      body: z.array(z.unknown()).describe('[{id, text, audioUrl?, from, until, dnis?}], times in epoch ms'),
      responses: { 200: { description: 'the notices now in force', schema: z.array(NoticeDto) }, 400: { description: 'invalid list (the old one stays)', schema: ErrorBody }, ...denied },
      async handler({ body }) {
        try {
          return { status: 200, body: ivr.notices.replace(body) };
        } catch (e) {
          if (e instanceof IvrServiceError) throw new ApiError('invalid-request', e.message);
          throw e;
        }
      },
    }),
  ];
}

/**
 * Which IVR application answers a service number, changed live (ADM-2,
 * IVR-1): the number's entry in the IVR's entry-point table gets another
 * pack (securities, bank, fund) in zh-CN or en-US, in force for the next
 * call (the table is validated whole and swapped in one step; the number's
 * prompt language follows). The dial plan still decides which numbers go to
 * the IVR at all; the number keeps its entry-point name, so the switch's
 * script name resolves to the new application.
 *
 * Persistence: the numbers an administrator changed, under the `meta` key
 * `admin.ivrEntryPoints`, re-applied at start. Every change is logged as a
 * structured `admin change` line (the audit hook records the request too).
 */
import { z } from 'zod';
import { isLocale, type Locale, LOCALES, type PackName } from '../../packs/index.ts';
import { ApiError } from '../api/api-error.ts';
import { authenticate } from '../api/auth.ts';
import { defineRoute, type RouteDef } from '../api/route-def.ts';
import { ErrorBody } from '../api/schemas.ts';
import type { PromptLocale } from '../ivr/prompt/say-as.ts';
import type { EntryPointTable } from '../ivr/service/entry-point-table.ts';

export const ADMIN_IVR_ENTRY_POINTS_KEY = 'admin.ivrEntryPoints';
export const PACK_NAMES = ['securities', 'bank', 'fund'] as const satisfies readonly PackName[];

export interface IvrEntryChoice {
  dnis: string;
  pack: PackName;
  locale: Locale;
}

export interface IvrEntryView {
  dnis: string;
  name?: string;
  application: string;
  /** The pack and language when the application is one of the packs. */
  pack?: PackName;
  locale?: Locale;
}

export interface IvrEntryAdminOptions {
  table: EntryPointTable;
  /** The prompt language per number (IvrCallService reads it at each call). */
  locales: Record<string, PromptLocale>;
  applicationOf: (pack: PackName, locale: Locale) => string;
  settings: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void> };
}

export class IvrEntryAdmin {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly changed = new Map<string, IvrEntryChoice>();

  constructor(private readonly o: IvrEntryAdminOptions) {}

  list(): IvrEntryView[] {
    const known = new Map<string, { pack: PackName; locale: Locale }>();
    for (const pack of PACK_NAMES) for (const locale of LOCALES) known.set(this.o.applicationOf(pack, locale), { pack, locale });
    return this.o.table.list().map((e) => ({ dnis: e.dnis, ...(e.name !== undefined ? { name: e.name } : {}), application: e.url, ...(known.get(e.url) ?? {}) }));
  }

  /** The number answers with the pack's application from the next call on. */
  set(choice: IvrEntryChoice): IvrEntryView {
    const entries = this.o.table.list();
    if (!entries.some((e) => e.dnis === choice.dnis)) throw new ApiError('not-found', `the IVR does not answer ${choice.dnis}`);
    const next = entries.map((e) => ({ dnis: e.dnis, application: e.dnis === choice.dnis ? this.o.applicationOf(choice.pack, choice.locale) : e.url, ...(e.name !== undefined ? { name: e.name } : {}) }));
    this.o.table.replace(next);
    this.o.locales[choice.dnis] = choice.locale;
    this.changed.set(choice.dnis, choice);
    return this.list().find((e) => e.dnis === choice.dnis)!;
  }

  async save(): Promise<void> {
    const doc = JSON.stringify([...this.changed.values()]);
    const write = this.chain.then(() => this.o.settings.set(ADMIN_IVR_ENTRY_POINTS_KEY, doc));
    this.chain = write.catch(() => undefined);
    await write;
  }

  /** At start: the numbers administrators changed; returns those applied and those skipped (number gone, pack unknown). */
  async restore(): Promise<{ restored: string[]; skipped: string[] }> {
    const raw = await this.o.settings.get(ADMIN_IVR_ENTRY_POINTS_KEY);
    const restored: string[] = [];
    const skipped: string[] = [];
    for (const c of raw ? (JSON.parse(raw) as IvrEntryChoice[]) : []) {
      try {
        if (!(PACK_NAMES as readonly string[]).includes(c.pack) || !isLocale(c.locale)) throw new Error('unknown pack');
        this.set(c);
        restored.push(c.dnis);
      } catch {
        skipped.push(c.dnis);
      }
    }
    return { restored, skipped };
  }
}

const IvrEntryDto = z
  .object({
    dnis: z.string(),
    name: z.string().optional().describe('the entry point name the dial plan uses'),
    application: z.string(),
    pack: z.enum(PACK_NAMES).optional(),
    locale: z.enum(LOCALES).optional(),
  })
  .meta({ id: 'AdminIvrEntryPoint' });
const IvrEntryChange = z.object({ pack: z.enum(PACK_NAMES), locale: z.enum(LOCALES).default('zh-CN') }).strict().meta({ id: 'IvrEntryPointChange' });
const DnisParams = z.object({ dnis: z.string().regex(/^\+?[0-9]{1,20}$/).describe('service number') });
const common = { 401: { description: 'no valid token', schema: ErrorBody }, 403: { description: 'not an admin', schema: ErrorBody } };

export function ivrEntryAdminRoutes(admin: IvrEntryAdmin): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/admin/ivr-entry-points',
      summary: 'The service numbers the IVR answers, their application, pack and language (IVR-1, ADM-1)',
      tag: 'admin',
      role: 'admin',
      responses: { 200: { description: 'IVR entry points', schema: z.array(IvrEntryDto) }, ...common },
      async handler() {
        return { status: 200, body: admin.list() };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/admin/ivr-entry-points/:dnis',
      summary: 'Answer a service number with another IVR pack or language, in force for the next call, kept across a restart (ADM-2)',
      tag: 'admin',
      role: 'admin',
      params: DnisParams,
      body: IvrEntryChange,
      responses: { 200: { description: 'the entry point as now in force', schema: IvrEntryDto }, 400: { description: 'invalid input', schema: ErrorBody }, 404: { description: 'the IVR does not answer this number', schema: ErrorBody }, ...common },
      async handler({ deps, params, body, req }) {
        const user = await authenticate(req, deps, 'admin');
        const view = admin.set({ dnis: params.dnis, pack: body.pack, locale: body.locale });
        await admin.save();
        req.log.info({ audit: { by: user.username, action: 'ivr-entry-point.update', entryPoint: params.dnis, detail: body } }, 'admin change');
        return { status: 200, body: view };
      },
    }),
  ];
}

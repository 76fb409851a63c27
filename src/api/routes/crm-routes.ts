/**
 * The agent's screen pop and wrap-up over HTTP (CTI-6, CRM-1, CRM-3, CRM-5):
 *
 *   GET  /api/v1/interactions/:id/screen-pop   the caller's past calls (count
 *        today and in all, talk time, the last ten with disposition, agents
 *        and wrap-up notes) and, for a customer the IVR authenticated, the
 *        back office's overview (profile, customer class, account and card
 *        status, shareholder accounts) with service reminders
 *   POST /api/v1/interactions/:id/wrap-up      the agent's note (business
 *        category, self-evaluation, summary), stored in the call record;
 *        `done: true` also ends the agent's wrap-up in the ACD
 *   GET  /api/v1/wrap-up/categories            the category list in force
 *   PUT  /api/v1/wrap-up/categories            replace it (supervisor)
 *
 * Access (crm-access.ts): an agent reads and files only for calls it is or
 * was on; supervisors and admins read any. Passwords and PINs never reach
 * here: the identity is the call data's account (which agents may not set,
 * call-routes.ts), the back office's overview holds no secret, and its
 * birth date stays here (only the birthday reminder goes out).
 */
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, localParts } from '../../acd/center-time.ts';
import { isBackOfficeError, serviceReminders, type CustomerOverview } from '../../backoffice/index.ts';
import { CustomerOverview as CustomerOverviewSchema } from '../../backoffice/http/schemas.ts';
import { DISPOSITIONS, SELF_EVALUATIONS, type CallRecord, type ContactLog, type ContactLogged } from '../../switch/records/index.ts';
import type { ApiDeps } from '../api-deps.ts';
import { defineRoute, type RouteDef } from '../route-def.ts';
import { ErrorBody } from '../schemas.ts';
import { agentDto, AgentDto } from './acd-schemas.ts';
import { attachedIdentity, callAccess, contactCustomer, CRM_ERROR_CODES, CrmApiError, type CrmRouteDeps } from './crm-access.ts';
import { loadCategories, saveCategories, WrapupCategoryList, WrapupCategorySchema } from './wrap-up-categories.ts';

export type { CrmRouteDeps } from './crm-access.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const IdParams = z.object({ id: z.string().min(1).max(128) });
/** Records read for the history's counts and talk time. */
const HISTORY_SCAN = 200;
/** Past calls listed in the pop. */
const HISTORY_SHOWN = 10;

const CustomerDto = z.object({
  account: z.string().optional(), kind: z.string().optional(), name: z.string().optional(), customerId: z.string().optional(),
  branchCode: z.string().optional(), branchName: z.string().optional(), shareholderAccount: z.string().optional(),
});
export const ContactLogDto = z
  .object({ agentId: z.string(), at: z.string(), category: z.string(), selfEvaluation: z.enum(SELF_EVALUATIONS), summary: z.string(), customer: CustomerDto.optional() })
  .meta({ id: 'ContactLog', description: 'CRM-3: an agent’s wrap-up note on the call' });

export function contactLogDto(c: ContactLog): z.infer<typeof ContactLogDto> {
  return { ...c, at: iso(c.at) };
}

const Reminder = z.object({
  kind: z.enum(['account-locked', 'card-lost', 'card-locked', 'open-orders', 'fund-requests', 'birthday']),
  account: z.string().optional(), count: z.number().optional(), inDays: z.number().optional(),
});
const PastCall = z.object({
  id: z.string(), startedAt: z.string(), endedAt: z.string().optional(), talkMs: z.number(), status: z.enum(['live', 'ended']),
  disposition: z.enum(DISPOSITIONS).optional(), agents: z.array(z.string()), contacts: z.array(ContactLogDto),
});
const ScreenPopDto = z
  .object({
    interactionId: z.string(),
    caller: z.string(),
    history: z.object({
      total: z.number().describe('past calls from this number (this one excluded)'),
      today: z.number().describe('of them since midnight in the center time zone'),
      talkMs: z.number().describe(`talk time of the last ${HISTORY_SCAN}`),
      items: z.array(PastCall).describe(`the last ${HISTORY_SHOWN}, newest first`),
    }),
    customer: z
      .object({ account: z.string(), kind: z.string().optional(), overview: CustomerOverviewSchema.optional(), reminders: z.array(Reminder), error: z.string().optional().describe('back-office error code when the overview could not be read') })
      .optional()
      .describe('present when the IVR authenticated the caller'),
  })
  .meta({ id: 'ScreenPopData' });

const WrapupBody = z
  .object({
    category: z.string().min(1).max(48),
    selfEvaluation: z.enum(SELF_EVALUATIONS),
    summary: z.string().trim().min(1).max(2000),
    done: z.boolean().optional().describe('also end the agent’s wrap-up (ready, or the pause asked during the call)'),
  })
  .strict()
  .meta({ id: 'WrapupNote' });
const WrapupResult = z.object({ contact: ContactLogDto, wrapUpEnded: z.boolean(), agent: AgentDto.optional() }).meta({ id: 'WrapupResult' });
const CategoriesDto = z.object({ categories: z.array(WrapupCategorySchema), isDefault: z.boolean() }).meta({ id: 'WrapupCategories' });
const CrmErrorBody = z.object({ error: z.object({ code: z.enum(CRM_ERROR_CODES), message: z.string() }) }).meta({ id: 'CrmError' });

const common = {
  401: { description: 'no valid token', schema: ErrorBody },
};

/** The overview as agents see it: the birth date (MMDD) stays on the server, only its reminder is shown. */
function shown(o: CustomerOverview): z.infer<typeof CustomerOverviewSchema> {
  const { birthday: _birthday, ...rest } = o;
  return rest as z.infer<typeof CustomerOverviewSchema>;
}

function pastCall(r: CallRecord): z.infer<typeof PastCall> {
  return {
    id: r.interactionId, startedAt: iso(r.startedAt), ...(r.endedAt !== undefined ? { endedAt: iso(r.endedAt) } : {}), talkMs: r.talkMs, status: r.status,
    ...(r.disposition ? { disposition: r.disposition } : {}), agents: [...r.agents], contacts: (r.contacts ?? []).map(contactLogDto),
  };
}

/** Epoch ms of the last local midnight at or before `now` in the center's time zone (no DST in Asia/Shanghai; elsewhere ±1 h on change days). */
export function startOfLocalDay(now: number, timeZone: string): number {
  const p = localParts(now, timeZone);
  return now - (((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + ((now % 1000) + 1000) % 1000);
}

export function crmRoutes(crm: CrmRouteDeps): RouteDef[] {
  /** The customer of a call as last resolved, for pops and notes after the switch forgot the call (bounded). */
  const known = new Map<string, { identity: NonNullable<ReturnType<typeof attachedIdentity>>; overview?: CustomerOverview }>();
  const remember = (id: string, v: { identity: NonNullable<ReturnType<typeof attachedIdentity>>; overview?: CustomerOverview }) => {
    known.delete(id);
    known.set(id, v);
    if (known.size > 2000) known.delete(known.keys().next().value!);
  };
  const resolve = async (id: string, view: Parameters<typeof attachedIdentity>[0]) => {
    const identity = attachedIdentity(view) ?? known.get(id)?.identity;
    if (identity === undefined) return undefined;
    let overview: CustomerOverview | undefined;
    let error: string | undefined;
    if (crm.backOffice === undefined) error = 'no-back-office';
    else {
      try {
        overview = await crm.backOffice.getCustomerOverview(identity.account);
      } catch (e) {
        if (!isBackOfficeError(e)) throw e;
        error = e.code;
        overview = known.get(id)?.overview;
      }
    }
    remember(id, { identity, ...(overview ? { overview } : {}) });
    return { identity, overview, error };
  };

  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/interactions/:id/screen-pop',
      summary: 'Screen pop: the caller’s past calls and the authenticated customer’s back-office profile, status and reminders (CTI-6, CRM-1, CRM-5)',
      tag: 'crm',
      role: 'agent',
      params: IdParams,
      responses: {
        200: { description: 'screen-pop data', schema: ScreenPopDto },
        403: { description: 'an agent asking about a call it is not on (not-on-call)', schema: CrmErrorBody },
        404: { description: 'no such interaction (no-call-record)', schema: CrmErrorBody },
        ...common,
      },
      async handler({ deps, params, req }) {
        const access = await callAccess(req, deps, crm, params.id);
        const caller = access.view?.customer.number ?? access.record?.record.customer ?? '';
        const history = await historyOf(deps, caller, params.id, crm.timeZone ?? DEFAULT_TIME_ZONE);
        const who = await resolve(params.id, access.view);
        const body: z.infer<typeof ScreenPopDto> = { interactionId: params.id, caller, history };
        if (who) {
          body.customer = {
            account: who.identity.account,
            ...(who.identity.kind ? { kind: who.identity.kind } : {}),
            ...(who.overview ? { overview: shown(who.overview) } : {}),
            reminders: who.overview ? serviceReminders(who.overview, deps.clock.now()) : [],
            ...(who.error ? { error: who.error } : {}),
          };
        }
        return { status: 200, body };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/interactions/:id/wrap-up',
      summary: 'Wrap-up note (CRM-3): business category, self-evaluation and summary, stored in the call record; done ends the agent’s wrap-up',
      tag: 'crm',
      role: 'agent',
      params: IdParams,
      body: WrapupBody,
      responses: {
        200: { description: 'the note as stored, and the agent after `done`', schema: WrapupResult },
        400: { description: 'invalid note, or a category not in the list (unknown-category)', schema: CrmErrorBody },
        403: { description: 'the caller was not on the call (not-on-call)', schema: CrmErrorBody },
        404: { description: 'no such interaction (no-call-record)', schema: CrmErrorBody },
        409: { description: 'the agent state refused the end of wrap-up (typed ACD code)', schema: ErrorBody },
        ...common,
      },
      async handler({ deps, params, body, req }) {
        const access = await callAccess(req, deps, crm, params.id);
        const { categories } = await loadCategories(crm.settings);
        if (!categories.some((c) => c.id === body.category)) {
          throw new CrmApiError('unknown-category', `category ${body.category} is not in the list (GET /api/v1/wrap-up/categories)`, 'invalid-request');
        }
        const who = await resolve(params.id, access.view);
        const note: ContactLogged = {
          type: 'contact.logged', interaction: params.id, agentId: access.partyId, at: deps.clock.now(),
          category: body.category, selfEvaluation: body.selfEvaluation, summary: body.summary,
          ...(who ? { customer: contactCustomer(who.identity, who.overview) } : {}),
        };
        if (!(await crm.records.logContact(note))) throw new CrmApiError('no-call-record', `interaction ${params.id} has no call record`, 'not-found');
        const { type: _t, interaction: _i, ...contact } = note;
        let agent: z.infer<typeof AgentDto> | undefined;
        let wrapUpEnded = false;
        if (body.done === true && deps.acd !== undefined) {
          const acd = deps.acd;
          let st;
          try {
            st = acd.agent(access.partyId);
          } catch {
            st = undefined; // not an ACD agent
          }
          if (st?.state === 'wrap-up' && (st.interactionId === undefined || st.interactionId === params.id)) {
            agent = agentDto(acd.act(access.partyId, 'wrap-up-done'));
            wrapUpEnded = true;
          }
        }
        req.log.info({ interaction: params.id, agent: access.partyId, category: body.category, done: wrapUpEnded }, 'wrap-up note filed');
        return { status: 200, body: { contact: contactLogDto(contact), wrapUpEnded, ...(agent ? { agent } : {}) } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/wrap-up/categories',
      summary: 'Business categories of the wrap-up form (CRM-3)',
      tag: 'crm',
      role: 'agent',
      responses: { 200: { description: 'the list in force', schema: CategoriesDto }, ...common },
      async handler() {
        return { status: 200, body: await loadCategories(crm.settings) };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/wrap-up/categories',
      summary: 'Replace the wrap-up categories (supervisor; in force for the next note)',
      tag: 'crm',
      role: 'supervisor',
      body: WrapupCategoryList,
      responses: {
        200: { description: 'the list now in force', schema: CategoriesDto },
        400: { description: 'invalid list (ids, names, duplicates)', schema: ErrorBody },
        403: { description: 'needs the supervisor role', schema: ErrorBody },
        ...common,
      },
      async handler({ body }) {
        await saveCategories(crm.settings, body);
        return { status: 200, body: await loadCategories(crm.settings) };
      },
    }),
  ];
}

async function historyOf(deps: ApiDeps, caller: string, current: string, timeZone: string): Promise<z.infer<typeof ScreenPopDto>['history']> {
  const store = deps.callRecords;
  if (store === undefined || caller === '') return { total: 0, today: 0, talkMs: 0, items: [] };
  const page = await store.list({ number: caller, limit: HISTORY_SCAN + 1 });
  const past = page.items.filter((r) => r.interactionId !== current && r.customer === caller);
  const excluded = page.items.length - past.length;
  const todayPage = await store.list({ number: caller, from: startOfLocalDay(deps.clock.now(), timeZone), limit: HISTORY_SCAN + 1 });
  const todayCount = todayPage.items.filter((r) => r.interactionId !== current && r.customer === caller).length;
  return {
    total: Math.max(0, page.total - excluded),
    today: todayPage.total > HISTORY_SCAN ? todayPage.total : todayCount,
    talkMs: past.slice(0, HISTORY_SCAN).reduce((s, r) => s + r.talkMs, 0),
    items: past.slice(0, HISTORY_SHOWN).map(pastCall),
  };
}


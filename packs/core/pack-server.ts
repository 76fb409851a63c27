/**
 * The application server inside Hotline that answers the packs' VoiceXML
 * requests: `<prefix><pack>/<locale>/<page>?s=<token>` plus posted fields.
 * It is a ResourceFetcher, so it mounts into the IVR fetch layer in-process
 * (MountingFetcher); `handle()` is the same answer for an HTTP route.
 *
 * - `''` (the application's entry URL) is a bootstrap document that posts
 *   the IVR session id and caller number to `start`;
 * - `start` opens the server-side session (unguessable token in every link
 *   from then on) and says the welcome;
 * - `agent` hands the caller to an agent with the call-attached data.
 * Every document carries the IVR-3 handlers: `*` to an agent, `0` back to
 * the page's parent, three noinputs or nomatches to an agent.
 */
import { randomBytes } from 'node:crypto';
import { isBackOfficeError, type BackOffice, type BackOfficeError } from '../../src/backoffice/index.ts';
import { FetchError, type FetchRequest, type FetchedResource, type ResourceFetcher } from '../../src/ivr/fetch/index.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { AGENT_REASONS, type AgentReason, type CallAttachedData, type PackName } from './call-data.ts';
import { commonMessages } from './common-messages.ts';
import { isLocale, type Locale } from './locale.ts';
import type { PackModule, PageContext, PageDef } from './pack-module.ts';
import { attachedData, PackSessionStore, type PackSession } from './pack-session.ts';
import type { Speech } from './speech.ts';
import { el, renderDocument, type VxmlEl } from './vxml.ts';
import { agentTransfer, prompt, speakThen } from './vxml-kit.ts';

export interface PackServerOptions {
  readonly backOffice: BackOffice;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly packs: readonly PackModule<any>[];
  /** Absolute URL the server is mounted at, ending in `/`. */
  readonly prefix: string;
  readonly idleTimeoutMs?: number;
  /** Failed logins in one call before the caller goes to an agent. */
  readonly maxFailedLogins?: number;
  /** Overrides of each pack's agent queue. */
  readonly agentQueues?: Partial<Record<PackName, string>>;
  readonly newToken?: () => string;
}

export interface PackRequest {
  readonly pack: string;
  readonly locale: string;
  readonly page: string;
  readonly query: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
}

export const DEFAULT_PACK_PREFIX = 'http://hotline.invalid/ivr/packs/';

export class PackServer implements ResourceFetcher {
  readonly sessions: PackSessionStore;
  readonly maxFailedLogins: number;
  /** The absolute URL prefix the server answers under. */
  readonly prefix: string;
  private readonly packs = new Map<string, PackModule<any>>();
  private served = 0;

  constructor(private readonly opts: PackServerOptions) {
    this.prefix = opts.prefix;
    if (!opts.prefix.endsWith('/')) throw new RangeError('pack server prefix must end with /');
    for (const p of opts.packs) this.packs.set(p.name, p);
    this.maxFailedLogins = opts.maxFailedLogins ?? 3;
    this.sessions = new PackSessionStore(opts.clock, opts.idleTimeoutMs ?? 15 * 60_000, opts.newToken ?? (() => randomBytes(16).toString('base64url')), (s) => {
      const token = s.identity?.backOfficeToken;
      if (token) opts.backOffice.logout(token).catch((e: unknown) => opts.logger.warn({ err: String(e) }, 'pack: back-office logout failed'));
    });
  }

  /** The entry URL of a pack in a locale (what an IVR entry point names). */
  entryUrl(pack: PackName, locale: Locale): string {
    return `${this.opts.prefix}${pack}/${locale}/`;
  }

  /** IVR-4 / CRM-1: the call-attached data of an IVR session, for a screen pop. */
  attachedData(ivrSessionId: string): CallAttachedData | undefined {
    const s = this.sessions.byIvrSession(ivrSessionId);
    return s ? attachedData(s) : undefined;
  }

  async fetch(req: FetchRequest): Promise<FetchedResource> {
    const u = new URL(req.url);
    u.hash = '';
    const base = u.origin + u.pathname;
    if (!base.startsWith(this.opts.prefix)) throw new FetchError('not-found', `${req.url}: not under ${this.opts.prefix}`);
    const [pack = '', locale = '', page = '', ...rest] = base.slice(this.opts.prefix.length).split('/');
    if (rest.length > 0) throw new FetchError('not-found', `${req.url}: no such page`);
    const query: Record<string, string> = {};
    for (const [k, v] of u.searchParams) query[k] = v;
    const text = await this.handle({ pack, locale, page: decodeURIComponent(page), query, fields: req.fields ?? {} });
    return { url: u.href, text, version: `pack:${++this.served}` };
  }

  /** One document request; FetchError('not-found') for an unknown pack, locale or page. */
  async handle(r: PackRequest): Promise<string> {
    const pack = this.packs.get(r.pack);
    if (!pack || !isLocale(r.locale)) throw new FetchError('not-found', `no pack ${r.pack}/${r.locale}`);
    const locale = r.locale;
    if (r.page === '') return this.render(locale, [bootstrap()]);
    if (r.page === 'start') {
      const s = this.sessions.open(pack.name, locale, pack.initialState(), nonEmpty(r.fields['ivr']), nonEmpty(r.fields['ani']));
      this.sessions.visit(s, 'start');
      const ctx = this.context(pack, s, locale, {}, undefined);
      return this.render(locale, [speakThen('welcome', pack.welcome(locale), ctx.link(pack.home))], ctx, pack.home);
    }
    if (r.page === 'lang') return this.switchLanguage(pack, locale, r.query['s']);
    const def: PageDef<unknown> | undefined = r.page === 'agent' ? undefined : pack.pages[r.page];
    if (r.page !== 'agent' && !def) throw new FetchError('not-found', `no page ${r.pack}/${r.page}`);
    const s = this.sessions.use<unknown>(r.query['s'], pack.name, locale);
    if (!s) {
      // Unknown or idle session: start over rather than trust anything the request says.
      return this.render(locale, [speakThen('expired', commonMessages(locale).sessionExpired, `${this.entryUrl(pack.name, locale)}start`)]);
    }
    this.sessions.visit(s, r.page);
    const ctx = this.context(pack, s, locale, { ...r.query, ...r.fields }, def);
    delete (ctx.params as Record<string, string>)['s'];
    if (r.page === 'agent') {
      const reason = AGENT_REASONS.find((x) => x === r.query['r']) ?? 'caller';
      return this.render(locale, ctx.toAgent(reason), ctx, pack.home);
    }
    const parent = def!.parent ?? pack.home;
    if (def!.auth && !s.identity) return this.render(locale, [speakThen('login-first', ctx.common.loginFirst, ctx.link(pack.loginPage))], ctx, parent);
    let dialogs: readonly VxmlEl[];
    try {
      dialogs = await def!.render(ctx);
    } catch (e) {
      if (!isBackOfficeError(e)) {
        this.opts.logger.error({ pack: pack.name, page: r.page, err: String(e) }, 'pack page failed');
        throw new FetchError('io', `${pack.name}/${r.page}: ${String(e)}`);
      }
      dialogs = this.onBackOfficeError(ctx, s, e, pack);
    }
    return this.render(locale, dialogs, ctx, parent);
  }

  /**
   * Top menu key 9: the session moves to the other language (identity,
   * inputs and path kept) and the caller is greeted there, then its top menu.
   * The links are relative to this document, so they name the other
   * locale's folder.
   */
  private switchLanguage(pack: PackModule<any>, from: Locale, token: string | undefined): string {
    const s = this.sessions.use<unknown>(token, pack.name, from);
    if (!s) return this.render(from, [speakThen('expired', commonMessages(from).sessionExpired, `${this.entryUrl(pack.name, from)}start`)]);
    const to: Locale = from === 'zh-CN' ? 'en-US' : 'zh-CN';
    this.sessions.visit(s, 'lang');
    s.locale = to;
    const home = `../${to}/${encodeURIComponent(pack.home)}?${new URLSearchParams({ s: s.token }).toString()}`;
    return this.render(to, [speakThen('lang', pack.welcome(to), home)]);
  }

  private onBackOfficeError(ctx: PageContext<unknown>, s: PackSession<unknown>, e: BackOfficeError, pack: PackModule<any>): VxmlEl[] {
    if (e.code === 'not-authenticated') {
      s.identity = undefined;
      return ctx.fail(e, pack.loginPage);
    }
    if (e.code === 'account-locked') return ctx.toAgent('account-locked', ctx.common.error(e));
    if (e.code === 'card-lost') return ctx.toAgent('card-lost', ctx.common.error(e));
    return ctx.fail(e);
  }

  private context(pack: PackModule<any>, s: PackSession<unknown>, locale: Locale, params: Record<string, string>, def: PageDef<unknown> | undefined): PageContext<unknown> {
    const common = commonMessages(locale);
    const link = (page: string, query: Readonly<Record<string, string>> = {}): string => {
      const q = new URLSearchParams({ s: s.token, ...query });
      return `${encodeURIComponent(page)}?${q.toString()}`;
    };
    const queue = this.opts.agentQueues?.[pack.name] ?? pack.agentQueue;
    return {
      locale,
      params,
      session: s,
      backOffice: this.opts.backOffice,
      common,
      clock: this.opts.clock,
      maxFailedLogins: this.maxFailedLogins,
      link,
      token() {
        if (!s.identity) throw new Error('token() on a page without an authenticated caller');
        return s.identity.backOfficeToken;
      },
      toAgent(reason: AgentReason, say?: Speech) {
        s.reason = reason;
        return [agentTransfer('to-agent', [...(say ?? []), ...common.toAgent], queue, attachedData(s), common.agentBusy, link(pack.home))];
      },
      fail(e: BackOfficeError, next?: string) {
        return [speakThen('error', common.error(e), link(next ?? def?.parent ?? pack.home))];
      },
      note(name: string, value: string) {
        s.inputs[name] = value;
      },
    };
  }

  /** The document: the IVR-3 handlers every page shares, then the page's dialogs. */
  private render(locale: Locale, dialogs: readonly VxmlEl[], ctx?: PageContext<unknown>, back?: string): string {
    const common = commonMessages(locale);
    const handlers: VxmlEl[] = ctx
      ? [
          el('catch', { event: 'hotline.agent' }, el('goto', { next: ctx.link('agent', { r: 'caller' }) })),
          el('catch', { event: 'hotline.back' }, el('goto', { next: ctx.link(back ?? '') })),
          el('catch', { event: 'noinput nomatch', count: 3 }, prompt(common.tooManyErrors), el('goto', { next: ctx.link('agent', { r: 'retries' }) })),
          el('catch', { event: 'noinput' }, prompt(common.noinput), el('reprompt')),
          el('catch', { event: 'nomatch' }, prompt(common.nomatch), el('reprompt')),
        ]
      : [];
    return renderDocument(el('vxml', { version: '2.1', xmlns: 'http://www.w3.org/2001/vxml', 'xml:lang': locale }, handlers, dialogs));
  }
}

/** The entry document: posts the IVR session id and the caller's number, which the platform put into `session`. */
function bootstrap(): VxmlEl {
  const ivr = "(typeof session.hotline == 'object' && session.hotline && session.hotline.sessionId) ? String(session.hotline.sessionId) : ''";
  const ani = "(session.connection && session.connection.remote && session.connection.remote.uri) ? String(session.connection.remote.uri) : ''";
  return el('form', { id: 'bootstrap' }, el('var', { name: 'ivr', expr: ivr }), el('var', { name: 'ani', expr: ani }), el('block', {}, el('submit', { next: 'start', method: 'post', namelist: 'ivr ani' })));
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s.slice(0, 200);
}

/**
 * The fund self-service pack (SEC-8, IVR-3, IVR-4):
 *
 *   menu  1 NAV by fund code
 *         2 purchase and redemption status -> login (fund account, trading password) -> account
 *              account 1 requests (# all or fund code)  2 holdings
 *         3 how-to guidance  1 opening an account  2 purchase  3 redemption  4 fees and timing
 *   everywhere: 0 back, * agent.
 */
import { attemptLogin } from '../core/login.ts';
import type { PackModule, PageDef } from '../core/pack-module.ts';
import { inputForm, menu, speakThen } from '../core/vxml-kit.ts';
import { topMenu } from '../core/top-menu.ts';
import { fundMessages as msg, GUIDE_TOPICS } from './fund-messages.ts';

/** The fund pack keeps no drafts: it only reads. */
export type FundState = Record<string, never>;
type Page = PageDef<FundState>;

const pages: Record<string, Page> = {
  menu: {
    render(ctx) {
      const l = (p: string) => ctx.link(p);
      return [topMenu(ctx, msg(ctx.locale).topMenu, [{ dtmf: '1', next: l('nav') }, { dtmf: '2', next: l('login') }, { dtmf: '3', next: l('guide') }])];
    },
  },
  nav: {
    parent: 'menu',
    render: (ctx) => [inputForm('nav', [{ name: 'code', type: 'digits?length=6', prompt: msg(ctx.locale).enterFundCode }], ctx.link('nav-show'))],
  },
  'nav-show': {
    parent: 'nav',
    async render(ctx) {
      const code = ctx.params['code'] ?? '';
      ctx.note('fundCode', code);
      const nav = await ctx.backOffice.getFundNav(code);
      return [speakThen('nav-show', msg(ctx.locale).nav(nav), ctx.link('nav'))];
    },
  },
  login: {
    parent: 'menu',
    render(ctx) {
      const m = msg(ctx.locale);
      if (ctx.session.identity) return [speakThen('login', m.hello(ctx.session.identity.name), ctx.link('account'))];
      return [
        inputForm(
          'login',
          [
            { name: 'account', type: 'digits?minlength=6;maxlength=12', prompt: m.enterFundAccount },
            { name: 'password', type: 'digits?length=6', prompt: m.enterPassword },
          ],
          ctx.link('login-check'),
        ),
      ];
    },
  },
  'login-check': {
    parent: 'login',
    render(ctx) {
      const account = ctx.params['account'] ?? '';
      const password = ctx.params['password'] ?? '';
      return attemptLogin(ctx, account, () => ctx.backOffice.loginWithFundAccount('fund', account, password), (s) => msg(ctx.locale).hello(s.customerName), { retry: 'login', next: 'account' });
    },
  },
  account: {
    parent: 'menu',
    auth: true,
    render: (ctx) => [menu('account', msg(ctx.locale).accountMenu, [{ dtmf: '1', next: ctx.link('requests') }, { dtmf: '2', next: ctx.link('holdings') }])],
  },
  requests: {
    parent: 'account',
    auth: true,
    render: (ctx) => [inputForm('requests', [{ name: 'code', type: 'digits?length=6;all=true', prompt: msg(ctx.locale).enterCodeOrAll }], ctx.link('requests-list'))],
  },
  'requests-list': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const code = ctx.params['code'] ?? 'all';
      ctx.note('requests', code);
      const all = await ctx.backOffice.listFundRequests(ctx.token());
      const shown = code === 'all' ? all : all.filter((r) => r.fundCode === code);
      return [speakThen('requests-list', shown.length === 0 ? m.noRequests : shown.flatMap((r, i) => m.request(i + 1, r)), ctx.link('account'))];
    },
  },
  holdings: {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const list = await ctx.backOffice.listFundHoldings(ctx.token());
      return [speakThen('holdings', list.length === 0 ? m.noHoldings : list.flatMap((h) => m.holding(h)), ctx.link('account'))];
    },
  },
  guide: {
    parent: 'menu',
    render: (ctx) => [menu('guide', msg(ctx.locale).guideMenu, GUIDE_TOPICS.map((t, i) => ({ dtmf: String(i + 1), next: ctx.link('guide-show', { t }) })))],
  },
  'guide-show': {
    parent: 'guide',
    render(ctx) {
      const t = GUIDE_TOPICS.find((x) => x === ctx.params['t']);
      if (!t) return [speakThen('guide-show', ctx.common.invalidChoice, ctx.link('guide'))];
      return [speakThen('guide-show', msg(ctx.locale).guide(t), ctx.link('guide'))];
    },
  },
};

export function fundPack(opts: { readonly agentQueue?: string } = {}): PackModule<FundState> {
  return {
    name: 'fund',
    agentQueue: opts.agentQueue ?? 'queue:fund',
    home: 'menu',
    loginPage: 'login',
    welcome: (l) => msg(l).welcome,
    initialState: () => ({}),
    pages,
  };
}

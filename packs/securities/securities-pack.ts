/**
 * The securities self-service pack (SEC-2, SEC-3, IVR-3, IVR-4, CRM-2):
 *
 *   menu  1 trading services -> login -> account
 *           account 1 balance  2 positions (code or # all)  3 statement (YYYYMMDD or # all)
 *                   4 order (buy/sell, code, price with *, quantity, read-back 1 confirm 2 cancel)
 *                   5 orders (# all or code; key a number to cancel, read-back)
 *                   6 bank-securities transfer (1 in, 2 out; amount with *; bank password; read-back)
 *                   7 switch shareholder account (first ten, numbered, name and account)
 *                   8 update mobile number (authenticated only; completed by an agent)
 *                   9 quotes
 *         2 quotes by code
 *         3 voice mailboxes  1 special notes by code  2 market analysis by institution
 *                            3 recommendations  4 comments by code  5 broker announcements
 *   everywhere: 0 back, * agent; three wrong passwords lock the account and go to an agent.
 */
import type { MailboxSource } from '../core/mailbox.ts';
import { attemptLogin } from '../core/login.ts';
import type { PackModule, PageDef } from '../core/pack-module.ts';
import { inputForm, menu, speakThen } from '../core/vxml-kit.ts';
import { topMenu } from '../core/top-menu.ts';
import { accountPages } from './account-pages.ts';
import { mailboxPages, quotePages } from './info-pages.ts';
import { securitiesMessages as msg } from './securities-messages.ts';
import { initialSecuritiesState, type SecuritiesState } from './securities-state.ts';
import { tradingPages } from './trading-pages.ts';

type Page = PageDef<SecuritiesState>;

export interface SecuritiesPackOptions {
  readonly mailbox: MailboxSource;
  readonly agentQueue?: string;
}

const corePages: Record<string, Page> = {
  menu: {
    render(ctx) {
      const l = (p: string) => ctx.link(p);
      return [topMenu(ctx, msg(ctx.locale).topMenu, [{ dtmf: '1', next: l('login') }, { dtmf: '2', next: l('quote') }, { dtmf: '3', next: l('mailbox') }])];
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
      return attemptLogin(ctx, account, () => ctx.backOffice.loginWithFundAccount('securities', account, password), (s) => msg(ctx.locale).hello(s.customerName), { retry: 'login', next: 'account' });
    },
  },
  account: {
    parent: 'menu',
    auth: true,
    render(ctx) {
      const l = (p: string) => ctx.link(p);
      const pages = ['balance', 'positions', 'statement', 'order', 'orders', 'transfer', 'holders', 'mobile', 'account-quote'];
      return [menu('account', msg(ctx.locale).accountMenu, pages.map((p, i) => ({ dtmf: String(i + 1), next: l(p) })))];
    },
  },
};

export function securitiesPack(opts: SecuritiesPackOptions): PackModule<SecuritiesState> {
  return {
    name: 'securities',
    agentQueue: opts.agentQueue ?? 'queue:securities',
    home: 'menu',
    loginPage: 'login',
    welcome: (l) => msg(l).welcome,
    initialState: initialSecuritiesState,
    pages: {
      ...corePages,
      ...accountPages,
      ...tradingPages,
      ...quotePages('quote', 'menu', false),
      ...quotePages('account-quote', 'account', true),
      ...mailboxPages(opts.mailbox),
    },
  };
}

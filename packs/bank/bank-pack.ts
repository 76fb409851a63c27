/**
 * The bank self-service pack (SEC-7, IVR-3, IVR-4):
 *
 *   menu  1 self-service -> login (card number, PIN) -> account
 *           account 1 balances  2 transaction details (account or # all, dates YYYYMMDD or # all)
 *                   3 card loss report (read-back)  4 PIN change (old, new, again)
 *                   5 transfer between own accounts (amount with *, read-back)
 *                   6 bill payment (payee, bill number, amount, read-back)
 *                   7 statements by fax or email: not available yet (said so)
 *   everywhere: 0 back, * agent; three wrong PINs lock the card and go to an agent.
 */
import { attemptLogin } from '../core/login.ts';
import type { PackModule, PageDef } from '../core/pack-module.ts';
import { inputForm, menu, speakThen } from '../core/vxml-kit.ts';
import { topMenu } from '../core/top-menu.ts';
import { bankMessages as msg } from './bank-messages.ts';
import { bankPages, type BankState } from './bank-pages.ts';

type Page = PageDef<BankState>;

const corePages: Record<string, Page> = {
  menu: {
    render: (ctx) => [topMenu(ctx, msg(ctx.locale).topMenu, [{ dtmf: '1', next: ctx.link('login') }])],
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
            { name: 'card', type: 'digits?minlength=12;maxlength=19', prompt: m.enterCard },
            { name: 'pin', type: 'digits?length=6', prompt: m.enterPin },
          ],
          ctx.link('login-check'),
        ),
      ];
    },
  },
  'login-check': {
    parent: 'login',
    render(ctx) {
      const card = ctx.params['card'] ?? '';
      const pin = ctx.params['pin'] ?? '';
      return attemptLogin(ctx, card, () => ctx.backOffice.loginWithCard(card, pin), (s) => msg(ctx.locale).hello(s.customerName), { retry: 'login', next: 'account' });
    },
  },
  account: {
    parent: 'menu',
    auth: true,
    render(ctx) {
      const pages = ['balance', 'transactions', 'loss', 'pin', 'own-transfer', 'bill', 'statements'];
      return [menu('account', msg(ctx.locale).accountMenu, pages.map((p, i) => ({ dtmf: String(i + 1), next: ctx.link(p) })))];
    },
  },
};

export function bankPack(opts: { readonly agentQueue?: string } = {}): PackModule<BankState> {
  return {
    name: 'bank',
    agentQueue: opts.agentQueue ?? 'queue:bank',
    home: 'menu',
    loginPage: 'login',
    welcome: (l) => msg(l).welcome,
    initialState: () => ({ accounts: [] }),
    pages: { ...corePages, ...bankPages },
  };
}

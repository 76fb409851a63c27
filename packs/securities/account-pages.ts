/** Securities pack, authenticated account pages: balance, positions, statement, shareholder accounts, mobile number (SEC-2, CRM-2). */
import type { PageDef } from '../core/pack-module.ts';
import { beijingDate } from '../core/locale.ts';
import { el } from '../core/vxml.ts';
import { backTo, inputForm, menu, prompt, speakThen } from '../core/vxml-kit.ts';
import { securitiesMessages as msg } from './securities-messages.ts';
import type { SecuritiesState } from './securities-state.ts';

type Page = PageDef<SecuritiesState>;
const MAX_STATEMENT = 20;
const MAX_HOLDERS = 10;

export const accountPages: Record<string, Page> = {
  balance: {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const b = await ctx.backOffice.getBalance(ctx.token());
      return [speakThen('balance', msg(ctx.locale).balance(b), ctx.link('account'))];
    },
  },

  positions: {
    parent: 'account',
    auth: true,
    render: (ctx) => [inputForm('positions', [{ name: 'code', type: 'digits?length=6;all=true', prompt: msg(ctx.locale).enterCodeOrAll }], ctx.link('positions-list'))],
  },

  'positions-list': {
    parent: 'positions',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const code = ctx.params['code'] ?? 'all';
      ctx.note('positions', code);
      const all = await ctx.backOffice.getPositions(ctx.token(), ctx.session.shareholderAccount);
      const shown = code === 'all' ? all : all.filter((p) => p.code === code);
      const speech = shown.length === 0 ? m.noPositions : shown.flatMap((p) => m.position(p));
      return [speakThen('positions-list', speech, ctx.link('account'))];
    },
  },

  statement: {
    parent: 'account',
    auth: true,
    render(ctx) {
      const m = msg(ctx.locale);
      return [
        inputForm(
          'statement',
          [
            { name: 'from', type: 'date?all=true', prompt: m.enterFromDate },
            { name: 'to', type: 'date?all=true', prompt: m.enterToDate },
          ],
          ctx.link('statement-list'),
        ),
      ];
    },
  },

  'statement-list': {
    parent: 'statement',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const token = ctx.token();
      const from = ctx.params['from'] === 'all' || !ctx.params['from'] ? (await ctx.backOffice.getProfile(token)).openedOn : ctx.params['from'];
      const to = ctx.params['to'] === 'all' || !ctx.params['to'] ? beijingDate(ctx.clock.now()) : ctx.params['to'];
      ctx.note('statement', `${from}-${to}`);
      const entries = await ctx.backOffice.getStatement(token, { from, to });
      const latest = entries.slice(-MAX_STATEMENT);
      return [speakThen('statement-list', [...m.statementCount(entries.length, latest.length), ...latest.flatMap((e) => m.statementEntry(e))], ctx.link('account'))];
    },
  },

  holders: {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const list = (await ctx.backOffice.listShareholderAccounts(ctx.token())).slice(0, MAX_HOLDERS);
      ctx.session.state.holders = list.map((a) => a.id);
      const name = ctx.session.identity!.name;
      return [inputForm('holders', [{ name: 'n', type: 'digits?minlength=1;maxlength=2', prompt: m.enterHolderNumber }], ctx.link('holders-set'), list.flatMap((a, i) => m.holder(i + 1, name, a)))];
    },
  },

  'holders-set': {
    parent: 'holders',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      if (ctx.params['n'] === '0') return [backTo(ctx, 'account')];
      const n = Number(ctx.params['n']);
      const id = ctx.session.state.holders[n - 1];
      if (!id) return [speakThen('holders-set', ctx.common.invalidChoice, ctx.link('holders'))];
      const acct = (await ctx.backOffice.listShareholderAccounts(ctx.token())).find((a) => a.id === id);
      if (!acct) return [speakThen('holders-set', ctx.common.invalidChoice, ctx.link('holders'))];
      ctx.session.shareholderAccount = acct.id;
      return [speakThen('holders-set', m.holderChosen(n, acct), ctx.link('account'))];
    },
  },

  mobile: {
    parent: 'account',
    auth: true,
    render: (ctx) => [inputForm('mobile', [{ name: 'mobile', type: 'digits?length=11', prompt: msg(ctx.locale).enterMobile }], ctx.link('mobile-confirm'))],
  },

  'mobile-confirm': {
    parent: 'mobile',
    auth: true,
    render(ctx) {
      const m = msg(ctx.locale);
      const mobile = ctx.params['mobile'] ?? '';
      if (!/^1[3-9]\d{9}$/.test(mobile)) return [speakThen('mobile-confirm', m.invalidMobile, ctx.link('mobile'))];
      ctx.session.state.mobile = mobile;
      return [menu('mobile-confirm', m.mobileReadBack(mobile), [{ dtmf: '1', next: ctx.link('mobile-do') }, { dtmf: '2', next: ctx.link('mobile-drop') }])];
    },
  },

  'mobile-do': {
    parent: 'account',
    auth: true,
    render(ctx) {
      const mobile = ctx.session.state.mobile;
      if (!mobile) return [speakThen('mobile-do', ctx.common.invalidChoice, ctx.link('mobile'))];
      // CRM-2: only an authenticated caller gets here; the BackOffice port has no contact update yet, so an agent applies it.
      ctx.session.request = { kind: 'update-mobile', mobile };
      return ctx.toAgent('contact-change', msg(ctx.locale).mobileToAgent);
    },
  },

  'mobile-drop': {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.mobile = undefined;
      return [el('form', { id: 'mobile-drop' }, el('block', {}, prompt(ctx.common.cancelled), el('goto', { next: ctx.link('account') })))];
    },
  },
};

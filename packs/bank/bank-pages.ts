/** Bank pack pages after login (SEC-7): balances, transaction details, card loss, PIN change, own transfers, bill payment, statements. */
import type { BankAccount, BillPayee } from '../../src/backoffice/index.ts';
import { beijingDate, parseAmount } from '../core/locale.ts';
import type { PageContext, PageDef } from '../core/pack-module.ts';
import { backTo, inputForm, menu, speakThen } from '../core/vxml-kit.ts';
import { bankMessages as msg, PAYEES } from './bank-messages.ts';

export interface BankState {
  /** Own accounts as numbered when last read out. */
  accounts: string[];
  transfer?: { from: string; to: string; amount: number };
  bill?: { payee: BillPayee; billNumber?: string; amount?: number; from?: string };
}
type Page = PageDef<BankState>;
const MAX_TRANSACTIONS = 20;

const confirm = (yes: string, no: string) => [
  { dtmf: '1', next: yes },
  { dtmf: '2', next: no },
];

async function numberedAccounts(ctx: PageContext<BankState>): Promise<BankAccount[]> {
  const list = await ctx.backOffice.listBankAccounts(ctx.token());
  ctx.session.state.accounts = list.map((a) => a.accountId);
  return list;
}

const pick = (ctx: PageContext<BankState>, key: string): string | undefined => ctx.session.state.accounts[Number(ctx.params[key]) - 1];

export const bankPages: Record<string, Page> = {
  balance: {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const list = await numberedAccounts(ctx);
      return [speakThen('balance', list.flatMap((a, i) => msg(ctx.locale).account(i + 1, a)), ctx.link('account'))];
    },
  },

  transactions: {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const list = await numberedAccounts(ctx);
      const fields = [
        { name: 'n', type: 'digits?minlength=1;maxlength=2;all=true', prompt: m.enterAccountOrAll, zeroBack: ctx.link('account') },
        { name: 'from', type: 'date?all=true', prompt: m.enterFromDate },
        { name: 'to', type: 'date?all=true', prompt: m.enterToDate },
      ];
      return [inputForm('transactions', fields, ctx.link('transactions-list'), list.flatMap((a, i) => m.account(i + 1, a)))];
    },
  },

  'transactions-list': {
    parent: 'transactions',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const token = ctx.token();
      if (ctx.params['n'] === '0') return [backTo(ctx, 'account')];
      const all = ctx.params['n'] === 'all' || !ctx.params['n'];
      const accountId = all ? undefined : pick(ctx, 'n');
      if (!all && !accountId) return [speakThen('transactions-list', ctx.common.invalidChoice, ctx.link('transactions'))];
      const from = ctx.params['from'] === 'all' || !ctx.params['from'] ? (await ctx.backOffice.getProfile(token)).openedOn : ctx.params['from'];
      const to = ctx.params['to'] === 'all' || !ctx.params['to'] ? beijingDate(ctx.clock.now()) : ctx.params['to'];
      ctx.note('transactions', `${accountId ?? 'all'} ${from}-${to}`);
      const txs = await ctx.backOffice.getBankTransactions(token, { from, to }, accountId);
      const latest = txs.slice(-MAX_TRANSACTIONS);
      return [speakThen('transactions-list', [...m.transactionCount(txs.length, latest.length), ...latest.flatMap((t) => m.transaction(t))], ctx.link('account'))];
    },
  },

  loss: {
    parent: 'account',
    auth: true,
    render: (ctx) => [menu('loss', msg(ctx.locale).lossReadBack(ctx.session.identity!.account), confirm(ctx.link('loss-do'), ctx.link('cancelled')))],
  },

  'loss-do': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const r = await ctx.backOffice.reportCardLoss(ctx.token());
      ctx.note('cardLossReported', r.reportedAt);
      // The back office closed every session of the card: so does the pack.
      ctx.session.identity = undefined;
      return [speakThen('loss-do', msg(ctx.locale).lossDone(r.cardNumber), ctx.link('menu'))];
    },
  },

  pin: {
    parent: 'account',
    auth: true,
    render(ctx) {
      const m = msg(ctx.locale);
      const fields = [
        { name: 'old', type: 'digits?length=6', prompt: m.enterOldPin },
        { name: 'pin', type: 'digits?length=6', prompt: m.enterNewPin },
        { name: 'again', type: 'digits?length=6', prompt: m.repeatNewPin },
      ];
      return [inputForm('pin', fields, ctx.link('pin-do'))];
    },
  },

  'pin-do': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const { old = '', pin = '', again = '' } = ctx.params;
      if (pin !== again) return [speakThen('pin-do', m.pinMismatch, ctx.link('pin'))];
      await ctx.backOffice.changePin(ctx.token(), old, pin);
      return [speakThen('pin-do', m.pinChanged, ctx.link('account'))];
    },
  },

  'own-transfer': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const list = await numberedAccounts(ctx);
      const fields = [
        { name: 'from', type: 'digits?minlength=1;maxlength=2', prompt: m.enterFromAccount, zeroBack: ctx.link('account') },
        { name: 'to', type: 'digits?minlength=1;maxlength=2', prompt: m.enterToAccount },
        { name: 'amount', type: 'currency', prompt: m.enterAmount },
      ];
      return [inputForm('own-transfer', fields, ctx.link('own-transfer-confirm'), list.flatMap((a, i) => m.account(i + 1, a)))];
    },
  },

  'own-transfer-confirm': {
    parent: 'own-transfer',
    auth: true,
    render(ctx) {
      if (ctx.params['from'] === '0') return [backTo(ctx, 'account')];
      const from = pick(ctx, 'from');
      const to = pick(ctx, 'to');
      if (!from || !to) return [speakThen('own-transfer-confirm', ctx.common.invalidChoice, ctx.link('own-transfer'))];
      const amount = parseAmount(ctx.params['amount']);
      if (amount === undefined) return [speakThen('own-transfer-confirm', ctx.common.invalidAmount, ctx.link('own-transfer'))];
      ctx.session.state.transfer = { from, to, amount };
      ctx.note('ownTransferAmount', String(ctx.params['amount']));
      return [menu('own-transfer-confirm', msg(ctx.locale).ownTransferReadBack(from, to, amount), confirm(ctx.link('own-transfer-do'), ctx.link('cancelled')))];
    },
  },

  'own-transfer-do': {
    parent: 'own-transfer',
    auth: true,
    async render(ctx) {
      const t = ctx.session.state.transfer;
      if (!t) return [speakThen('own-transfer-do', ctx.common.invalidChoice, ctx.link('own-transfer'))];
      ctx.session.state.transfer = undefined;
      const tx = await ctx.backOffice.transferBetweenOwnAccounts(ctx.token(), { fromAccount: t.from, toAccount: t.to, amount: t.amount });
      return [speakThen('own-transfer-do', msg(ctx.locale).ownTransferDone(tx), ctx.link('account'))];
    },
  },

  bill: {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.bill = undefined;
      return [menu('bill', msg(ctx.locale).payeeMenu, PAYEES.map((p, i) => ({ dtmf: String(i + 1), next: ctx.link('bill-details', { payee: p }) })))];
    },
  },

  'bill-details': {
    parent: 'bill',
    auth: true,
    render(ctx) {
      const m = msg(ctx.locale);
      const payee = PAYEES.find((p) => p === ctx.params['payee']) ?? ctx.session.state.bill?.payee;
      if (!payee) return [speakThen('bill-details', ctx.common.invalidChoice, ctx.link('bill'))];
      ctx.session.state.bill = { payee };
      const fields = [
        { name: 'bill', type: 'digits?minlength=4;maxlength=20', prompt: m.enterBillNumber },
        { name: 'amount', type: 'currency', prompt: m.enterAmount },
      ];
      return [inputForm('bill-details', fields, ctx.link('bill-confirm'))];
    },
  },

  'bill-confirm': {
    parent: 'bill',
    auth: true,
    async render(ctx) {
      const b = ctx.session.state.bill;
      if (!b) return [speakThen('bill-confirm', ctx.common.invalidChoice, ctx.link('bill'))];
      const amount = parseAmount(ctx.params['amount']);
      if (amount === undefined) return [speakThen('bill-confirm', ctx.common.invalidAmount, ctx.link('bill-details'))];
      const accounts = await numberedAccounts(ctx);
      const from = (accounts.find((a) => a.type === 'current') ?? accounts[0])?.accountId;
      if (!from) return [speakThen('bill-confirm', ctx.common.invalidChoice, ctx.link('account'))];
      Object.assign(b, { billNumber: ctx.params['bill'] ?? '', amount, from });
      ctx.note('billPayee', b.payee);
      return [menu('bill-confirm', msg(ctx.locale).billReadBack(b.payee, b.billNumber!, amount, from), confirm(ctx.link('bill-do'), ctx.link('cancelled')))];
    },
  },

  'bill-do': {
    parent: 'bill',
    auth: true,
    async render(ctx) {
      const b = ctx.session.state.bill;
      if (!b?.from || !b.billNumber || !b.amount) return [speakThen('bill-do', ctx.common.invalidChoice, ctx.link('bill'))];
      ctx.session.state.bill = undefined;
      const tx = await ctx.backOffice.payBill(ctx.token(), { fromAccount: b.from, payee: b.payee, billNumber: b.billNumber, amount: b.amount });
      return [speakThen('bill-do', msg(ctx.locale).billPaid(tx), ctx.link('account'))];
    },
  },

  statements: {
    // SEC-7 statements by fax or email wait for the messaging issue: said so, nothing sent.
    parent: 'account',
    auth: true,
    render: (ctx) => [speakThen('statements', msg(ctx.locale).statementsUnavailable, ctx.link('account'))],
  },

  cancelled: {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.transfer = undefined;
      ctx.session.state.bill = undefined;
      return [speakThen('cancelled', ctx.common.cancelled, ctx.link('account'))];
    },
  },
};

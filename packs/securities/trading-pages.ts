/** Securities pack, trading pages: phone order entry with read-back, order status and cancel, bank-securities transfer (SEC-2, IVR-3). */
import type { OrderRequest } from '../../src/backoffice/index.ts';
import type { PageDef } from '../core/pack-module.ts';
import { parseAmount } from '../core/locale.ts';
import { backTo, inputForm, menu, speakThen } from '../core/vxml-kit.ts';
import { securitiesMessages as msg } from './securities-messages.ts';
import type { SecuritiesState } from './securities-state.ts';

type Page = PageDef<SecuritiesState>;

const confirm = (yes: string, no: string) => [
  { dtmf: '1', next: yes },
  { dtmf: '2', next: no },
];

export const tradingPages: Record<string, Page> = {
  order: {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.order = undefined;
      return [menu('order', msg(ctx.locale).sideMenu, [{ dtmf: '1', next: ctx.link('order-code', { side: 'buy' }) }, { dtmf: '2', next: ctx.link('order-code', { side: 'sell' }) }])];
    },
  },

  'order-code': {
    parent: 'order',
    auth: true,
    render(ctx) {
      const side = ctx.params['side'] === 'sell' ? 'sell' : ctx.params['side'] === 'buy' ? 'buy' : ctx.session.state.order?.side;
      if (!side) return [speakThen('order-code', ctx.common.invalidChoice, ctx.link('order'))];
      ctx.session.state.order = { side };
      ctx.note('orderSide', side);
      return [inputForm('order-code', [{ name: 'code', type: 'digits?length=6', prompt: msg(ctx.locale).enterCode }], ctx.link('order-price'))];
    },
  },

  'order-price': {
    parent: 'order-code',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const draft = ctx.session.state.order;
      if (!draft) return [speakThen('order-price', ctx.common.invalidChoice, ctx.link('order'))];
      const code = ctx.params['code'] ?? draft.code ?? '';
      ctx.note('orderCode', code);
      const q = await ctx.backOffice.getQuote(code);
      Object.assign(draft, { code: q.code, name: q.name, market: q.market });
      return [inputForm('order-price', [{ name: 'price', type: 'currency', prompt: m.enterPrice }], ctx.link('order-quantity'), m.quoteForOrder(q))];
    },
  },

  'order-quantity': {
    parent: 'order-price',
    auth: true,
    render(ctx) {
      const draft = ctx.session.state.order;
      if (!draft?.code) return [speakThen('order-quantity', ctx.common.invalidChoice, ctx.link('order'))];
      const keyed = ctx.params['price'];
      const price = keyed === undefined ? draft.price : parseAmount(keyed);
      if (price === undefined) return [speakThen('order-quantity', ctx.common.invalidAmount, ctx.link('order-price'))];
      draft.price = price;
      if (keyed !== undefined) ctx.note('orderPrice', keyed);
      return [inputForm('order-quantity', [{ name: 'quantity', type: 'digits?minlength=1;maxlength=9', prompt: msg(ctx.locale).enterQuantity }], ctx.link('order-confirm'))];
    },
  },

  'order-confirm': {
    parent: 'order',
    auth: true,
    render(ctx) {
      const m = msg(ctx.locale);
      const draft = ctx.session.state.order;
      if (!draft?.code || draft.price === undefined) return [speakThen('order-confirm', ctx.common.invalidChoice, ctx.link('order'))];
      if (ctx.params['quantity'] === '0') return [backTo(ctx, 'order')];
      const quantity = Number(ctx.params['quantity']);
      if (!Number.isInteger(quantity) || quantity <= 0) return [speakThen('order-confirm', m.invalidQuantity, ctx.link('order-quantity'))];
      draft.quantity = quantity;
      ctx.note('orderQuantity', String(quantity));
      const readBack = m.readBack(draft.side, draft.code, draft.name ?? '', draft.price, quantity, ctx.session.shareholderAccount);
      return [menu('order-confirm', readBack, confirm(ctx.link('order-place'), ctx.link('order-drop')))];
    },
  },

  'order-place': {
    parent: 'order',
    auth: true,
    async render(ctx) {
      const d = ctx.session.state.order;
      if (!d?.code || d.price === undefined || d.quantity === undefined) return [speakThen('order-place', ctx.common.invalidChoice, ctx.link('order'))];
      const req: OrderRequest = { side: d.side, code: d.code, limitPrice: d.price, quantity: d.quantity, ...(ctx.session.shareholderAccount ? { shareholderAccount: ctx.session.shareholderAccount } : {}) };
      const o = await ctx.backOffice.placeOrder(ctx.token(), req);
      ctx.session.state.order = undefined;
      ctx.note('orderId', o.orderId);
      return [speakThen('order-place', msg(ctx.locale).orderPlaced(o), ctx.link('account'))];
    },
  },

  'order-drop': {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.order = undefined;
      return [speakThen('order-drop', msg(ctx.locale).orderDropped, ctx.link('account'))];
    },
  },

  orders: {
    parent: 'account',
    auth: true,
    render: (ctx) => [inputForm('orders', [{ name: 'code', type: 'digits?length=6;all=true', prompt: msg(ctx.locale).ordersEnterCodeOrAll }], ctx.link('orders-list'))],
  },

  'orders-list': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const m = msg(ctx.locale);
      const code = ctx.params['code'] ?? 'all';
      const all = await ctx.backOffice.listOrders(ctx.token());
      const shown = code === 'all' ? all : all.filter((o) => o.code === code);
      ctx.session.state.orderIds = shown.map((o) => o.orderId);
      if (shown.length === 0) return [speakThen('orders-list', m.noOrders, ctx.link('account'))];
      const list = shown.flatMap((o, i) => m.order(i + 1, o));
      return [inputForm('orders-list', [{ name: 'n', type: 'digits?minlength=1;maxlength=3', prompt: m.enterOrderToCancel }], ctx.link('order-cancel-confirm'), list)];
    },
  },

  'order-cancel-confirm': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      if (ctx.params['n'] === '0') return [backTo(ctx, 'account')];
      const id = ctx.session.state.orderIds[Number(ctx.params['n']) - 1];
      if (!id) return [speakThen('order-cancel-confirm', ctx.common.invalidChoice, ctx.link('orders'))];
      const o = await ctx.backOffice.getOrder(ctx.token(), id);
      ctx.session.state.cancelId = id;
      return [menu('order-cancel-confirm', msg(ctx.locale).cancelReadBack(o), confirm(ctx.link('order-cancel'), ctx.link('order-keep')))];
    },
  },

  'order-cancel': {
    parent: 'account',
    auth: true,
    async render(ctx) {
      const id = ctx.session.state.cancelId;
      if (!id) return [speakThen('order-cancel', ctx.common.invalidChoice, ctx.link('orders'))];
      ctx.session.state.cancelId = undefined;
      const o = await ctx.backOffice.cancelOrder(ctx.token(), id);
      ctx.note('cancelledOrder', id);
      return [speakThen('order-cancel', msg(ctx.locale).orderCancelled(o), ctx.link('account'))];
    },
  },

  'order-keep': {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.cancelId = undefined;
      return [speakThen('order-keep', msg(ctx.locale).orderKept, ctx.link('account'))];
    },
  },

  transfer: {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.transfer = undefined;
      return [menu('transfer', msg(ctx.locale).transferMenu, [{ dtmf: '1', next: ctx.link('transfer-amount', { dir: 'in' }) }, { dtmf: '2', next: ctx.link('transfer-amount', { dir: 'out' }) }])];
    },
  },

  'transfer-amount': {
    parent: 'transfer',
    auth: true,
    render(ctx) {
      const dir = ctx.params['dir'];
      const direction = dir === 'in' ? 'bank-to-securities' : dir === 'out' ? 'securities-to-bank' : ctx.session.state.transfer?.direction;
      if (!direction) return [speakThen('transfer-amount', ctx.common.invalidChoice, ctx.link('transfer'))];
      ctx.session.state.transfer = { direction };
      return [inputForm('transfer-amount', [{ name: 'amount', type: 'currency', prompt: msg(ctx.locale).enterAmount }], ctx.link('transfer-check'))];
    },
  },

  'transfer-check': {
    parent: 'transfer',
    auth: true,
    render(ctx) {
      const m = msg(ctx.locale);
      const t = ctx.session.state.transfer;
      if (!t) return [speakThen('transfer-check', ctx.common.invalidChoice, ctx.link('transfer'))];
      const amount = parseAmount(ctx.params['amount']);
      if (amount === undefined) return [speakThen('transfer-check', ctx.common.invalidAmount, ctx.link('transfer-amount'))];
      t.amount = amount;
      ctx.note('transferAmount', String(ctx.params['amount']));
      if (t.direction === 'bank-to-securities') return [inputForm('transfer-check', [{ name: 'bankpwd', type: 'digits?length=6', prompt: m.enterBankPassword }], ctx.link('transfer-confirm'))];
      return [menu('transfer-confirm', m.transferReadBack(t.direction, amount), confirm(ctx.link('transfer-do'), ctx.link('transfer-drop')))];
    },
  },

  'transfer-confirm': {
    parent: 'transfer',
    auth: true,
    render(ctx) {
      const t = ctx.session.state.transfer;
      if (!t?.amount) return [speakThen('transfer-confirm', ctx.common.invalidChoice, ctx.link('transfer'))];
      // The bank password stays on the server, for the one transfer it was keyed for.
      t.bankPassword = ctx.params['bankpwd'];
      return [menu('transfer-confirm', msg(ctx.locale).transferReadBack(t.direction, t.amount), confirm(ctx.link('transfer-do'), ctx.link('transfer-drop')))];
    },
  },

  'transfer-do': {
    parent: 'transfer',
    auth: true,
    async render(ctx) {
      const t = ctx.session.state.transfer;
      if (!t?.amount) return [speakThen('transfer-do', ctx.common.invalidChoice, ctx.link('transfer'))];
      ctx.session.state.transfer = undefined;
      const r = await ctx.backOffice.transferBankSecurities(ctx.token(), { direction: t.direction, amount: t.amount, ...(t.bankPassword ? { bankPassword: t.bankPassword } : {}) });
      return [speakThen('transfer-do', msg(ctx.locale).transferDone(t.direction, r), ctx.link('account'))];
    },
  },

  'transfer-drop': {
    parent: 'account',
    auth: true,
    render(ctx) {
      ctx.session.state.transfer = undefined;
      return [speakThen('transfer-drop', ctx.common.cancelled, ctx.link('account'))];
    },
  },
};

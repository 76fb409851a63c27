// Securities pack dialogs: the real interpreter on a scripted caller, the real pack server, the real simulator (issue 8).
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/backoffice/index.ts';
import type { Locale } from '../core/locale.ts';
import { dial, keys, world } from '../test-support/dial.ts';

const [RICH, TEN, POOR] = DEMO_ACCOUNTS.securities;
const login = (acct = RICH!) => keys('1', `${acct.fundAccount}#`, acct.password);

interface Case {
  readonly name: string;
  readonly keys: readonly string[];
  readonly heard: Record<Locale, readonly string[]>;
  readonly account?: typeof RICH;
}

// Each path ends with `*`: the caller reaches an agent and the call-attached data says who it is (IVR-4).
const PATHS: Case[] = [
  { name: 'balance (SEC-2)', keys: ['1'], heard: { 'zh-CN': ['可用资金500000.00元', '总资产'], 'en-US': ['Available funds 500,000.00 yuan', 'Total assets'] } },
  { name: 'positions, # for all (SEC-2, IVR-3)', keys: ['2', '#'], heard: { 'zh-CN': ['海明智能，持有2000股', '中阳食品', '北诚软件'], 'en-US': ['海明智能: 2,000 shares', '中阳食品', '北诚软件'] } },
  { name: 'positions of one code', keys: ['2', '601001'], heard: { 'zh-CN': ['中阳食品，持有500股'], 'en-US': ['中阳食品: 500 shares'] } },
  { name: 'positions of a code not held', keys: ['2', '600004'], heard: { 'zh-CN': ['没有符合条件的持仓。'], 'en-US': ['There are no matching positions.'] } },
  { name: 'statement by YYYYMMDD range (SEC-2, IVR-3)', keys: ['3', '20261101', '20261123'], heard: { 'zh-CN': ['该期间共有', '2026年11月7日，银行转入'], 'en-US': ['movements in this period', 'November 7, 2026: transfer in from the bank'] } },
  { name: 'statement, # for all and # for today', keys: ['3', '#', '#'], heard: { 'zh-CN': ['笔资金变动'], 'en-US': ['movements in this period'] } },
  { name: 'quote inside the account menu', keys: ['9', '600000'], heard: { 'zh-CN': ['海明智能，最新价5.59元'], 'en-US': ['海明智能: last 5.59 yuan'] } },
  {
    name: 'switch among the first ten shareholder accounts (SEC-2)',
    account: TEN,
    keys: ['7', '10#'],
    heard: { 'zh-CN': ['账户1，李秀英，沪市股东账户 A100000021', '账户10，李秀英，深市股东账户 0100000025', '已切换到账户10'], 'en-US': ['Account 1: 李秀英, Shanghai shareholder account A100000021', 'Account 10: 李秀英, Shenzhen', 'Now using account 10'] },
  },
];

describe.each(['zh-CN', 'en-US'] as const)('SEC-2 securities pack, authenticated paths (%s)', (locale) => {
  const w = world();
  it.each(PATHS)('$name', async (c) => {
    const acct = c.account ?? RICH!;
    const r = await dial(w, 'securities', locale, [...login(acct), ...keys(...c.keys, '*')]);
    for (const h of c.heard[locale]) expect(r.heard).toContain(h);
    expect(r.transfers).toHaveLength(1);
    expect(r.transfers[0]).toMatchObject({ dest: 'queue:securities', type: 'blind' });
    expect(r.attached).toMatchObject({ pack: 'securities', locale, authenticated: true, reason: 'caller', customer: { account: acct.fundAccount, name: acct.name, kind: 'securities' } });
    expect(r.outcome).toEqual({ kind: 'exit', value: r.attached });
    if (c.account === TEN) expect(r.attached?.shareholderAccount).toBe('0100000025');
  });
});

describe.each(['zh-CN', 'en-US'] as const)('SEC-2 phone order entry with read-back (%s)', (locale) => {
  it('an order read back and cancelled before sending: nothing reaches the back office', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys('4', '1', '600000', '5*5#', '1000#', '2')]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '您委托买入 600000 ，海明智能，价格5.50元，数量1000股' : 'buy 600000 , 海明智能, at 5.50 yuan, 1,000 shares');
    expect(r.heard).toContain(locale === 'zh-CN' ? '委托已取消，没有提交' : 'cancelled and not sent');
    const s = await w.backOffice.loginWithFundAccount('securities', RICH!.fundAccount, RICH!.password);
    expect(await w.backOffice.listOrders(s.token)).toEqual([]);
  });

  it('an order placed (price keyed with * as the decimal point), then found in order status and cancelled', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys('4', '1', '600000', '5*5#', '1000#', '1', '5', '#', '1#', '1', '*')]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '委托已提交' : 'Your order is placed');
    expect(r.heard).toContain(locale === 'zh-CN' ? '第1笔，买入 600000 ，海明智能，价格5.50元' : 'Order 1: buy 600000 , 海明智能, at 5.50 yuan');
    expect(r.heard).toContain(locale === 'zh-CN' ? '撤单成功，状态：已撤单' : 'The order is cancelled. Status: cancelled');
    const s = await w.backOffice.loginWithFundAccount('securities', RICH!.fundAccount, RICH!.password);
    const orders = await w.backOffice.listOrders(s.token);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ side: 'buy', code: '600000', limitPrice: 550, quantity: 1000, status: 'cancelled' });
    expect(r.attached?.inputs).toMatchObject({ orderCode: '600000', orderPrice: '5.5', orderQuantity: '1000', cancelledOrder: orders[0]!.orderId });
  });

  it('a sell order kept at the cancel read-back (2)', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys('4', '2', '601001', '27#', '100#', '1', '5', '601001', '1#', '2')]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '您委托卖出 601001' : 'to sell 601001');
    expect(r.heard).toContain(locale === 'zh-CN' ? '委托保留' : 'The order is kept');
    const s = await w.backOffice.loginWithFundAccount('securities', RICH!.fundAccount, RICH!.password);
    expect((await w.backOffice.listOrders(s.token))[0]).toMatchObject({ side: 'sell', code: '601001', status: 'pending' });
  });
});

describe.each(['zh-CN', 'en-US'] as const)('SEC-2 bank-securities transfer, amounts with * as the decimal point (%s)', (locale) => {
  it.each([
    { dir: 'bank to securities', keys: ['6', '1', '1000*5#', RICH!.bankPassword, '1'], amount: 100_050, zh: '从银行转入证券1000.50元', en: '1,000.50 yuan from your bank account to securities' },
    { dir: 'securities to bank', keys: ['6', '2', '200*25#', '1'], amount: 20_025, zh: '从证券转出到银行200.25元', en: '200.25 yuan from securities to your bank account' },
  ])('$dir: read back, confirmed, done', async (c) => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys(...c.keys)]);
    expect(r.heard).toContain(locale === 'zh-CN' ? c.zh : c.en);
    expect(r.heard).toContain(locale === 'zh-CN' ? '转账成功' : 'Transfer done');
    const s = await w.backOffice.loginWithFundAccount('securities', RICH!.fundAccount, RICH!.password);
    const b = await w.backOffice.getBalance(s.token);
    expect(b.cash).toBe(RICH!.cash + (c.dir === 'bank to securities' ? c.amount : -c.amount));
  });

  it('a transfer read back and cancelled moves nothing', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys('6', '2', '100#', '2')]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '已取消' : 'Cancelled');
    const s = await w.backOffice.loginWithFundAccount('securities', RICH!.fundAccount, RICH!.password);
    expect((await w.backOffice.getBalance(s.token)).cash).toBe(RICH!.cash);
  });
});

describe.each(['zh-CN', 'en-US'] as const)('IVR-4 login: three wrong passwords lock the account and reach an agent (%s)', (locale) => {
  it('wrong, wrong, locked -> transfer with the locked account attached', async () => {
    const w = world();
    const bad = `${POOR!.fundAccount}#`;
    const r = await dial(w, 'securities', locale, keys('1', bad, '000000', bad, '000000', bad, '000000'));
    expect(r.heard).toContain(locale === 'zh-CN' ? '密码错误。您还可以再试2次。' : 'The password is wrong. You have 2 more tries.');
    expect(r.heard).toContain(locale === 'zh-CN' ? '密码错误。您还可以再试1次。' : 'You have 1 more try.');
    expect(r.heard).toContain(locale === 'zh-CN' ? '您的账户因密码连续输错已被锁定' : 'Your account is locked');
    expect(r.transfers).toHaveLength(1);
    expect(r.attached).toMatchObject({ reason: 'account-locked', authenticated: false, lockedAccount: POOR!.fundAccount });
    expect(r.attached?.customer).toBeUndefined();
    await expect(w.backOffice.loginWithFundAccount('securities', POOR!.fundAccount, POOR!.password)).rejects.toMatchObject({ code: 'account-locked' });
  });

  it('three failed logins on unknown accounts also go to an agent (the pack counts tries per call)', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, keys('1', '99999991#', '111111', '99999992#', '111111', '99999993#', '111111'));
    expect(r.attached).toMatchObject({ reason: 'too-many-logins', authenticated: false });
  });

  it('a wrong password then the right one logs in', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, keys('1', '10000001#', '000000', '10000001#', RICH!.password, '*'));
    expect(r.attached).toMatchObject({ authenticated: true, customer: { account: '10000001' } });
  });
});

describe.each(['zh-CN', 'en-US'] as const)('CRM-2 mobile number change only for an authenticated customer (%s)', (locale) => {
  it('read back, confirmed, handed to an agent with the verified request', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys('8', '13912345678', '1')]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '您的新手机号码是 13912345678' : 'Your new mobile number is 13912345678');
    expect(r.attached).toMatchObject({ reason: 'contact-change', authenticated: true, request: { kind: 'update-mobile', mobile: '13912345678' } });
  });

  it('an invalid number is refused and asked again; cancel keeps everything', async () => {
    const w = world();
    const r = await dial(w, 'securities', locale, [...login(), ...keys('8', '12345678901', '13912345678', '2', '*')]);
    expect(r.heard).toContain(locale === 'zh-CN' ? '手机号码无效' : 'That mobile number is not valid');
    expect(r.attached?.request).toBeUndefined();
    expect(r.attached?.reason).toBe('caller');
  });
});

describe('SEC-2, IVR-3 order status list', () => {
  it.each([
    { name: '0 at the order number goes back to the account menu', after: ['0'], heard: '查询资金请按1' },
    { name: 'a number not in the list is refused and the query asked again', after: ['7#'], heard: '没有这个编号' },
    { name: 'a code with no orders today', code: '000001', after: [], heard: '今日没有符合条件的委托。' },
  ])('$name', async (c) => {
    const w = world();
    const s = await w.backOffice.loginWithFundAccount('securities', RICH!.fundAccount, RICH!.password);
    await w.backOffice.placeOrder(s.token, { side: 'buy', code: '600000', limitPrice: 500, quantity: 100 });
    const r = await dial(w, 'securities', 'zh-CN', [...login(), ...keys('5', c.code ?? '#', ...c.after), { hangup: true }]);
    expect(r.heard).toContain(c.heard);
    expect(r.transfers).toHaveLength(0);
  });
});

describe('IVR-6 generated documents count as one node per menu across calls', () => {
  it('two callers at the account menu are one node with two attempts', async () => {
    const w = world();
    await dial(w, 'securities', 'zh-CN', [...login(), ...keys('1'), { hangup: true }]);
    await dial(w, 'securities', 'zh-CN', [...login(), ...keys('2', '#'), { hangup: true }]);
    const account = w.ivr.usage.snapshot().nodes.find((n) => n.node.endsWith('/securities/zh-CN/account#account'));
    expect(account).toMatchObject({ kind: 'menu' });
    expect(account!.attempts).toBe(2);
  });
});

// Bad input in the securities pack: the typed back-office error is spoken and the caller has a way back, never dead air (issue 8, SEC-1, SEC-2, IVR-3).
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/backoffice/index.ts';
import type { Locale } from '../core/locale.ts';
import { CLOSED, dial, keys, TRADING, world } from '../test-support/dial.ts';

const [RICH, , POOR] = DEMO_ACCOUNTS.securities;
const login = (a = RICH!) => keys('1', `${a.fundAccount}#`, a.password);

interface Case {
  readonly name: string;
  readonly at?: number;
  readonly script: ReturnType<typeof keys>;
  /** What is said (the typed error), then the prompt of the place the caller is back at. */
  readonly said: Record<Locale, readonly [string, string]>;
}

const CASES: Case[] = [
  {
    name: 'unknown stock code in a quote -> asked again',
    script: keys('2', '999999'),
    said: { 'zh-CN': ['证券代码不存在', '请输入六位证券代码查询行情'], 'en-US': ['There is no security with this code', 'Enter a six digit security code for its quote'] },
  },
  {
    name: 'unknown stock code in an order -> code asked again',
    script: [...login(), ...keys('4', '1', '999999')],
    said: { 'zh-CN': ['证券代码不存在', '请输入六位证券代码。'], 'en-US': ['There is no security with this code', 'Enter the six digit security code.'] },
  },
  {
    name: 'price outside the daily limit -> the limits spoken, back to the order menu',
    script: [...login(), ...keys('4', '1', '600000', '9*99#', '100#', '1')],
    said: { 'zh-CN': ['委托价格超出当日涨跌停范围。今日跌停价4.96元，涨停价6.06元。', '买入请按1，卖出请按2。'], 'en-US': ["The price is outside the daily limits. Today's range is 4.96 yuan to 6.06 yuan.", 'To buy press 1. To sell press 2.'] },
  },
  {
    name: 'market closed -> back to the order menu',
    at: CLOSED,
    script: [...login(), ...keys('4', '1', '600000', '5*5#', '100#', '1')],
    said: { 'zh-CN': ['现在不是交易时间', '买入请按1'], 'en-US': ['The market is closed', 'To buy press 1'] },
  },
  {
    name: 'insufficient funds -> the available cash spoken',
    script: [...login(POOR), ...keys('4', '1', '600000', '5*5#', '1000#', '1')],
    said: { 'zh-CN': ['可用资金不足。可用资金1000.00元。', '买入请按1'], 'en-US': ['There are not enough available funds. Available: 1,000.00 yuan.', 'To buy press 1'] },
  },
  {
    name: 'quantity not a multiple of 100',
    script: [...login(), ...keys('4', '1', '600000', '5*5#', '150#', '1')],
    said: { 'zh-CN': ['委托数量必须是一百股的整数倍', '买入请按1'], 'en-US': ['The quantity must be a multiple of 100 shares', 'To buy press 1'] },
  },
  {
    name: 'selling more than held',
    script: [...login(), ...keys('4', '2', '601001', '24*5#', '10000#', '1')],
    said: { 'zh-CN': ['可卖数量不足。可卖500股。', '买入请按1'], 'en-US': ['There are not enough shares available to sell. Available: 500 shares.', 'To buy press 1'] },
  },
  {
    name: 'bank-securities transfer beyond the bank balance',
    script: [...login(POOR), ...keys('6', '1', '5000#', '123123', '1')],
    said: { 'zh-CN': ['可用资金不足', '银行转证券请按1'], 'en-US': ['There are not enough available funds', 'From bank to securities press 1'] },
  },
  {
    name: 'wrong bank password on a transfer',
    script: [...login(), ...keys('6', '1', '100#', '111111', '1')],
    said: { 'zh-CN': ['密码错误', '银行转证券请按1'], 'en-US': ['The password is wrong', 'From bank to securities press 1'] },
  },
  {
    name: 'statement with the start after the end',
    script: [...login(), ...keys('3', '20261123', '20261101')],
    said: { 'zh-CN': ['输入有误', '请输入起始日期'], 'en-US': ['The input is not valid', 'Enter the start date'] },
  },
  {
    name: 'an impossible date is refused by the date grammar and asked again',
    script: [...login(), ...keys('3', '20261341', '20261101', '#')],
    said: { 'zh-CN': ['对不起，您的输入无效。', '请输入起始日期'], 'en-US': ['Sorry, that input is not valid.', 'Enter the start date'] },
  },
  {
    name: 'a shareholder account number not in the list',
    script: [...login(), ...keys('7', '5#')],
    said: { 'zh-CN': ['没有这个编号', '账户1，王建国'], 'en-US': ['There is no such number', 'Account 1: 王建国'] },
  },
];

describe.each(['zh-CN', 'en-US'] as const)('SEC-2 typed errors spoken with a way back (%s)', (locale) => {
  it.each(CASES)('$name', async (c) => {
    const w = world(c.at ?? TRADING);
    const r = await dial(w, 'securities', locale, [...c.script, { hangup: true }]);
    const [error, then] = c.said[locale];
    const i = r.prompts.findIndex((p) => p.includes(error));
    expect(i, r.heard).toBeGreaterThanOrEqual(0);
    // The error and the next prompt are in the same play or the next one: no silence in between.
    expect(r.prompts.slice(i, i + 2).join(' ')).toContain(then);
    expect(r.outcome).toEqual({ kind: 'hangup' });
  });
});

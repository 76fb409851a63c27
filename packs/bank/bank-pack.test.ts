// Bank pack dialogs (issue 8, SEC-7, IVR-3, IVR-4): balances, details, card loss, PIN change, own transfers, bills; no fake statements.
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/backoffice/index.ts';
import { speechText } from '../core/speech.ts';
import { dial, keys, world } from '../test-support/dial.ts';
import { bankMessages } from './bank-messages.ts';

const CARD = DEMO_ACCOUNTS.bank[0]!;
const login = (pin = CARD.pin) => keys('1', `${CARD.cardNumber}#`, pin);

describe.each(['zh-CN', 'en-US'] as const)('SEC-7 bank pack (%s)', (locale) => {
  const zh = locale === 'zh-CN';
  const m = bankMessages(locale);

  it.each([
    { name: 'balances of the accounts under the card', keys: ['1'], zh: ['账户1，活期账户，尾号 1001 ，余额88000.00元', '账户2，储蓄账户，尾号 1002 ，余额500000.00元'], en: ['Account 1: current account ending in 1001 , balance 88,000.00 yuan', 'Account 2: savings account ending in 1002'] },
    { name: 'transaction details: # all accounts, # from the start, # up to today', keys: ['2', '#', '#', '#'], zh: ['笔交易'], en: ['transactions in this period'] },
    { name: 'transaction details: account 1, dates as YYYYMMDD', keys: ['2', '1#', '20261101', '20261123'], zh: ['该期间'], en: ['in this period'] },
    { name: 'statements by fax or email: said to be unavailable, nothing sent', keys: ['7'], zh: ['传真和电子邮件对账单服务暂未开通'], en: ['Statements by fax or email are not available yet'] },
  ])('$name', async (c) => {
    const r = await dial(world(), 'bank', locale, [...login(), ...keys(...c.keys, '*')]);
    for (const h of zh ? c.zh : c.en) expect(r.heard).toContain(h);
    expect(r.attached).toMatchObject({ pack: 'bank', authenticated: true, customer: { account: CARD.cardNumber, kind: 'bank', name: CARD.name } });
  });

  it('transfer between own accounts, amount keyed with * as the decimal point, read back and done', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login(), ...keys('5', '1#', '2#', '1234*56#', '1'), { hangup: true }]);
    expect(r.heard).toContain(zh ? '的账户转账 1234.56元 到尾号' : 'You are moving 1,234.56 yuan from the account ending in');
    expect(r.heard).toContain(zh ? '转账成功，转出账户余额86765.44元' : "The paying account's balance is 86,765.44 yuan");
    const s = await w.backOffice.loginWithCard(CARD.cardNumber, CARD.pin);
    const accounts = await w.backOffice.listBankAccounts(s.token);
    expect(accounts.find((a) => a.accountId === CARD.savingsAccount)?.balance).toBe(CARD.savingsBalance + 123_456);
  });

  it('an own transfer larger than the balance: insufficient funds spoken, back to the transfer form', async () => {
    const r = await dial(world(), 'bank', locale, [...login(), ...keys('5', '1#', '2#', '999999#', '1'), { hangup: true }]);
    expect(r.heard).toContain(zh ? '可用资金不足' : 'There are not enough available funds');
    expect(r.prompts.at(-1)).toContain(speechText(m.enterFromAccount));
  });

  it('bill payment: payee, bill number, amount, read back, paid from the current account', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login(), ...keys('6', '1', '88001234#', '256*8#', '1'), { hangup: true }]);
    expect(r.heard).toContain(zh ? '您将缴纳电费，缴费号码 88001234 ，金额256.80元' : 'You are paying the electricity bill number 88001234 , 256.80 yuan');
    expect(r.heard).toContain(zh ? '缴费成功，账户余额87743.20元' : 'The bill is paid. The account balance is 87,743.20 yuan');
  });

  it('a bill read back and cancelled is not paid', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login(), ...keys('6', '2', '1234#', '10#', '2'), { hangup: true }]);
    expect(r.heard).toContain(speechText(m.billReadBack('water', '1234', 1000, CARD.currentAccount)).slice(0, 6));
    const s = await w.backOffice.loginWithCard(CARD.cardNumber, CARD.pin);
    expect((await w.backOffice.listBankAccounts(s.token)).find((a) => a.accountId === CARD.currentAccount)?.balance).toBe(CARD.currentBalance);
  });

  it('PIN change: old, new, again; the new PIN works afterwards', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login(), ...keys('4', CARD.pin, '654321', '654321'), { hangup: true }]);
    expect(r.heard).toContain(speechText(m.pinChanged));
    await expect(w.backOffice.loginWithCard(CARD.cardNumber, '654321')).resolves.toMatchObject({ kind: 'bank' });
  });

  it('PIN change with two different new PINs is refused; a wrong old PIN is a typed error', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login(), ...keys('4', CARD.pin, '654321', '111111', '999999', '654321', '654321'), { hangup: true }]);
    expect(r.heard).toContain(speechText(m.pinMismatch));
    expect(r.heard).toContain(zh ? '密码错误' : 'The password is wrong');
    await expect(w.backOffice.loginWithCard(CARD.cardNumber, CARD.pin)).resolves.toMatchObject({ kind: 'bank' });
  });

  it('card loss report: read back, confirmed; the card no longer logs in and the next attempt goes to an agent', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login(), ...keys('3', '1'), ...login(), { hangup: true }]);
    expect(r.heard).toContain(zh ? '的银行卡已挂失' : 'is reported lost');
    expect(r.attached).toMatchObject({ reason: 'card-lost', authenticated: false });
    await expect(w.backOffice.loginWithCard(CARD.cardNumber, CARD.pin)).rejects.toMatchObject({ code: 'card-lost' });
  });

  it('three wrong PINs lock the card and reach an agent (IVR-4)', async () => {
    const w = world();
    const r = await dial(w, 'bank', locale, [...login('000000'), ...keys(`${CARD.cardNumber}#`, '000000', `${CARD.cardNumber}#`, '000000')]);
    expect(r.attached).toMatchObject({ pack: 'bank', reason: 'account-locked', lockedAccount: CARD.cardNumber });
    expect(r.transfers[0]).toMatchObject({ dest: 'queue:bank' });
  });
});

/**
 * Prompts every pack shares, in zh-CN and en-US: keypad help, retries, the
 * hand-off to an agent, and the spoken form of every BackOfficeError code
 * (the packs pick the prompt by code, never by message text).
 */
import type { BackOfficeError, BackOfficeErrorCode } from '../../src/backoffice/index.ts';
import { money, type Locale } from './locale.ts';
import type { Speech } from './speech.ts';

export interface CommonMessages {
  readonly noinput: Speech;
  readonly nomatch: Speech;
  readonly tooManyErrors: Speech;
  readonly toAgent: Speech;
  readonly agentBusy: Speech;
  readonly sessionExpired: Speech;
  readonly loginFirst: Speech;
  readonly lockedToAgent: Speech;
  readonly tooManyLogins: Speech;
  readonly invalidAmount: Speech;
  readonly invalidChoice: Speech;
  readonly confirmOrCancel: Speech;
  readonly cancelled: Speech;
  readonly goodbye: Speech;
  /** The other language's service, offered on every top menu with key 9 and spoken in that language. */
  readonly otherLanguage: Speech;
  readonly pressAgentOrBack: Speech;
  error(e: BackOfficeError): Speech;
}

const ZH_ERRORS: Record<BackOfficeErrorCode, string> = {
  'wrong-password': '密码错误。',
  'account-locked': '您的账户因密码连续输错已被锁定。',
  'card-lost': '该卡已挂失，不能办理自助业务。',
  'unknown-account': '账号不存在，请核对后重新输入。',
  'unknown-shareholder-account': '当前股东账户不能交易该市场的证券，请切换股东账户。',
  'not-authenticated': '您的登录已失效，请重新登录。',
  'not-permitted': '该账户不能办理此项业务。',
  'market-closed': '现在不是交易时间，委托时间为交易日上午九点半至十一点半、下午一点至三点。',
  'insufficient-funds': '可用资金不足。',
  'insufficient-position': '可卖数量不足。',
  'unknown-code': '证券代码不存在，请核对后重新输入。',
  'unknown-fund': '基金代码不存在，请核对后重新输入。',
  'price-outside-limit': '委托价格超出当日涨跌停范围。',
  'bad-lot': '委托数量必须是一百股的整数倍。',
  'unknown-order': '没有找到这笔委托。',
  'order-not-cancellable': '这笔委托已成交、已撤销或已废单，不能撤单。',
  'invalid-argument': '输入有误，请重新输入。',
  unavailable: '后台系统暂时无法访问，请稍后再试。',
};

const EN_ERRORS: Record<BackOfficeErrorCode, string> = {
  'wrong-password': 'The password is wrong.',
  'account-locked': 'Your account is locked after too many wrong passwords.',
  'card-lost': 'This card has been reported lost and cannot be used here.',
  'unknown-account': 'There is no such account. Please check the number and try again.',
  'unknown-shareholder-account': 'The current shareholder account cannot trade this market. Please switch shareholder accounts.',
  'not-authenticated': 'Your login has expired. Please log in again.',
  'not-permitted': 'This account cannot use this service.',
  'market-closed': 'The market is closed. Orders are taken on trading days from 9:30 to 11:30 and from 13:00 to 15:00.',
  'insufficient-funds': 'There are not enough available funds.',
  'insufficient-position': 'There are not enough shares available to sell.',
  'unknown-code': 'There is no security with this code. Please check it and try again.',
  'unknown-fund': 'There is no fund with this code. Please check it and try again.',
  'price-outside-limit': 'The price is outside the daily limits.',
  'bad-lot': 'The quantity must be a multiple of 100 shares.',
  'unknown-order': 'That order was not found.',
  'order-not-cancellable': 'That order is already filled, cancelled or rejected and cannot be cancelled.',
  'invalid-argument': 'The input is not valid. Please try again.',
  unavailable: 'The back office cannot be reached right now. Please try again later.',
};

function details(e: BackOfficeError, locale: Locale): string {
  const d = e.details;
  const zh = locale === 'zh-CN';
  if (e.code === 'wrong-password' && d.attemptsLeft !== undefined) return zh ? `您还可以再试${d.attemptsLeft}次。` : ` You have ${d.attemptsLeft} more ${d.attemptsLeft === 1 ? 'try' : 'tries'}.`;
  if (e.code === 'price-outside-limit' && d.limitDown !== undefined && d.limitUp !== undefined)
    return zh ? `今日跌停价${money(d.limitDown, locale)}，涨停价${money(d.limitUp, locale)}。` : ` Today's range is ${money(d.limitDown, locale)} to ${money(d.limitUp, locale)}.`;
  if (e.code === 'insufficient-funds' && d.available !== undefined) return zh ? `可用资金${money(d.available, locale)}。` : ` Available: ${money(d.available, locale)}.`;
  if (e.code === 'insufficient-position' && d.available !== undefined) return zh ? `可卖${d.available}股。` : ` Available: ${d.available} shares.`;
  return '';
}

const ZH: Omit<CommonMessages, 'error'> = {
  noinput: ['对不起，没有收到您的按键。'],
  nomatch: ['对不起，您的输入无效。'],
  tooManyErrors: ['您多次输入无效，现在为您转接人工服务。'],
  toAgent: ['正在为您转接人工服务，请稍候。'],
  agentBusy: ['对不起，座席正忙，请稍后再拨。'],
  sessionExpired: ['操作超时，请重新开始。'],
  loginFirst: ['请先登录。'],
  lockedToAgent: ['现在为您转接人工服务。'],
  tooManyLogins: ['您多次登录失败，现在为您转接人工服务。'],
  invalidAmount: ['金额无效，请用星号键表示小数点，重新输入。'],
  invalidChoice: ['没有这个编号，请重新选择。'],
  confirmOrCancel: ['确认请按1，取消请按2。'],
  cancelled: ['已取消。'],
  goodbye: ['感谢您的来电，再见。'],
  otherLanguage: [{ text: 'For English service, press 9.', lang: 'en-US' }],
  pressAgentOrBack: ['转人工服务请按星号键，返回上级菜单请按0。'],
};

const EN: Omit<CommonMessages, 'error'> = {
  noinput: ['Sorry, we did not hear a key.'],
  nomatch: ['Sorry, that input is not valid.'],
  tooManyErrors: ['Too many invalid inputs. Transferring you to an agent.'],
  toAgent: ['Transferring you to an agent, please hold.'],
  agentBusy: ['Sorry, all agents are busy. Please call again later.'],
  sessionExpired: ['Your session timed out. Let us start again.'],
  loginFirst: ['Please log in first.'],
  lockedToAgent: ['Transferring you to an agent.'],
  tooManyLogins: ['Too many failed logins. Transferring you to an agent.'],
  invalidAmount: ['That amount is not valid. Use the star key as the decimal point and try again.'],
  invalidChoice: ['There is no such number. Please choose again.'],
  confirmOrCancel: ['To confirm press 1. To cancel press 2.'],
  cancelled: ['Cancelled.'],
  goodbye: ['Thank you for calling. Goodbye.'],
  otherLanguage: [{ text: '中文服务请按9。', lang: 'zh-CN' }],
  pressAgentOrBack: ['For an agent press star. To go back press 0.'],
};

export function commonMessages(locale: Locale): CommonMessages {
  const base = locale === 'zh-CN' ? ZH : EN;
  const table = locale === 'zh-CN' ? ZH_ERRORS : EN_ERRORS;
  return { ...base, error: (e) => [table[e.code] + details(e, locale)] };
}

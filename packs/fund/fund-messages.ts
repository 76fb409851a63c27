/** Everything the fund pack says, in zh-CN and en-US (SEC-8). */
import type { FundHolding, FundNav, FundRequest } from '../../src/backoffice/index.ts';
import { milli4, money, spokenDate, type Locale } from '../core/locale.ts';
import { digits, type Speech } from '../core/speech.ts';

export const GUIDE_TOPICS = ['open', 'purchase', 'redeem', 'fees'] as const;
export type GuideTopic = (typeof GUIDE_TOPICS)[number];

export interface FundMessages {
  welcome: Speech;
  topMenu: Speech;
  enterFundAccount: Speech;
  enterPassword: Speech;
  hello(name: string): Speech;
  accountMenu: Speech;
  enterFundCode: Speech;
  nav(n: FundNav): Speech;
  enterCodeOrAll: Speech;
  noRequests: Speech;
  request(n: number, r: FundRequest): Speech;
  noHoldings: Speech;
  holding(h: FundHolding): Speech;
  guideMenu: Speech;
  guide(t: GuideTopic): Speech;
}

const pct = (bp: number): string => `${bp < 0 ? '-' : ''}${Math.floor(Math.abs(bp) / 100)}.${String(Math.abs(bp) % 100).padStart(2, '0')}`;
const units = (hundredths: number): string => `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
const ZH_STATUS: Record<FundRequest['status'], string> = { submitted: '已受理，待确认', confirmed: '已确认', paid: '款项已到账', failed: '失败' };
const EN_STATUS: Record<FundRequest['status'], string> = { submitted: 'submitted, awaiting confirmation', confirmed: 'confirmed', paid: 'paid out', failed: 'failed' };

function zh(): FundMessages {
  const m = (f: number): string => money(f, 'zh-CN');
  return {
    welcome: ['欢迎致电基金服务热线。'],
    topMenu: ['基金净值查询请按1，申购赎回状态查询请按2，业务办理指南请按3，人工服务请按星号键。'],
    enterFundAccount: ['请输入基金账号，以井号键结束。'],
    enterPassword: ['请输入六位交易密码。'],
    hello: (name) => [`${name}，您好。`],
    accountMenu: ['查询申购赎回状态请按1，查询基金持有份额请按2，返回上级菜单请按0，人工服务请按星号键。'],
    enterFundCode: ['请输入六位基金代码；返回请按0。'],
    nav: (n) => ['基金代码', digits(n.fundCode), `，${n.name}，${spokenDate(n.date, 'zh-CN')}单位净值${milli4(n.navMilli4)}元，累计净值${milli4(n.accumulatedNavMilli4)}元，日涨跌幅百分之${pct(n.dayChangeBp)}。`],
    enterCodeOrAll: ['查询全部申购赎回请按井号键；查询某只基金请输入基金代码。'],
    noRequests: ['没有符合条件的申购或赎回记录。'],
    request: (n, r) => [
      `第${n}笔，${r.kind === 'purchase' ? `申购${r.name}，金额${m(r.amount)}` : `赎回${r.name}，份额${units(r.units)}份`}，${spokenDate(r.tradeDate, 'zh-CN')}受理，状态：${ZH_STATUS[r.status]}，预计${spokenDate(r.expectedCompletion, 'zh-CN')}完成。`,
    ],
    noHoldings: ['您目前没有持有基金。'],
    holding: (h) => ['基金代码', digits(h.fundCode), `，${h.name}，持有${units(h.units)}份，单位净值${milli4(h.navMilli4)}元，市值${m(h.marketValue)}。`],
    guideMenu: ['开户指南请按1，申购指南请按2，赎回指南请按3，费率和到账时间请按4。'],
    guide: (t) =>
      ({
        open: ['开户指南：请携带本人有效身份证件和银行卡，到代销网点或通过本公司网站办理基金账户开户，填写开放式基金账户业务申请表。'],
        purchase: ['申购指南：交易日下午三点前提交的申购按当日净值确认，三点后按下一交易日净值确认，份额在申购后第一个交易日确认。'],
        redeem: ['赎回指南：交易日下午三点前提交的赎回按当日净值计算，赎回款一般在三个交易日内到账。'],
        fees: ['费率和到账时间：申购费率和赎回费率以基金招募说明书为准；申购确认为T加1日，赎回款到账为T加3日。'],
      })[t],
  };
}

function en(): FundMessages {
  const m = (f: number): string => money(f, 'en-US');
  return {
    welcome: ['Welcome to the fund service line.'],
    topMenu: ['For fund prices press 1. For the status of purchases and redemptions press 2. For how-to guidance press 3. For an agent press star.'],
    enterFundAccount: ['Please enter your fund account, then press hash.'],
    enterPassword: ['Please enter your six digit trading password.'],
    hello: (name) => [`Hello, ${name}.`],
    accountMenu: ['For purchase and redemption status press 1. For your holdings press 2. To go back press 0. For an agent press star.'],
    enterFundCode: ['Enter a six digit fund code. To go back press 0.'],
    nav: (n) => ['Fund', digits(n.fundCode), `, ${n.name}: net asset value on ${spokenDate(n.date, 'en-US')} ${milli4(n.navMilli4)} yuan, accumulated ${milli4(n.accumulatedNavMilli4)} yuan, day change ${pct(n.dayChangeBp)} percent.`],
    enterCodeOrAll: ['For all purchases and redemptions press hash, or enter a fund code.'],
    noRequests: ['There are no matching purchases or redemptions.'],
    request: (n, r) => [
      `Request ${n}: ${r.kind === 'purchase' ? `purchase of ${r.name}, ${m(r.amount)}` : `redemption of ${r.name}, ${units(r.units)} units`}, trade date ${spokenDate(r.tradeDate, 'en-US')}, ${EN_STATUS[r.status]}, expected by ${spokenDate(r.expectedCompletion, 'en-US')}.`,
    ],
    noHoldings: ['You hold no funds at the moment.'],
    holding: (h) => ['Fund', digits(h.fundCode), `, ${h.name}: ${units(h.units)} units at ${milli4(h.navMilli4)} yuan, worth ${m(h.marketValue)}.`],
    guideMenu: ['To open an account press 1. To purchase press 2. To redeem press 3. For fees and settlement times press 4.'],
    guide: (t) =>
      ({
        open: ['Opening an account: bring your identity document and a bank card to a sales outlet, or use our website, and fill in the fund account application form.'],
        purchase: ["Purchasing: requests before 3 p.m. on a trading day get that day's price; later ones get the next trading day's. Units are confirmed on the next trading day."],
        redeem: ["Redeeming: requests before 3 p.m. on a trading day get that day's price; the money usually arrives within three trading days."],
        fees: ['Fees and timing: purchase and redemption fees are as stated in the prospectus; purchases are confirmed on T plus 1, redemption money arrives on T plus 3.'],
      })[t],
  };
}

const CACHE: Record<Locale, FundMessages> = { 'zh-CN': zh(), 'en-US': en() };
export const fundMessages = (l: Locale): FundMessages => CACHE[l];

/** Everything the securities pack says, in zh-CN and en-US (SEC-2, SEC-3, CRM-2). */
import type { Balance, Order, OrderSide, Position, Quote, ShareholderAccount, StatementEntry, TransferDirection, TransferReceipt } from '../../src/backoffice/index.ts';
import type { Institution } from '../core/mailbox.ts';
import { count, money, spokenDate, type Locale } from '../core/locale.ts';
import { digits, type Speech } from '../core/speech.ts';

export interface SecuritiesMessages {
  welcome: Speech;
  topMenu: Speech;
  enterFundAccount: Speech;
  enterPassword: Speech;
  hello(name: string): Speech;
  accountMenu: Speech;
  balance(b: Balance): Speech;
  enterCodeOrAll: Speech;
  noPositions: Speech;
  position(p: Position): Speech;
  enterFromDate: Speech;
  enterToDate: Speech;
  statementCount(n: number, shown: number): Speech;
  statementEntry(e: StatementEntry): Speech;
  sideMenu: Speech;
  enterCode: Speech;
  quoteForOrder(q: Quote): Speech;
  enterPrice: Speech;
  enterQuantity: Speech;
  invalidQuantity: Speech;
  readBack(side: OrderSide, code: string, name: string, price: number, quantity: number, shareholder?: string): Speech;
  orderPlaced(o: Order): Speech;
  orderDropped: Speech;
  ordersEnterCodeOrAll: Speech;
  noOrders: Speech;
  order(n: number, o: Order): Speech;
  enterOrderToCancel: Speech;
  cancelReadBack(o: Order): Speech;
  orderCancelled(o: Order): Speech;
  orderKept: Speech;
  transferMenu: Speech;
  enterAmount: Speech;
  enterBankPassword: Speech;
  transferReadBack(d: TransferDirection, amount: number): Speech;
  transferDone(d: TransferDirection, r: TransferReceipt): Speech;
  holder(n: number, name: string, a: ShareholderAccount): Speech;
  enterHolderNumber: Speech;
  holderChosen(n: number, a: ShareholderAccount): Speech;
  enterMobile: Speech;
  invalidMobile: Speech;
  mobileReadBack(m: string): Speech;
  mobileToAgent: Speech;
  quote(q: Quote): Speech;
  enterQuoteCode: Speech;
  mailboxMenu: Speech;
  institutionMenu: Speech;
  institution(i: Institution): string;
  noLatestInformation: Speech;
  noComment: Speech;
  noRecommendations: Speech;
  noAnnouncements: Speech;
  noAnalysis(i: Institution): Speech;
  mailboxText(title: string, text: string): Speech;
  boxTitle(box: 'special-notes' | 'comments' | 'recommendations' | 'announcements'): string;
}

const zhSide = (s: OrderSide): string => (s === 'buy' ? '买入' : '卖出');
const ZH_STATUS: Record<Order['status'], string> = { pending: '未成交', 'partially-filled': '部分成交', filled: '已成交', cancelled: '已撤单', rejected: '废单' };
const EN_STATUS: Record<Order['status'], string> = { pending: 'pending', 'partially-filled': 'partially filled', filled: 'filled', cancelled: 'cancelled', rejected: 'rejected' };
const ZH_KIND: Record<StatementEntry['kind'], string> = { buy: '买入', sell: '卖出', 'transfer-in': '银行转入', 'transfer-out': '转出到银行', dividend: '红利', interest: '利息' };
const EN_KIND: Record<StatementEntry['kind'], string> = { buy: 'buy', sell: 'sell', 'transfer-in': 'transfer in from the bank', 'transfer-out': 'transfer out to the bank', dividend: 'dividend', interest: 'interest' };
const ZH_INST: Record<Institution, string> = { wanguo: '万国测评', shenguang: '神光预测', lianzheng: '联证论市' };
const EN_INST: Record<Institution, string> = { wanguo: 'Wanguo Ratings', shenguang: 'Shenguang Forecast', lianzheng: 'Lianzheng Market View' };
const zhMarket = (a: ShareholderAccount): string => (a.market === 'SH' ? '沪市' : '深市');
const enMarket = (a: ShareholderAccount): string => (a.market === 'SH' ? 'Shanghai' : 'Shenzhen');

function zh(): SecuritiesMessages {
  const m = (f: number): string => money(f, 'zh-CN');
  return {
    welcome: ['欢迎致电证券服务热线。'],
    topMenu: ['交易服务请按1，行情查询请按2，语音信箱请按3，人工服务请按星号键。'],
    enterFundAccount: ['请输入资金账号，以井号键结束。'],
    enterPassword: ['请输入六位交易密码。'],
    hello: (name) => [`${name}，您好。`],
    accountMenu: ['查询资金请按1，查询持仓请按2，查询对账单请按3，委托下单请按4，查询和撤销委托请按5，银证转账请按6，切换股东账户请按7，修改手机号码请按8，行情查询请按9，返回上级菜单请按0，人工服务请按星号键。'],
    balance: (b) => [`您的可用资金${m(b.available)}，冻结资金${m(b.frozen)}，资金余额${m(b.cash)}，证券市值${m(b.marketValue)}，总资产${m(b.totalAssets)}。`],
    enterCodeOrAll: ['请输入六位证券代码；查询全部请按井号键。'],
    noPositions: ['没有符合条件的持仓。'],
    position: (p) => ['证券代码', digits(p.code), `，${p.name}，持有${p.quantity}股，可卖${p.available}股，成本价${m(p.costPrice)}，最新价${m(p.lastPrice)}，市值${m(p.marketValue)}。`],
    enterFromDate: ['请输入起始日期，格式为年月日八位数字，例如20261101；查询全部请按井号键。'],
    enterToDate: ['请输入截止日期，格式为年月日八位数字；截止到今天请按井号键。'],
    statementCount: (n, shown) => [n === 0 ? '该期间没有资金变动。' : shown < n ? `该期间共有${n}笔资金变动，以下是最近${shown}笔。` : `该期间共有${n}笔资金变动。`],
    statementEntry: (e) => [`${spokenDate(e.date, 'zh-CN')}，${ZH_KIND[e.kind]}${e.name ? `${e.name}` : ''}，发生金额${m(e.amount)}，余额${m(e.balanceAfter)}。`],
    sideMenu: ['买入请按1，卖出请按2。'],
    enterCode: ['请输入六位证券代码。'],
    quoteForOrder: (q) => [`${q.name}，最新价${m(q.last)}，涨停价${m(q.limitUp)}，跌停价${m(q.limitDown)}。`],
    enterPrice: ['请输入委托价格，用星号键表示小数点，以井号键结束。'],
    enterQuantity: ['请输入委托数量，单位为股，须为一百股的整数倍，以井号键结束。'],
    invalidQuantity: ['数量无效，请重新输入。'],
    readBack: (side, code, name, price, qty, sh) => [`您委托${zhSide(side)}`, digits(code), `，${name}，价格${m(price)}，数量${qty}股`, ...(sh ? ['，股东账户', digits(sh)] : []), '。确认请按1，取消请按2。'],
    orderPlaced: (o) => ['委托已提交，委托编号', digits(o.orderId), `，当前状态：${ZH_STATUS[o.status]}。`],
    orderDropped: ['委托已取消，没有提交。'],
    ordersEnterCodeOrAll: ['查询全部当日委托请按井号键；查询某只证券的委托请输入证券代码。'],
    noOrders: ['今日没有符合条件的委托。'],
    order: (n, o) => [`第${n}笔，${zhSide(o.side)}`, digits(o.code), `，${o.name}，价格${m(o.limitPrice)}，数量${o.quantity}股，已成交${o.filledQuantity}股，状态：${ZH_STATUS[o.status]}。`],
    enterOrderToCancel: ['撤单请输入委托序号，以井号键结束；返回请按0。'],
    cancelReadBack: (o) => [`您要撤销${zhSide(o.side)}`, digits(o.code), `，${o.name}，价格${m(o.limitPrice)}，数量${o.quantity}股的委托。确认请按1，保留请按2。`],
    orderCancelled: (o) => [`撤单成功，状态：${ZH_STATUS[o.status]}。`],
    orderKept: ['委托保留，没有撤销。'],
    transferMenu: ['银行转证券请按1，证券转银行请按2。'],
    enterAmount: ['请输入转账金额，用星号键表示小数点，以井号键结束。'],
    enterBankPassword: ['请输入六位银行密码。'],
    transferReadBack: (d, amt) => [`您将${d === 'bank-to-securities' ? '从银行转入证券' : '从证券转出到银行'}${m(amt)}。确认请按1，取消请按2。`],
    transferDone: (d, r) => [`转账成功，金额${m(r.amount)}，转账后${d === 'bank-to-securities' ? '证券资金' : '银行账户'}余额${m(r.balanceAfter)}。`],
    holder: (n, name, a) => [`账户${n}，${name}，${zhMarket(a)}股东账户`, digits(a.id), '。'],
    enterHolderNumber: ['请输入要使用的账户编号，以井号键结束。'],
    holderChosen: (n, a) => [`已切换到账户${n}，${zhMarket(a)}股东账户`, digits(a.id), '。'],
    enterMobile: ['请输入新的十一位手机号码。'],
    invalidMobile: ['手机号码无效，请重新输入。'],
    mobileReadBack: (mo) => ['您的新手机号码是', digits(mo), '。确认请按1，取消请按2。'],
    mobileToAgent: ['您已通过身份验证，修改联系方式由座席为您办理。'],
    quote: (q) => ['证券代码', digits(q.code), `，${q.name}，最新价${m(q.last)}，今开${m(q.open)}，最高${m(q.high)}，最低${m(q.low)}，昨收${m(q.previousClose)}，成交量${count(Math.floor(q.volume / 100), '手', 'lots', 'zh-CN')}。`],
    enterQuoteCode: ['请输入六位证券代码查询行情；返回请按0。'],
    mailboxMenu: ['个股特别提示请按1，大势分析请按2，个股推荐请按3，个股点评请按4，券商公告请按5。'],
    institutionMenu: ['万国测评请按1，神光预测请按2，联证论市请按3。'],
    institution: (i) => ZH_INST[i],
    noLatestInformation: ['该证券暂时没有最新信息。'],
    noComment: ['该证券暂时没有点评。'],
    noRecommendations: ['暂时没有个股推荐。'],
    noAnnouncements: ['暂时没有券商公告。'],
    noAnalysis: (i) => [`${ZH_INST[i]}暂时没有大势分析。`],
    mailboxText: (title, text) => [`${title}：`, text],
    boxTitle: (b) => ({ 'special-notes': '特别提示', comments: '个股点评', recommendations: '个股推荐', announcements: '券商公告' })[b],
  };
}

function en(): SecuritiesMessages {
  const m = (f: number): string => money(f, 'en-US');
  const sh = (n: number): string => count(n, '股', n === 1 ? 'share' : 'shares', 'en-US');
  return {
    welcome: ['Welcome to the securities service line.'],
    topMenu: ['For trading services press 1. For quotes press 2. For the voice mailboxes press 3. For an agent press star.'],
    enterFundAccount: ['Please enter your fund account, then press hash.'],
    enterPassword: ['Please enter your six digit trading password.'],
    hello: (name) => [`Hello, ${name}.`],
    accountMenu: ['For your balance press 1. Positions 2. Statement 3. To place an order 4. Order status and cancel 5. Bank transfer 6. To switch shareholder accounts 7. To update your mobile number 8. Quotes 9. To go back press 0. For an agent press star.'],
    balance: (b) => [`Available funds ${m(b.available)}. Frozen ${m(b.frozen)}. Cash ${m(b.cash)}. Market value ${m(b.marketValue)}. Total assets ${m(b.totalAssets)}.`],
    enterCodeOrAll: ['Enter a six digit security code, or press hash for all.'],
    noPositions: ['There are no matching positions.'],
    position: (p) => ['Code', digits(p.code), `, ${p.name}: ${sh(p.quantity)}, ${p.available} available, cost ${m(p.costPrice)}, last ${m(p.lastPrice)}, value ${m(p.marketValue)}.`],
    enterFromDate: ['Enter the start date as eight digits, year month day, for example 20261101, or press hash for all.'],
    enterToDate: ['Enter the end date as eight digits, or press hash for up to today.'],
    statementCount: (n, shown) => [n === 0 ? 'There are no movements in this period.' : shown < n ? `There are ${n} movements in this period. Here are the latest ${shown}.` : `There ${n === 1 ? 'is 1 movement' : `are ${n} movements`} in this period.`],
    statementEntry: (e) => [`${spokenDate(e.date, 'en-US')}: ${EN_KIND[e.kind]}${e.name ? ` ${e.name}` : ''}, amount ${m(e.amount)}, balance ${m(e.balanceAfter)}.`],
    sideMenu: ['To buy press 1. To sell press 2.'],
    enterCode: ['Enter the six digit security code.'],
    quoteForOrder: (q) => [`${q.name}: last ${m(q.last)}, limit up ${m(q.limitUp)}, limit down ${m(q.limitDown)}.`],
    enterPrice: ['Enter the limit price, using star as the decimal point, then press hash.'],
    enterQuantity: ['Enter the number of shares, a multiple of 100, then press hash.'],
    invalidQuantity: ['That quantity is not valid. Please try again.'],
    readBack: (side, code, name, price, qty, acct) => [`You are placing an order to ${side}`, digits(code), `, ${name}, at ${m(price)}, ${sh(qty)}`, ...(acct ? [', shareholder account', digits(acct)] : []), '. To confirm press 1. To cancel press 2.'],
    orderPlaced: (o) => ['Your order is placed. Order number', digits(o.orderId), `. Status: ${EN_STATUS[o.status]}.`],
    orderDropped: ['The order was cancelled and not sent.'],
    ordersEnterCodeOrAll: ["For all of today's orders press hash, or enter a security code."],
    noOrders: ['There are no matching orders today.'],
    order: (n, o) => [`Order ${n}: ${o.side}`, digits(o.code), `, ${o.name}, at ${m(o.limitPrice)}, ${sh(o.quantity)}, ${o.filledQuantity} filled, ${EN_STATUS[o.status]}.`],
    enterOrderToCancel: ['To cancel an order enter its number, then press hash. To go back press 0.'],
    cancelReadBack: (o) => [`Cancel the order to ${o.side}`, digits(o.code), `, ${o.name}, at ${m(o.limitPrice)}, ${sh(o.quantity)}? To confirm press 1. To keep it press 2.`],
    orderCancelled: (o) => [`The order is cancelled. Status: ${EN_STATUS[o.status]}.`],
    orderKept: ['The order is kept.'],
    transferMenu: ['From bank to securities press 1. From securities to bank press 2.'],
    enterAmount: ['Enter the amount, using star as the decimal point, then press hash.'],
    enterBankPassword: ['Enter your six digit bank password.'],
    transferReadBack: (d, amt) => [`You are moving ${m(amt)} ${d === 'bank-to-securities' ? 'from your bank account to securities' : 'from securities to your bank account'}. To confirm press 1. To cancel press 2.`],
    transferDone: (d, r) => [`Transfer done: ${m(r.amount)}. ${d === 'bank-to-securities' ? 'Securities cash' : 'Bank balance'} is now ${m(r.balanceAfter)}.`],
    holder: (n, name, a) => [`Account ${n}: ${name}, ${enMarket(a)} shareholder account`, digits(a.id), '.'],
    enterHolderNumber: ['Enter the number of the account to use, then press hash.'],
    holderChosen: (n, a) => [`Now using account ${n}, ${enMarket(a)} shareholder account`, digits(a.id), '.'],
    enterMobile: ['Enter your new eleven digit mobile number.'],
    invalidMobile: ['That mobile number is not valid. Please try again.'],
    mobileReadBack: (mo) => ['Your new mobile number is', digits(mo), '. To confirm press 1. To cancel press 2.'],
    mobileToAgent: ['You are verified. An agent will complete the change of your contact details.'],
    quote: (q) => ['Code', digits(q.code), `, ${q.name}: last ${m(q.last)}, open ${m(q.open)}, high ${m(q.high)}, low ${m(q.low)}, previous close ${m(q.previousClose)}, volume ${count(Math.floor(q.volume / 100), '手', 'lots', 'en-US')}.`],
    enterQuoteCode: ['Enter a six digit security code for its quote. To go back press 0.'],
    mailboxMenu: ['Special notes press 1. Market analysis 2. Stock recommendations 3. Stock comments 4. Broker announcements 5.'],
    institutionMenu: ['Wanguo Ratings press 1. Shenguang Forecast press 2. Lianzheng Market View press 3.'],
    institution: (i) => EN_INST[i],
    noLatestInformation: ['There is no latest information for this security.'],
    noComment: ['There is no comment on this security yet.'],
    noRecommendations: ['There are no recommendations at the moment.'],
    noAnnouncements: ['There are no broker announcements at the moment.'],
    noAnalysis: (i) => [`There is no market analysis from ${EN_INST[i]} at the moment.`],
    mailboxText: (title, text) => [`${title}:`, text],
    boxTitle: (b) => ({ 'special-notes': 'Special note', comments: 'Comment', recommendations: 'Recommendations', announcements: 'Broker announcements' })[b],
  };
}

const CACHE: Record<Locale, SecuritiesMessages> = { 'zh-CN': zh(), 'en-US': en() };
export const securitiesMessages = (l: Locale): SecuritiesMessages => CACHE[l];

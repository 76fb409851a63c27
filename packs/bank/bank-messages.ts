/** Everything the bank pack says, in zh-CN and en-US (SEC-7). */
import type { BankAccount, BankTransaction, BillPayee } from '../../src/backoffice/index.ts';
import { money, spokenDate, type Locale } from '../core/locale.ts';
import { digits, type Speech } from '../core/speech.ts';

export const PAYEES: readonly BillPayee[] = ['electricity', 'water', 'gas', 'telephone', 'mobile'];

export interface BankMessages {
  welcome: Speech;
  topMenu: Speech;
  enterCard: Speech;
  enterPin: Speech;
  hello(name: string): Speech;
  accountMenu: Speech;
  account(n: number, a: BankAccount): Speech;
  enterAccountOrAll: Speech;
  enterFromDate: Speech;
  enterToDate: Speech;
  transactionCount(n: number, shown: number): Speech;
  transaction(t: BankTransaction): Speech;
  lossReadBack(card: string): Speech;
  lossDone(card: string): Speech;
  enterOldPin: Speech;
  enterNewPin: Speech;
  repeatNewPin: Speech;
  pinMismatch: Speech;
  pinChanged: Speech;
  enterFromAccount: Speech;
  enterToAccount: Speech;
  enterAmount: Speech;
  ownTransferReadBack(from: string, to: string, amount: number): Speech;
  ownTransferDone(t: BankTransaction): Speech;
  payeeMenu: Speech;
  enterBillNumber: Speech;
  billReadBack(payee: BillPayee, bill: string, amount: number, from: string): Speech;
  billPaid(t: BankTransaction): Speech;
  statementsUnavailable: Speech;
}

const ZH_TYPE: Record<BankAccount['type'], string> = { current: '活期账户', savings: '储蓄账户', credit: '信用账户' };
const EN_TYPE: Record<BankAccount['type'], string> = { current: 'current account', savings: 'savings account', credit: 'credit account' };
const ZH_TX: Record<BankTransaction['kind'], string> = { deposit: '存入', withdrawal: '支取', salary: '工资', purchase: '消费', 'transfer-in': '转入', 'transfer-out': '转出', 'bill-payment': '缴费', interest: '利息' };
const EN_TX: Record<BankTransaction['kind'], string> = { deposit: 'deposit', withdrawal: 'withdrawal', salary: 'salary', purchase: 'purchase', 'transfer-in': 'transfer in', 'transfer-out': 'transfer out', 'bill-payment': 'bill payment', interest: 'interest' };
const ZH_PAYEE: Record<BillPayee, string> = { electricity: '电费', water: '水费', gas: '燃气费', telephone: '固定电话费', mobile: '手机话费' };
const EN_PAYEE: Record<BillPayee, string> = { electricity: 'electricity', water: 'water', gas: 'gas', telephone: 'telephone', mobile: 'mobile phone' };
const tail = (acct: string): string => acct.slice(-4);

function zh(): BankMessages {
  const m = (f: number): string => money(f, 'zh-CN');
  return {
    welcome: ['欢迎致电银行服务热线。'],
    topMenu: ['自助服务请按1，人工服务请按星号键。'],
    enterCard: ['请输入银行卡号，以井号键结束。'],
    enterPin: ['请输入六位密码。'],
    hello: (name) => [`${name}，您好。`],
    accountMenu: ['查询余额请按1，查询交易明细请按2，银行卡挂失请按3，修改密码请按4，本人账户转账请按5，缴费请按6，传真或电子邮件对账单请按7，返回上级菜单请按0，人工服务请按星号键。'],
    account: (n, a) => [`账户${n}，${ZH_TYPE[a.type]}，尾号`, digits(tail(a.accountId)), `，余额${m(a.balance)}，可用余额${m(a.available)}。`],
    enterAccountOrAll: ['请输入账户编号；查询全部账户请按井号键。'],
    enterFromDate: ['请输入起始日期，格式为年月日八位数字；查询全部请按井号键。'],
    enterToDate: ['请输入截止日期，格式为年月日八位数字；截止到今天请按井号键。'],
    transactionCount: (n, shown) => [n === 0 ? '该期间没有交易。' : shown < n ? `该期间共有${n}笔交易，以下是最近${shown}笔。` : `该期间共有${n}笔交易。`],
    transaction: (t) => [`${spokenDate(t.date, 'zh-CN')}，${ZH_TX[t.kind]}${m(t.amount)}，余额${m(t.balanceAfter)}。`],
    lossReadBack: (card) => ['您要挂失尾号', digits(tail(card)), '的银行卡，挂失后该卡立即停止使用。确认请按1，取消请按2。'],
    lossDone: (card) => ['尾号', digits(tail(card)), '的银行卡已挂失，请携带身份证件到网点办理补卡。'],
    enterOldPin: ['请输入原密码。'],
    enterNewPin: ['请输入六位新密码。'],
    repeatNewPin: ['请再次输入新密码。'],
    pinMismatch: ['两次输入的新密码不一致，请重新办理。'],
    pinChanged: ['密码修改成功。'],
    enterFromAccount: ['请输入转出账户编号。'],
    enterToAccount: ['请输入转入账户编号。'],
    enterAmount: ['请输入金额，用星号键表示小数点，以井号键结束。'],
    ownTransferReadBack: (from, to, amt) => ['您将从尾号', digits(tail(from)), '的账户转账', m(amt), '到尾号', digits(tail(to)), '的账户。确认请按1，取消请按2。'],
    ownTransferDone: (t) => [`转账成功，转出账户余额${m(t.balanceAfter)}。`],
    payeeMenu: ['电费请按1，水费请按2，燃气费请按3，固定电话费请按4，手机话费请按5。'],
    enterBillNumber: ['请输入缴费号码，以井号键结束。'],
    billReadBack: (p, bill, amt, from) => [`您将缴纳${ZH_PAYEE[p]}，缴费号码`, digits(bill), `，金额${m(amt)}，从尾号`, digits(tail(from)), '的账户扣款。确认请按1，取消请按2。'],
    billPaid: (t) => [`缴费成功，账户余额${m(t.balanceAfter)}。`],
    statementsUnavailable: ['传真和电子邮件对账单服务暂未开通。如需对账单，请在菜单中按星号键转人工服务。'],
  };
}

function en(): BankMessages {
  const m = (f: number): string => money(f, 'en-US');
  return {
    welcome: ['Welcome to the bank service line.'],
    topMenu: ['For self-service press 1. For an agent press star.'],
    enterCard: ['Please enter your card number, then press hash.'],
    enterPin: ['Please enter your six digit PIN.'],
    hello: (name) => [`Hello, ${name}.`],
    accountMenu: ['For balances press 1. Transaction details 2. To report a lost card 3. To change your PIN 4. Transfers between your accounts 5. Bill payment 6. Statements by fax or email 7. To go back press 0. For an agent press star.'],
    account: (n, a) => [`Account ${n}: ${EN_TYPE[a.type]} ending in`, digits(tail(a.accountId)), `, balance ${m(a.balance)}, available ${m(a.available)}.`],
    enterAccountOrAll: ['Enter the account number, or press hash for all accounts.'],
    enterFromDate: ['Enter the start date as eight digits, year month day, or press hash for all.'],
    enterToDate: ['Enter the end date as eight digits, or press hash for up to today.'],
    transactionCount: (n, shown) => [n === 0 ? 'There are no transactions in this period.' : shown < n ? `There are ${n} transactions in this period. Here are the latest ${shown}.` : `There ${n === 1 ? 'is 1 transaction' : `are ${n} transactions`} in this period.`],
    transaction: (t) => [`${spokenDate(t.date, 'en-US')}: ${EN_TX[t.kind]} ${m(t.amount)}, balance ${m(t.balanceAfter)}.`],
    lossReadBack: (card) => ['You are reporting the card ending in', digits(tail(card)), 'as lost. It stops working at once. To confirm press 1. To cancel press 2.'],
    lossDone: (card) => ['The card ending in', digits(tail(card)), 'is reported lost. Please bring your identity document to a branch for a new card.'],
    enterOldPin: ['Enter your current PIN.'],
    enterNewPin: ['Enter your new six digit PIN.'],
    repeatNewPin: ['Enter the new PIN again.'],
    pinMismatch: ['The two new PINs differ. Please start again.'],
    pinChanged: ['Your PIN is changed.'],
    enterFromAccount: ['Enter the number of the account to pay from.'],
    enterToAccount: ['Enter the number of the account to pay into.'],
    enterAmount: ['Enter the amount, using star as the decimal point, then press hash.'],
    ownTransferReadBack: (from, to, amt) => ['You are moving', m(amt), 'from the account ending in', digits(tail(from)), 'to the account ending in', digits(tail(to)), '. To confirm press 1. To cancel press 2.'],
    ownTransferDone: (t) => [`Transfer done. The paying account's balance is ${m(t.balanceAfter)}.`],
    payeeMenu: ['Electricity press 1. Water 2. Gas 3. Telephone 4. Mobile phone 5.'],
    enterBillNumber: ['Enter the bill number, then press hash.'],
    billReadBack: (p, bill, amt, from) => [`You are paying the ${EN_PAYEE[p]} bill number`, digits(bill), `, ${m(amt)}, from the account ending in`, digits(tail(from)), '. To confirm press 1. To cancel press 2.'],
    billPaid: (t) => [`The bill is paid. The account balance is ${m(t.balanceAfter)}.`],
    statementsUnavailable: ['Statements by fax or email are not available yet. For a statement, press star in the menu to reach an agent.'],
  };
}

const CACHE: Record<Locale, BankMessages> = { 'zh-CN': zh(), 'en-US': en() };
export const bankMessages = (l: Locale): BankMessages => CACHE[l];

// IVR-3 keypad conventions in every pack: * reaches an agent from every menu and input, 0 goes back to the parent menu (issue 8).
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/backoffice/index.ts';
import { bankMessages } from './bank/bank-messages.ts';
import type { PackName } from './core/call-data.ts';
import { commonMessages } from './core/common-messages.ts';
import type { Locale } from './core/locale.ts';
import { speechText, type Speech } from './core/speech.ts';
import { fundMessages } from './fund/fund-messages.ts';
import { securitiesMessages } from './securities/securities-messages.ts';
import { dial, keys, world } from './test-support/dial.ts';

const S = DEMO_ACCOUNTS.securities[0]!;
const F = DEMO_ACCOUNTS.fund[0]!;
const B = DEMO_ACCOUNTS.bank[0]!;
const LOGIN: Record<PackName, string[]> = {
  securities: ['1', `${S.fundAccount}#`, S.password],
  fund: ['2', `${F.fundAccount}#`, F.password],
  bank: ['1', `${B.cardNumber}#`, B.pin],
};

interface Place {
  readonly pack: PackName;
  readonly where: string;
  readonly keys: readonly string[];
  /** What 0 brings back (undefined: 0 is a digit there, e.g. an amount). */
  readonly back?: (l: Locale) => Speech;
}

const sec = (l: Locale) => securitiesMessages(l);
const fund = (l: Locale) => fundMessages(l);
const bank = (l: Locale) => bankMessages(l);
const L = LOGIN.securities;
const LF = LOGIN.fund;
const LB = LOGIN.bank;

const PLACES: Place[] = [
  { pack: 'securities', where: 'top menu', keys: [], back: (l) => sec(l).topMenu },
  { pack: 'securities', where: 'login: fund account', keys: ['1'], back: (l) => sec(l).topMenu },
  { pack: 'securities', where: 'login: password', keys: ['1', `${S.fundAccount}#`], back: (l) => sec(l).topMenu },
  { pack: 'securities', where: 'account menu', keys: L, back: (l) => sec(l).topMenu },
  { pack: 'securities', where: 'positions', keys: [...L, '2'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'statement', keys: [...L, '3'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'order: buy or sell', keys: [...L, '4'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'order: code', keys: [...L, '4', '1'], back: (l) => sec(l).sideMenu },
  { pack: 'securities', where: 'order: price (0 is a digit)', keys: [...L, '4', '1', '600000'] },
  { pack: 'securities', where: 'order: quantity', keys: [...L, '4', '1', '600000', '5*5#'], back: (l) => sec(l).sideMenu },
  { pack: 'securities', where: 'order: read-back', keys: [...L, '4', '1', '600000', '5*5#', '100#'], back: (l) => sec(l).sideMenu },
  { pack: 'securities', where: 'orders', keys: [...L, '5'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'transfer: direction', keys: [...L, '6'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'transfer: amount (0 is a digit)', keys: [...L, '6', '1'] },
  { pack: 'securities', where: 'transfer: bank password', keys: [...L, '6', '1', '100#'], back: (l) => sec(l).transferMenu },
  { pack: 'securities', where: 'transfer: read-back', keys: [...L, '6', '2', '100#'], back: (l) => sec(l).transferMenu },
  { pack: 'securities', where: 'shareholder accounts', keys: [...L, '7'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'mobile number', keys: [...L, '8'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'mobile number read-back', keys: [...L, '8', '13912345678'], back: (l) => sec(l).enterMobile },
  { pack: 'securities', where: 'quote inside the account', keys: [...L, '9'], back: (l) => sec(l).accountMenu },
  { pack: 'securities', where: 'public quote', keys: ['2'], back: (l) => sec(l).topMenu },
  { pack: 'securities', where: 'mailboxes', keys: ['3'], back: (l) => sec(l).topMenu },
  { pack: 'securities', where: 'mailbox: special notes', keys: ['3', '1'], back: (l) => sec(l).mailboxMenu },
  { pack: 'securities', where: 'mailbox: institutions', keys: ['3', '2'], back: (l) => sec(l).mailboxMenu },
  { pack: 'securities', where: 'mailbox: comments', keys: ['3', '4'], back: (l) => sec(l).mailboxMenu },
  { pack: 'fund', where: 'top menu', keys: [], back: (l) => fund(l).topMenu },
  { pack: 'fund', where: 'NAV', keys: ['1'], back: (l) => fund(l).topMenu },
  { pack: 'fund', where: 'login', keys: ['2'], back: (l) => fund(l).topMenu },
  { pack: 'fund', where: 'account menu', keys: LF, back: (l) => fund(l).topMenu },
  { pack: 'fund', where: 'requests', keys: [...LF, '1'], back: (l) => fund(l).accountMenu },
  { pack: 'fund', where: 'guidance', keys: ['3'], back: (l) => fund(l).topMenu },
  { pack: 'bank', where: 'top menu', keys: [], back: (l) => bank(l).topMenu },
  { pack: 'bank', where: 'login: card', keys: ['1'], back: (l) => bank(l).topMenu },
  { pack: 'bank', where: 'account menu', keys: LB, back: (l) => bank(l).topMenu },
  { pack: 'bank', where: 'transactions: account', keys: [...LB, '2'], back: (l) => bank(l).accountMenu },
  { pack: 'bank', where: 'card loss read-back', keys: [...LB, '3'], back: (l) => bank(l).accountMenu },
  { pack: 'bank', where: 'PIN change', keys: [...LB, '4'], back: (l) => bank(l).accountMenu },
  { pack: 'bank', where: 'own transfer: from', keys: [...LB, '5'], back: (l) => bank(l).accountMenu },
  { pack: 'bank', where: 'bill: payee', keys: [...LB, '6'], back: (l) => bank(l).accountMenu },
  { pack: 'bank', where: 'bill: number', keys: [...LB, '6', '1'], back: (l) => bank(l).payeeMenu },
];

describe.each(['zh-CN', 'en-US'] as const)('IVR-3 keypad conventions in every pack (%s)', (locale) => {
  const w = world();

  it.each(PLACES)('$pack, $where: * reaches an agent with the call-attached data (IVR-4)', async (p) => {
    const r = await dial(w, p.pack, locale, keys(...p.keys, '*'));
    expect(r.transfers, r.heard).toHaveLength(1);
    expect(r.transfers[0]).toMatchObject({ type: 'blind', dest: `queue:${p.pack}` });
    expect(r.attached).toMatchObject({ pack: p.pack, locale, reason: 'caller' });
    expect(r.prompts.at(-1)).toContain(speechText(commonMessages(locale).toAgent));
  });

  it.each(PLACES.filter((p) => p.back))('$pack, $where: 0 goes back', async (p) => {
    const r = await dial(w, p.pack, locale, [...keys(...p.keys, '0'), { hangup: true }]);
    expect(r.transfers).toHaveLength(0);
    expect(r.prompts.at(-1)).toContain(speechText(p.back!(locale)));
  });
});

describe('IVR-3 noinput and nomatch: reprompted, then an agent after three', () => {
  it.each(['zh-CN', 'en-US'] as const)('%s: silence twice then a wrong key at the top menu, three wrong keys -> agent', async (locale) => {
    const w = world();
    const c = commonMessages(locale);
    const r = await dial(w, 'securities', locale, [{ silence: true }, { silence: true }, ...keys('8'), { silence: true }]);
    expect(r.heard).toContain(speechText(c.noinput));
    expect(r.heard).toContain(speechText(c.nomatch));
    expect(r.heard).toContain(speechText(c.tooManyErrors));
    expect(r.attached).toMatchObject({ reason: 'retries' });
  });
});

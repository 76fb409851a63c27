/**
 * Builds the simulator's population from a seed: the fixed DEMO_ACCOUNTS
 * first, then `customers` generated customers spread over the branches, each
 * with a securities fund account (1-3 shareholder accounts, cash, a few
 * positions), and some with a fund account or a bank card.
 */
import type { BankTransaction, StatementEntry, YyyyMmDd } from '../port.ts';
import { addDays, beijingParts, beijingToEpoch } from './beijing-time.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { BRANCHES, fundName, personName } from './names.ts';
import { SeededRandom } from './seeded-random.ts';
import type { Listing } from './stock-universe.ts';
import type { CardRec, CustomerRec, FundAccountRec, FundListing } from './world.ts';

export interface World {
  readonly customers: Map<string, CustomerRec>;
  readonly fundAccounts: Map<string, FundAccountRec>;
  readonly cards: Map<string, CardRec>;
  readonly funds: Map<string, FundListing>;
}

export function buildFunds(seed: number): Map<string, FundListing> {
  const rng = SeededRandom.forKey(seed, 'funds');
  const names = new Set<string>();
  const out = new Map<string, FundListing>();
  for (const prefix of ['110', '160', '519', '005']) {
    for (let i = 1; i <= 5; i++) {
      const code = prefix + String(i).padStart(3, '0');
      out.set(code, { code, name: fundName(rng, names), baseNav: rng.int(8_000, 35_000) });
    }
  }
  return out;
}

function newFundAccount(fundAccount: string, customerId: string, password: string, cash: number, bankPassword: string, bankBalance: number): FundAccountRec {
  return {
    fundAccount, customerId, password, available: cash, frozen: 0, failedAttempts: 0, locked: false,
    shareholders: [], positions: new Map(), statement: [], bank: { password: bankPassword, balance: bankBalance },
    fundUnits: new Map(), fundRequests: [],
  };
}

function customer(id: string, name: string, gender: 'M' | 'F', rng: SeededRandom, branchIndex: number, openedOn: YyyyMmDd): CustomerRec {
  const branch = BRANCHES[branchIndex % BRANCHES.length] ?? BRANCHES[0];
  return {
    id, name, gender, branch: { ...branch },
    phones: ['1' + rng.pick(['3', '5', '8', '9']) + rng.digits(9)],
    idNumber: '3101' + rng.digits(2) + '19' + rng.int(50, 99) + String(rng.int(1, 12)).padStart(2, '0') + String(rng.int(1, 28)).padStart(2, '0') + rng.digits(3) + rng.pick([...'0123456789X']),
    ...(rng.next() < 0.5 ? { email: `c${id.slice(1)}@mail.example.cn` } : {}),
    riskLevel: rng.pick(['C1', 'C2', 'C3', 'C4', 'C5'] as const),
    openedOn, fundAccounts: [], cardNumbers: [],
  };
}

/**
 * A few deposits (and quarterly interest) in the 30 days before `today`, so
 * statements have history. Built newest first, ending at the current cash,
 * each amount at most what was there: the balance never goes negative and the
 * declared cash stays exact.
 */
function seedHistory(acct: FundAccountRec, rng: SeededRandom, today: YyyyMmDd): void {
  let after = acct.available;
  const entries: StatementEntry[] = [];
  for (let back = 3; back <= 30 && after > 0; back += rng.int(5, 9)) {
    const date = addDays(today, -back);
    const interest = rng.next() < 0.2;
    const amount = Math.min(after, interest ? rng.int(1, 500) : rng.int(10, 200) * 10_000);
    entries.push({ date, at: new Date(beijingToEpoch(date, 10 * 60)).toISOString(), kind: interest ? 'interest' : 'transfer-in', amount, balanceAfter: after, description: interest ? '利息归本' : '银行转证券' });
    after -= amount;
  }
  acct.statement.push(...entries.reverse());
}

export function buildWorld(seed: number, customers: number, nowMs: number, stocks: Map<string, Listing>): World {
  const rng = SeededRandom.forKey(seed, 'customers');
  const today = beijingParts(nowMs).date;
  const world: World = { customers: new Map(), fundAccounts: new Map(), cards: new Map(), funds: buildFunds(seed) };
  let nextCustomer = 1;
  const addCustomer = (name: string, gender: 'M' | 'F') => {
    const c = customer(`C${String(nextCustomer).padStart(6, '0')}`, name, gender, rng, nextCustomer - 1, addDays(today, -rng.int(100, 3000)));
    nextCustomer++;
    world.customers.set(c.id, c);
    return c;
  };

  for (const d of DEMO_ACCOUNTS.securities) {
    const c = addCustomer(d.name, 'M');
    const a = newFundAccount(d.fundAccount, c.id, d.password, d.cash, d.bankPassword, d.bankBalance);
    d.shareholderAccounts.forEach((id, i) => a.shareholders.push({ id, market: id.startsWith('A') ? 'SH' : 'SZ', index: i + 1 }));
    for (const p of d.positions) a.positions.set(`${p.shareholderAccount}:${p.code}`, { shareholderAccount: p.shareholderAccount, code: p.code, quantity: p.quantity, frozen: 0, cost: p.quantity * p.costPrice });
    seedHistory(a, SeededRandom.forKey(seed, d.fundAccount), today);
    c.fundAccounts.push(a.fundAccount);
    world.fundAccounts.set(a.fundAccount, a);
  }
  for (const d of DEMO_ACCOUNTS.fund) {
    const c = addCustomer(d.name, 'F');
    const a = newFundAccount(d.fundAccount, c.id, d.password, d.cash, '000000', 0);
    for (const h of d.holdings) a.fundUnits.set(h.fundCode, h.units);
    c.fundAccounts.push(a.fundAccount);
    world.fundAccounts.set(a.fundAccount, a);
  }
  for (const d of DEMO_ACCOUNTS.bank) {
    const c = addCustomer(d.name, 'M');
    world.cards.set(d.cardNumber, newCard(d.cardNumber, c.id, d.pin, d.currentAccount, d.savingsAccount, d.currentBalance, d.savingsBalance, SeededRandom.forKey(seed, d.cardNumber), today));
    c.cardNumbers.push(d.cardNumber);
  }

  const codes = [...stocks.keys()];
  for (let i = 0; i < customers; i++) {
    const gender = rng.next() < 0.5 ? 'M' : 'F';
    const c = addCustomer(personName(rng, gender), gender);
    const fundAccount = String(10_001_000 + i);
    const a = newFundAccount(fundAccount, c.id, rng.digits(6), rng.int(0, 5_000) * 10_000, rng.digits(6), rng.int(0, 2_000) * 10_000);
    const shCount = rng.int(1, 3);
    for (let k = 0; k < shCount; k++) {
      const sh = k % 2 === 0 ? 'A' : '0';
      a.shareholders.push({ id: sh + String(200_000_000 + i * 3 + k).padStart(9, '0'), market: sh === 'A' ? 'SH' : 'SZ', index: k + 1 });
    }
    for (let k = rng.int(0, 4); k > 0; k--) {
      const listing = stocks.get(rng.pick(codes));
      const holder = a.shareholders.find((s) => s.market === listing?.market);
      if (!listing || !holder) continue;
      const quantity = rng.int(1, 50) * 100;
      a.positions.set(`${holder.id}:${listing.code}`, { shareholderAccount: holder.id, code: listing.code, quantity, frozen: 0, cost: quantity * listing.basePrice });
    }
    seedHistory(a, SeededRandom.forKey(seed, fundAccount), today);
    c.fundAccounts.push(fundAccount);
    world.fundAccounts.set(fundAccount, a);
    if (rng.next() < 0.3) {
      const card = '62220210' + String(i).padStart(8, '0');
      world.cards.set(card, newCard(card, c.id, rng.digits(6), card + '001', card + '002', rng.int(0, 10_000) * 100, rng.int(0, 50_000) * 100, rng, today));
      c.cardNumbers.push(card);
    }
  }
  return world;
}

function newCard(cardNumber: string, customerId: string, pin: string, current: string, savings: string, currentBalance: number, savingsBalance: number, rng: SeededRandom, today: YyyyMmDd): CardRec {
  const card: CardRec = {
    cardNumber, customerId, pin, lost: false, failedAttempts: 0, locked: false,
    accounts: [{ accountId: current, type: 'current', balance: currentBalance }, { accountId: savings, type: 'savings', balance: savingsBalance }],
    transactions: [],
  };
  // History ending at the current balance, built newest first so the balance
  // never goes negative: a salary that would make it so is booked as a purchase.
  const moves: BankTransaction[] = [];
  let after = currentBalance;
  for (let back = 1; back <= 58; back += rng.int(3, 8)) {
    const date = addDays(today, -back);
    let salary = rng.next() < 0.25;
    const amount = salary ? rng.int(80, 200) * 10_000 : -rng.int(1, 500) * 100;
    if (after - amount < 0) salary = false;
    const signed = salary ? amount : -Math.abs(amount);
    moves.push({ transactionId: '', accountId: current, date, at: new Date(beijingToEpoch(date, 14 * 60)).toISOString(), kind: salary ? 'salary' : 'purchase', amount: signed, balanceAfter: after, description: salary ? '工资' : '消费' });
    after -= signed;
  }
  moves.reverse().forEach((m, i) => card.transactions.push({ ...m, transactionId: `${cardNumber}-H${i + 1}` }));
  return card;
}

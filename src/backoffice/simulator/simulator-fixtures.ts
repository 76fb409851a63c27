/**
 * Conformance fixtures for the built-in simulator, from DEMO_ACCOUNTS: what
 * backOfficeConformance() needs to know about the data behind the port. The
 * HTTP adapter's test serves the simulator and reuses these.
 */
import type { ConformanceFixtures } from '../backoffice.conformance.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';

function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`DEMO_ACCOUNTS lacks entry ${i}`);
  return x;
}
const rich = at(DEMO_ACCOUNTS.securities, 0);
const ten = at(DEMO_ACCOUNTS.securities, 1);
const poor = at(DEMO_ACCOUNTS.securities, 2);
const investor = at(DEMO_ACCOUNTS.fund, 0);
const card = at(DEMO_ACCOUNTS.bank, 0);

/** The demo accounts by role. */
export const DEMO = { rich, ten, poor, investor, card } as const;

export function simulatorFixtures(): ConformanceFixtures {
  return {
    rich: { fundAccount: rich.fundAccount, password: rich.password, bankPassword: rich.bankPassword },
    poor: { fundAccount: poor.fundAccount, password: poor.password },
    ten: { fundAccount: ten.fundAccount, password: ten.password },
    fundInvestor: { fundAccount: investor.fundAccount, password: investor.password, heldFund: at(investor.holdings, 0).fundCode },
    card: { cardNumber: card.cardNumber, pin: card.pin, currentAccount: card.currentAccount, savingsAccount: card.savingsAccount },
    heldCode: '600000',
    unknownCode: '999999',
    unknownFund: '999999',
  };
}


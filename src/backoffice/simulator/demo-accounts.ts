/**
 * Fixed demo accounts the README lists, so scripts and newcomers can rely on
 * them. The simulator creates exactly these on top of its generated
 * customers; the passwords are demo data, not secrets.
 */
export interface DemoSecuritiesAccount {
  readonly fundAccount: string;
  readonly password: string;
  readonly name: string;
  /** Cash available, fen. */
  readonly cash: number;
  readonly shareholderAccounts: readonly string[];
  /** shareholder account, code, shares, cost price in fen. */
  readonly positions: ReadonlyArray<{ shareholderAccount: string; code: string; quantity: number; costPrice: number }>;
  /** Linked bank account for bank-securities transfers. */
  readonly bankPassword: string;
  readonly bankBalance: number;
}

export interface DemoFundInvestor {
  readonly fundAccount: string;
  readonly password: string;
  readonly name: string;
  readonly cash: number;
  readonly holdings: ReadonlyArray<{ fundCode: string; units: number }>;
}

export interface DemoBankCard {
  readonly cardNumber: string;
  readonly pin: string;
  readonly name: string;
  readonly currentAccount: string;
  readonly savingsAccount: string;
  readonly currentBalance: number;
  readonly savingsBalance: number;
}

const TEN_SHAREHOLDERS = ['A100000021', '0100000021', 'A100000022', '0100000022', 'A100000023', '0100000023', 'A100000024', '0100000024', 'A100000025', '0100000025'];

export const DEMO_ACCOUNTS = {
  securities: [
    {
      fundAccount: '10000001',
      password: '135790',
      name: '王建国',
      cash: 50_000_000,
      shareholderAccounts: ['A100000011', '0100000011'],
      positions: [
        { shareholderAccount: 'A100000011', code: '600000', quantity: 2_000, costPrice: 1_050 },
        { shareholderAccount: 'A100000011', code: '601001', quantity: 500, costPrice: 2_380 },
        { shareholderAccount: '0100000011', code: '000001', quantity: 1_000, costPrice: 1_220 },
      ],
      bankPassword: '888888',
      bankBalance: 20_000_000,
    },
    {
      fundAccount: '10000002',
      password: '246810',
      name: '李秀英',
      cash: 12_345_600,
      shareholderAccounts: TEN_SHAREHOLDERS,
      positions: [{ shareholderAccount: '0100000022', code: '300001', quantity: 300, costPrice: 3_100 }],
      bankPassword: '666666',
      bankBalance: 5_000_000,
    },
    {
      fundAccount: '10000003',
      password: '112233',
      name: '陈志强',
      cash: 100_000,
      shareholderAccounts: ['A100000031', '0100000031'],
      positions: [],
      bankPassword: '123123',
      bankBalance: 0,
    },
  ] satisfies DemoSecuritiesAccount[],
  fund: [
    {
      fundAccount: '20000001',
      password: '864200',
      name: '刘芳',
      cash: 3_000_000,
      holdings: [
        { fundCode: '110001', units: 1_000_000 },
        { fundCode: '160002', units: 250_000 },
      ],
    },
  ] satisfies DemoFundInvestor[],
  bank: [
    {
      cardNumber: '6222020000000001',
      pin: '123456',
      name: '赵明',
      currentAccount: '6222020000000001001',
      savingsAccount: '6222020000000001002',
      currentBalance: 8_800_000,
      savingsBalance: 50_000_000,
    },
  ] satisfies DemoBankCard[],
} as const;

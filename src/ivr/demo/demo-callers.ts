import type { CallerAction } from '../channel/scripted-channel.ts';

/** The demo back office's trading password of a fund account (the same rule as root.vxml's expectedPassword). */
export function demoPassword(account: string): string {
  let n = 0;
  for (const c of account) n = (n * 31 + c.charCodeAt(0)) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** Kinds of calls to the demo fund hotline that load tests mix. */
export type DemoCallKind = 'balance-then-agent' | 'wrong-password-then-balance' | 'prices-then-agent' | 'star-to-agent';

/** The caller's key presses for one call of `kind` by fund account `account` (8 digits). */
export function demoCallerScript(kind: DemoCallKind, account: string): CallerAction[] {
  const pwd = demoPassword(account);
  const wrong = pwd === '000000' ? '111111' : '000000';
  switch (kind) {
    case 'balance-then-agent':
      return [{ keys: '1' }, { keys: account }, { keys: pwd }, { keys: '2' }];
    case 'wrong-password-then-balance':
      return [{ keys: '1' }, { keys: account }, { keys: wrong }, { keys: account }, { keys: pwd }, { keys: '1' }, { keys: '*' }];
    case 'prices-then-agent':
      return [{ keys: '2' }, { keys: '*' }];
    case 'star-to-agent':
      return [{ keys: '*' }];
  }
}

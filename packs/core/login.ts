/**
 * IVR-4: one login attempt, shared by the packs. The back office decides
 * (and locks an account after its own limit); the pack session counts the
 * failed tries of this call across accounts, so guessing several accounts
 * is stopped as well. A locked account or too many tries go to an agent.
 */
import { isBackOfficeError, type Session } from '../../src/backoffice/index.ts';
import type { PageContext } from './pack-module.ts';
import type { Speech } from './speech.ts';
import type { VxmlEl } from './vxml.ts';
import { speakThen } from './vxml-kit.ts';

export async function attemptLogin<S>(
  ctx: PageContext<S>,
  account: string,
  login: () => Promise<Session>,
  onSuccess: (session: Session) => Promise<Speech> | Speech,
  pages: { readonly retry: string; readonly next: string },
): Promise<VxmlEl[]> {
  const s = ctx.session;
  ctx.note('account', account);
  try {
    const bo = await login();
    s.identity = { customerId: bo.customerId, name: bo.customerName, account: bo.account, kind: bo.kind, backOfficeToken: bo.token };
    s.failedLogins = 0;
    return [speakThen('logged-in', await onSuccess(bo), ctx.link(pages.next))];
  } catch (e) {
    if (!isBackOfficeError(e)) throw e;
    if (e.code === 'account-locked') {
      s.lockedAccount = account;
      return ctx.toAgent('account-locked', ctx.common.error(e));
    }
    if (e.code === 'card-lost') return ctx.toAgent('card-lost', ctx.common.error(e));
    if (e.code !== 'wrong-password' && e.code !== 'unknown-account' && e.code !== 'invalid-argument') throw e;
    s.failedLogins++;
    if (s.failedLogins >= ctx.maxFailedLogins) return ctx.toAgent('too-many-logins', [...ctx.common.error(e), ...ctx.common.tooManyLogins]);
    return ctx.fail(e, pages.retry);
  }
}
